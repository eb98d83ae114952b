using System.Diagnostics;
using System.Net;
using System.Text;

namespace MachCommerce.Webhooks.Dispatch;

/// <summary>A delivery claimed for one attempt, with everything the attempt needs.</summary>
internal sealed record ClaimedDelivery(Guid Id, string TenantId, Guid SubscriptionId, int Attempts, DateTimeOffset? FirstAttemptAt, string Url, string Payload,
    string Secret, string? PreviousSecret);

/// <summary>How one attempt went, and what the delivery becomes.</summary>
internal sealed record AttemptOutcome(ClaimedDelivery Delivery, DateTimeOffset At, int? StatusCode, string? Error, int DurationMs, string? ResponseBody,
    string Status, DateTimeOffset NextAttemptAt, string? DisableReason);

/// <summary>
/// Sends deliveries, at least once, in order per resource and subscription. It claims due deliveries with a
/// lease (so replicas share the work and a crashed one's claims come back), up to <see cref="ClaimAhead"/> per
/// subscription, and sends them in <see cref="SendSlots"/>: at most <see cref="WebhooksOptions.MaxConcurrencyPerSubscription"/>
/// per subscription and <see cref="WebhooksOptions.MaxConcurrency"/> in all, so a receiver that hangs holds only its
/// own slots and never delays another subscription's deliveries. A resource's next delivery is claimed only when
/// the one before it is no longer pending. Outcomes are written in batches (attempt log + delivery state in one transaction).
/// It works across tenants under the service's login: each claimed row goes to its own tenant's receiver only.
/// </summary>
internal sealed class Dispatcher(WebhooksDatabase database, DeliverySignal signal, TargetPolicy targets, OutcomeLog outcomes, IOptions<WebhooksOptions> options,
    ILogger<Dispatcher> logger) : BackgroundService
{
    private const int ResponseBodyLimit = 1024;
    private SendSlots? _slots;
    private HttpClient? _http;

    private WebhooksOptions Options => options.Value;

    /// <summary>How often the leases of deliveries waiting in this dispatcher's lanes are renewed.</summary>
    private static readonly TimeSpan RenewEvery = TimeSpan.FromSeconds(10);

    /// <summary>Deliveries claimed ahead per subscription: one claim feeds this many attempts.</summary>
    private int ClaimAhead => Options.MaxConcurrencyPerSubscription * 32;

    /// <summary>
    /// The lease outlives any attempt with time to spare; a delivery waiting in a lane (behind a slow receiver's
    /// attempts) has it renewed every <see cref="RenewEvery"/>, so a crashed replica's claims come back within it.
    /// </summary>
    private TimeSpan Lease => Options.AttemptTimeout + RenewEvery + TimeSpan.FromSeconds(30);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var http = new HttpClient(new SocketsHttpHandler
        {
            ConnectCallback = targets.ConnectAsync, // every connection re-checks the address it goes to
            AllowAutoRedirect = false, // a redirect could point anywhere; the receiver's URL is the one registered
            UseProxy = false,
            PooledConnectionLifetime = TimeSpan.FromMinutes(2), // follow DNS changes of long-lived receivers
            ConnectTimeout = Options.AttemptTimeout,
            MaxConnectionsPerServer = Options.MaxConcurrencyPerSubscription * 4,
        }) { Timeout = Timeout.InfiniteTimeSpan };
        http.DefaultRequestHeaders.UserAgent.ParseAdd("MachCommerce-Webhooks/1.0");
        _http = http;
        var slots = _slots = new SendSlots(Options.MaxConcurrencyPerSubscription, Options.MaxConcurrency, ClaimAhead);

        var writer = outcomes.RunAsync(stoppingToken);
        var idlePoll = TimeSpan.FromMilliseconds(Math.Clamp(Options.FirstRetryDelay.TotalMilliseconds / 2, 20, 1000));
        var sinceRenewal = Stopwatch.StartNew();
        while (!stoppingToken.IsCancellationRequested)
        {
            var wake = signal.NextWake();
            if (sinceRenewal.Elapsed >= RenewEvery)
            {
                await SetLeasesAsync(slots.WaitingIds(), Lease, stoppingToken);
                sinceRenewal.Restart();
            }

            var capacity = Options.MaxConcurrency * 16 - slots.Held;
            var claimed = 0;
            if (capacity > 0)
            {
                try
                {
                    var deliveries = await ClaimAsync(capacity, slots, stoppingToken);
                    claimed = deliveries.Count;
                    Start(slots.Add(deliveries), stoppingToken);
                }
                catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
                {
                    break;
                }
                catch (Exception exception) when (exception is NpgsqlException or TimeoutException && !stoppingToken.IsCancellationRequested)
                {
                    logger.LogWarning("Could not claim webhook deliveries ({Reason}); trying again", exception.Message);
                    await Task.Delay(TimeSpan.FromSeconds(1), stoppingToken).ContinueWith(_ => { }, TaskScheduler.Default);
                }
            }

            if (claimed > 0 && claimed == capacity)
            {
                continue; // maybe more due; the next pass sees the freed capacity
            }

            await Task.WhenAny(wake, Task.Delay(idlePoll, stoppingToken)).ContinueWith(_ => { }, TaskScheduler.Default);
        }

        await SetLeasesAsync(slots.TakeWaiting(), null, CancellationToken.None);
        outcomes.Complete();
        await writer.ContinueWith(_ => { }, TaskScheduler.Default);
    }

    private void Start(List<ClaimedDelivery> deliveries, CancellationToken stoppingToken)
    {
        foreach (var delivery in deliveries)
        {
            _ = AttemptAsync(delivery, stoppingToken);
        }
    }

    /// <summary>
    /// The leases of deliveries this dispatcher holds but has not sent: renewed while they wait in a lane, or given
    /// back (<paramref name="lease"/> null) on shutdown, so another replica may take them at once.
    /// </summary>
    private async Task SetLeasesAsync(Guid[] waiting, TimeSpan? lease, CancellationToken cancellationToken)
    {
        if (waiting.Length == 0)
        {
            return;
        }

        try
        {
            await using var connection = await database.DataSource.OpenConnectionAsync(cancellationToken);
            await using var update = new NpgsqlCommand(
                "UPDATE webhooks.deliveries SET locked_until = now() + $2 WHERE id = ANY($1) AND status = 'pending' AND locked_until IS NOT NULL", connection);
            update.Parameters.Add(new() { Value = waiting });
            update.Parameters.Add(new() { Value = (object?)lease ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Interval });
            await update.ExecuteNonQueryAsync(cancellationToken);
        }
        catch (Exception exception) when (exception is NpgsqlException or TimeoutException && !cancellationToken.IsCancellationRequested)
        {
            // A lease that runs out meanwhile only means another replica may send the delivery too: at least once, never lost.
            logger.LogWarning("Could not {Action} the leases of {Count} waiting webhook deliveries ({Reason})", lease is null ? "give back" : "renew", waiting.Length,
                exception.Message);
        }
    }

    private async Task<List<ClaimedDelivery>> ClaimAsync(int capacity, SendSlots slots, CancellationToken cancellationToken)
    {
        var (busySubscriptions, busyHeld) = slots.PerSubscription();
        await using var connection = await database.DataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        // A lease lost in a database crash only means the delivery is sent again: no need to wait for the disk.
        await using var claim = new NpgsqlBatch(connection, transaction);
        claim.BatchCommands.Add(new NpgsqlBatchCommand("SELECT set_config('synchronous_commit', 'off', true)"));
        var update = new NpgsqlBatchCommand("""
            WITH busy AS (SELECT * FROM unnest($4::uuid[], $5::int[]) AS b(subscription_id, in_flight)),
            picked AS (
                SELECT c.id FROM webhooks.subscriptions s
                LEFT JOIN busy ON busy.subscription_id = s.id
                CROSS JOIN LATERAL (
                    SELECT d.id FROM webhooks.deliveries d
                    WHERE d.subscription_id = s.id AND d.status = 'pending' AND d.next_attempt_at <= now()
                      AND (d.locked_until IS NULL OR d.locked_until < now())
                      -- its resource's first unfinished (= pending) delivery, through deliveries_unfinished_resource: order per resource
                      AND d.seq = (SELECT min(e.seq) FROM webhooks.deliveries e
                                   WHERE e.subscription_id = d.subscription_id AND e.resource_key = d.resource_key AND e.completed_at IS NULL)
                    ORDER BY d.next_attempt_at
                    LIMIT greatest($2 - coalesce(busy.in_flight, 0), 0)
                ) c
                WHERE s.active
                LIMIT $1
            )
            UPDATE webhooks.deliveries d SET locked_until = now() + $3
            FROM picked, webhooks.events ev, webhooks.subscriptions s
            WHERE d.id = picked.id AND ev.id = d.event_id AND s.id = d.subscription_id AND (d.locked_until IS NULL OR d.locked_until < now())
            RETURNING d.id, d.tenant_id, d.subscription_id, d.attempts, d.first_attempt_at, s.url, ev.payload, s.secret,
                CASE WHEN s.previous_secret_expires_at > now() THEN s.previous_secret END
            """);
        update.Parameters.Add(new() { Value = capacity });
        update.Parameters.Add(new() { Value = ClaimAhead });
        update.Parameters.Add(new() { Value = Lease });
        update.Parameters.Add(new() { Value = busySubscriptions, NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Uuid });
        update.Parameters.Add(new() { Value = busyHeld, NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Integer });
        claim.BatchCommands.Add(update);
        var claimed = new List<ClaimedDelivery>();
        await using (var reader = await claim.ExecuteReaderAsync(cancellationToken))
        {
            await reader.NextResultAsync(cancellationToken); // past the setting's row
            while (await reader.ReadAsync(cancellationToken))
            {
                claimed.Add(new ClaimedDelivery(reader.GetGuid(0), reader.GetString(1), reader.GetGuid(2), reader.GetInt32(3), reader.IsDBNull(4) ? null : reader.GetFieldValue<DateTimeOffset>(4),
                    reader.GetString(5), reader.GetString(6), reader.GetString(7), reader.IsDBNull(8) ? null : reader.GetString(8)));
            }
        }

        await transaction.CommitAsync(cancellationToken);
        return claimed;
    }

    private async Task AttemptAsync(ClaimedDelivery delivery, CancellationToken stoppingToken)
    {
        var at = DateTimeOffset.UtcNow;
        var started = Stopwatch.GetTimestamp();
        int? statusCode = null;
        string? error = null;
        string? body = null;
        System.Net.Http.Headers.RetryConditionHeaderValue? retryAfter = null;
        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
            timeout.CancelAfter(Options.AttemptTimeout);
            var timestamp = at.ToUnixTimeSeconds();
            using var request = new HttpRequestMessage(HttpMethod.Post, delivery.Url)
            {
                Content = new StringContent(delivery.Payload, Encoding.UTF8, "application/json"),
            };
            var messageId = delivery.Id.ToString();
            request.Headers.Add("webhook-id", messageId);
            request.Headers.Add("webhook-timestamp", timestamp.ToString(System.Globalization.CultureInfo.InvariantCulture));
            request.Headers.Add("webhook-signature",
                WebhookSignature.Header(delivery.PreviousSecret is null ? [delivery.Secret] : [delivery.Secret, delivery.PreviousSecret], messageId, timestamp, delivery.Payload));
            try
            {
                using var response = await _http!.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, timeout.Token);
                statusCode = (int)response.StatusCode;
                retryAfter = response.Headers.RetryAfter;
                body = await ReadStartAsync(response, timeout.Token);
            }
            catch (OperationCanceledException) when (!stoppingToken.IsCancellationRequested)
            {
                error = $"no answer within {Options.AttemptTimeout.TotalSeconds:0.###} s";
            }
            catch (HttpRequestException exception) when (exception.InnerException is RefusedTargetException refused)
            {
                error = refused.Message;
            }
            catch (HttpRequestException exception)
            {
                error = $"could not reach the receiver: {exception.Message}";
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            Finish(delivery, stoppingToken); // shutting down: the lease runs out and the delivery is tried again
            return;
        }
        catch (Exception exception)
        {
            error = "the attempt failed before sending";
            logger.LogError(exception, "Webhook delivery {DeliveryId} failed before sending", delivery.Id);
        }

        var duration = (int)Stopwatch.GetElapsedTime(started).TotalMilliseconds;
        outcomes.Record(Decide(delivery, at, statusCode, error, duration, body, retryAfter));
        // The slot is free as soon as the receiver has answered: the delivery stays pending and leased until its
        // outcome is written, so its resource's next delivery still waits, while other resources go ahead.
        Finish(delivery, stoppingToken);
    }

    private AttemptOutcome Decide(ClaimedDelivery delivery, DateTimeOffset at, int? statusCode, string? error, int duration, string? body,
        System.Net.Http.Headers.RetryConditionHeaderValue? retryAfter)
    {
        if (statusCode is >= 200 and < 300)
        {
            return new(delivery, at, statusCode, null, duration, body, "delivered", at, null);
        }

        error ??= statusCode is { } code ? $"the receiver answered {code}" : "failed";
        if (statusCode == (int)HttpStatusCode.Gone)
        {
            return new(delivery, at, statusCode, error, duration, body, "failed", at, "the receiver answered 410 Gone: it no longer accepts these events");
        }

        if (at - (delivery.FirstAttemptAt ?? at) >= Options.GiveUpAfter)
        {
            return new(delivery, at, statusCode, error, duration, body, "failed", at,
                $"every attempt failed for {Describe(Options.GiveUpAfter)} ({delivery.Attempts + 1} attempts); the last: {error}");
        }

        return new(delivery, at, statusCode, error, duration, body, "pending", at + RetrySchedule.DelayAfter(delivery.Attempts + 1, Options, retryAfter, at), null);
    }

    private static string Describe(TimeSpan span) => span.TotalDays >= 1 ? $"{span.TotalDays:0.#} days" : span.TotalHours >= 1 ? $"{span.TotalHours:0.#} hours" : $"{span.TotalSeconds:0.#} s";

    private static async Task<string?> ReadStartAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        // Only the start: a receiver that streams forever must not hold the slot or fill the log.
        await using var stream = await response.Content.ReadAsStreamAsync(cancellationToken);
        var buffer = new byte[ResponseBodyLimit];
        var read = await stream.ReadAtLeastAsync(buffer, buffer.Length, throwOnEndOfStream: false, cancellationToken);
        return read == 0 ? null : Encoding.UTF8.GetString(buffer, 0, read).Replace('\0', ' ');
    }

    /// <summary>Frees the attempt's slot for the next waiting delivery, and asks for more when its subscription runs low.</summary>
    private void Finish(ClaimedDelivery delivery, CancellationToken stoppingToken)
    {
        var next = _slots!.Finish(delivery, out var runningLow);
        if (stoppingToken.IsCancellationRequested)
        {
            return; // their leases are given back
        }

        Start(next, stoppingToken);
        if (runningLow)
        {
            signal.Wake();
        }
    }
}
