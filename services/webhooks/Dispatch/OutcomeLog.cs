using System.Threading.Channels;
using MachCommerce.Contracts.Webhooks.V1;
using MachCommerce.Webhooks.Audit;

namespace MachCommerce.Webhooks.Dispatch;

/// <summary>
/// Records how attempts went, in batches: the attempt log and the deliveries' new state in one transaction, and a
/// subscription that is given up switched off (audit log and an integration event in the same transaction). A
/// delivery stays pending and leased until its outcome is written, so its resource's next delivery waits for it.
/// </summary>
internal sealed class OutcomeLog(WebhooksDatabase database, DeliverySignal signal, IEventOutbox outbox, ILogger<OutcomeLog> logger)
{
    private readonly Channel<AttemptOutcome> _pending = Channel.CreateUnbounded<AttemptOutcome>(new UnboundedChannelOptions { SingleReader = true });

    public void Record(AttemptOutcome outcome) => _pending.Writer.TryWrite(outcome);

    /// <summary>No more outcomes come: <see cref="RunAsync"/> ends once the last is written.</summary>
    public void Complete() => _pending.Writer.TryComplete();

    public async Task RunAsync(CancellationToken stoppingToken)
    {
        var batch = new List<AttemptOutcome>();
        while (await _pending.Reader.WaitToReadAsync(CancellationToken.None))
        {
            while (batch.Count < 500 && _pending.Reader.TryRead(out var outcome))
            {
                batch.Add(outcome);
            }

            for (var attempt = 1; ; attempt++)
            {
                try
                {
                    await WriteAsync(batch, CancellationToken.None);
                    break;
                }
                catch (Exception exception) when (exception is NpgsqlException or TimeoutException && attempt < 30 && !stoppingToken.IsCancellationRequested)
                {
                    // The database is away: the receivers have the events already; keep the outcomes until it is back.
                    logger.LogWarning("Could not record {Count} webhook attempts ({Reason}); retrying", batch.Count, exception.Message);
                    await Task.Delay(TimeSpan.FromSeconds(1), CancellationToken.None);
                }
                catch (Exception exception)
                {
                    // The leases run out and these deliveries are sent again: at least once, never lost.
                    logger.LogError(exception, "Could not record {Count} webhook attempts; they will be sent again", batch.Count);
                    break;
                }
            }

            batch.Clear();
            signal.Wake(); // a resource's next delivery may be due now
        }
    }

    private async Task WriteAsync(List<AttemptOutcome> batch, CancellationToken cancellationToken)
    {
        await using var connection = await database.DataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await using (var write = new NpgsqlBatch(connection, transaction))
        {
            // Outcomes lost in a database crash only mean those deliveries are sent again (at least once).
            write.BatchCommands.Add(new NpgsqlBatchCommand("SET LOCAL synchronous_commit = off"));
            write.BatchCommands.Add(new NpgsqlBatchCommand("""
                INSERT INTO webhooks.attempts (id, tenant_id, delivery_id, attempted_at, status_code, error, duration_ms, response_body)
                SELECT * FROM unnest($1::uuid[], $2::text[], $3::uuid[], $4::timestamptz[], $5::int[], $6::text[], $7::int[], $8::text[])
                    AS u(id, tenant_id, delivery_id, attempted_at, status_code, error, duration_ms, response_body)
                -- A delivery whose subscription was deleted while it was in flight is gone, and so is its log: without
                -- this, its outcome failed the whole batch, and every other delivery's outcome waited with it.
                WHERE EXISTS (SELECT 1 FROM webhooks.deliveries d WHERE d.id = u.delivery_id)
                """)
            {
                Parameters =
                {
                    new() { Value = batch.Select(_ => Guid.CreateVersion7()).ToArray() },
                    new() { Value = batch.Select(o => o.Delivery.TenantId).ToArray() },
                    new() { Value = batch.Select(o => o.Delivery.Id).ToArray() },
                    new() { Value = batch.Select(o => o.At).ToArray() },
                    new() { Value = batch.Select(o => o.StatusCode).ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Integer },
                    new() { Value = batch.Select(o => o.Error).ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text },
                    new() { Value = batch.Select(o => o.DurationMs).ToArray() },
                    new() { Value = batch.Select(o => o.ResponseBody).ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text },
                },
            });
            write.BatchCommands.Add(new NpgsqlBatchCommand("""
                UPDATE webhooks.deliveries d SET status = u.status, attempts = d.attempts + 1, next_attempt_at = u.next_at, locked_until = NULL,
                    first_attempt_at = coalesce(d.first_attempt_at, u.at), last_attempt_at = u.at, last_status = u.code, last_error = u.error, completed_at = CASE WHEN u.status <> 'pending' THEN u.at END
                FROM unnest($1::uuid[], $2::text[], $3::timestamptz[], $4::timestamptz[], $5::int[], $6::text[]) AS u(id, status, next_at, at, code, error)
                WHERE d.id = u.id
                """)
            {
                Parameters =
                {
                    new() { Value = batch.Select(o => o.Delivery.Id).ToArray() },
                    new() { Value = batch.Select(o => o.Status).ToArray() },
                    new() { Value = batch.Select(o => o.NextAttemptAt).ToArray() },
                    new() { Value = batch.Select(o => o.At).ToArray() },
                    new() { Value = batch.Select(o => o.StatusCode).ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Integer },
                    new() { Value = batch.Select(o => o.Error).ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text },
                },
            });
            await write.ExecuteNonQueryAsync(cancellationToken);
        }

        foreach (var outcome in batch.Where(o => o.DisableReason is not null).DistinctBy(o => o.Delivery.SubscriptionId))
        {
            await DisableAsync(transaction, outcome, cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
    }

    /// <summary>Switches a subscription off and tells the owners: the audit log and an integration event, in the same transaction.</summary>
    private async Task DisableAsync(NpgsqlTransaction transaction, AttemptOutcome outcome, CancellationToken cancellationToken)
    {
        var delivery = outcome.Delivery;
        await using var disable = new NpgsqlCommand("""
            UPDATE webhooks.subscriptions SET active = false, disabled_reason = $2, updated_at = now(), version = version + 1
            WHERE id = $1 AND active RETURNING url
            """, transaction.Connection, transaction);
        disable.Parameters.Add(new() { Value = delivery.SubscriptionId });
        disable.Parameters.Add(new() { Value = outcome.DisableReason });
        if (await disable.ExecuteScalarAsync(cancellationToken) is not string url)
        {
            return; // already off
        }

        await AuditLog.WriteAsync(transaction, delivery.TenantId, AuditLog.Service, "subscription.disabled", delivery.SubscriptionId, outcome.DisableReason!, cancellationToken);
        await outbox.AddAsync(transaction, new WebhookSubscriptionDisabled
        {
            TenantId = delivery.TenantId, OccurredAt = outcome.At, SubscriptionId = delivery.SubscriptionId, Url = url, Reason = outcome.DisableReason!,
        }, delivery.SubscriptionId.ToString(), cancellationToken);
        logger.LogWarning("Webhook subscription {SubscriptionId} of {TenantId} switched off: {Reason}", delivery.SubscriptionId, delivery.TenantId, outcome.DisableReason);
    }
}
