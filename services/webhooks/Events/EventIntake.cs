using System.Threading.Channels;
using MachCommerce.Webhooks.Dispatch;

namespace MachCommerce.Webhooks.Events;

/// <summary>One integration event as the fan-out keeps it, with where it came from on the broker.</summary>
internal sealed record IncomingEvent(Guid MessageId, string Consumer, string TenantId, string Type, string ResourceKey, DateTimeOffset OccurredAt, string Payload,
    string? BrokerConsumer, ulong DeliveryTag);

/// <summary>
/// Writes the events the fan-out consumers hand in, many in one transaction (group commit): the inbox rows, the kept
/// events and one delivery per subscription that wants each. A consumer's call returns when its event is committed,
/// so the broker's acknowledgement still follows the commit and a crash loses nothing; one commit (and one disk
/// flush) per batch instead of per event is what lets the service take in thousands of events a second.
/// Order: consumers run many messages at once, so they reach this in nearly but not exactly the broker's order. The
/// broker numbers a channel's deliveries 1, 2, 3, …; the intake writes them in that order, and when a number is
/// missing it waits for it a moment (<see cref="GapWait"/>) before going on, so a product's price.changed is never
/// numbered before its product.changed. A message tried again after a failure is written as soon as it comes.
/// </summary>
internal sealed class EventIntake(NpgsqlDataSource dataSource, DeliverySignal signal, ILogger<EventIntake> logger) : BackgroundService
{
    /// <summary>How long a missing delivery number is waited for (a message that never reaches a consumer, e.g. one that could not be read).</summary>
    private static readonly TimeSpan GapWait = TimeSpan.FromMilliseconds(50);

    private const int MaxBatch = 1000;
    private readonly Channel<Pending> _incoming = Channel.CreateUnbounded<Pending>(new UnboundedChannelOptions { SingleReader = true });

    // The broker channel whose numbers are followed, and the next number expected on it.
    private string? _followed;
    private ulong _next;

    /// <summary>Completes when the event is committed; throws when it could not be, so the broker redelivers it.</summary>
    public Task TakeAsync(IncomingEvent incoming, CancellationToken cancellationToken)
    {
        var pending = new Pending(incoming, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));
        if (!_incoming.Writer.TryWrite(pending))
        {
            throw new InvalidOperationException("The webhooks service is stopping; the event goes back to the broker.");
        }

        return pending.Committed.Task.WaitAsync(cancellationToken);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var waiting = new List<Pending>();
        DateTime? gapSince = null;
        try
        {
            while (true)
            {
                if (waiting.Count == 0)
                {
                    await _incoming.Reader.WaitToReadAsync(stoppingToken);
                }
                else if (gapSince is { } since)
                {
                    var left = GapWait - (DateTime.UtcNow - since);
                    if (left > TimeSpan.Zero)
                    {
                        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
                        timeout.CancelAfter(left);
                        try
                        {
                            await _incoming.Reader.WaitToReadAsync(timeout.Token);
                        }
                        catch (OperationCanceledException) when (!stoppingToken.IsCancellationRequested)
                        {
                        }
                    }
                }

                while (waiting.Count < MaxBatch * 2 && _incoming.Reader.TryRead(out var pending))
                {
                    waiting.Add(pending);
                }

                var batch = TakeReady(waiting, gapSince is { } started && DateTime.UtcNow - started >= GapWait);
                gapSince = waiting.Count > 0 && batch.Count == 0 ? gapSince ?? DateTime.UtcNow : null;
                if (batch.Count > 0)
                {
                    await CommitAsync(batch, stoppingToken);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
        finally
        {
            // Stopping: whatever was not written goes back to the broker and comes again.
            _incoming.Writer.TryComplete();
            while (_incoming.Reader.TryRead(out var pending))
            {
                waiting.Add(pending);
            }

            foreach (var pending in waiting)
            {
                pending.Committed.TrySetException(new OperationCanceledException("The webhooks service is stopping."));
            }
        }
    }

    /// <summary>
    /// The events that may be written now, in the order to write them: messages tried again (numbers already passed)
    /// and messages of channels not followed first, then the followed channel's unbroken run from the next number.
    /// </summary>
    private List<Pending> TakeReady(List<Pending> waiting, bool gapWaitedOut)
    {
        // A delivery numbered 1 starts a channel (MassTransit opens a new one after a broker outage): follow it.
        if (waiting.FirstOrDefault(p => p.Event.DeliveryTag == 1 && p.Event.BrokerConsumer != _followed) is { } first)
        {
            _followed = first.Event.BrokerConsumer;
            _next = 1;
        }
        else if (_followed is null && waiting.Count > 0)
        {
            _followed = waiting[0].Event.BrokerConsumer;
            _next = waiting.Where(p => p.Event.BrokerConsumer == _followed).Min(p => p.Event.DeliveryTag);
        }

        var ready = waiting.Where(p => p.Event.BrokerConsumer != _followed || p.Event.DeliveryTag < _next).OrderBy(p => p.Event.DeliveryTag).ToList();
        var followed = waiting.Where(p => p.Event.BrokerConsumer == _followed && p.Event.DeliveryTag >= _next).OrderBy(p => p.Event.DeliveryTag).ToList();
        if (gapWaitedOut && followed.Count > 0 && followed[0].Event.DeliveryTag > _next)
        {
            logger.LogDebug("Deliveries {From} to {To} never reached the fan-out; going on without them", _next, followed[0].Event.DeliveryTag - 1);
            _next = followed[0].Event.DeliveryTag;
        }

        foreach (var pending in followed)
        {
            if (pending.Event.DeliveryTag > _next || ready.Count >= MaxBatch)
            {
                break;
            }

            ready.Add(pending);
            _next = pending.Event.DeliveryTag + 1; // a number seen twice (two attempts in flight) just follows the first
        }

        if (ready.Count > MaxBatch)
        {
            ready.RemoveRange(MaxBatch, ready.Count - MaxBatch);
        }

        var taken = ready.ToHashSet();
        waiting.RemoveAll(taken.Contains);
        return ready;
    }

    private async Task CommitAsync(List<Pending> batch, CancellationToken stoppingToken)
    {
        try
        {
            await WriteAsync(batch, stoppingToken);
            Complete(batch, null);
            return;
        }
        catch (Exception exception) when (batch.Count > 1 && !stoppingToken.IsCancellationRequested)
        {
            logger.LogWarning("Could not write {Count} webhook events at once ({Reason}); writing them one by one", batch.Count, exception.Message);
        }
        catch (Exception exception)
        {
            Complete(batch, exception);
            return;
        }

        // One event that cannot be written must not hold back the others: each alone, and only the bad one fails.
        foreach (var pending in batch)
        {
            try
            {
                await WriteAsync([pending], stoppingToken);
                Complete([pending], null);
            }
            catch (Exception exception)
            {
                Complete([pending], exception);
            }
        }
    }

    private void Complete(List<Pending> batch, Exception? failure)
    {
        foreach (var pending in batch)
        {
            if (failure is null)
            {
                pending.Committed.TrySetResult();
            }
            else
            {
                pending.Committed.TrySetException(failure);
            }
        }

        if (failure is null)
        {
            signal.Wake();
        }
    }

    /// <summary>
    /// One statement for the batch, under the service's login (like the dispatcher, across tenants: each event's
    /// deliveries go only to subscriptions of the event's own tenant). The inbox drops messages applied before; a
    /// message twice in one batch (a redelivery beside its retry) is written once.
    /// </summary>
    private async Task WriteAsync(List<Pending> batch, CancellationToken cancellationToken)
    {
        var events = batch.Select(p => p.Event).DistinctBy(e => (e.MessageId, e.Consumer)).ToList();
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await using (var write = new NpgsqlCommand($"""
            WITH incoming AS (
                SELECT * FROM unnest($1::uuid[], $2::text[], $3::text[], $4::text[], $5::text[], $6::timestamptz[], $7::text[])
                    WITH ORDINALITY AS m(id, consumer, tenant_id, type, resource_key, occurred_at, payload, n)
            ), fresh AS (
                INSERT INTO {WebhooksDatabase.Schema}.inbox (message_id, consumer) SELECT id, consumer FROM incoming
                ON CONFLICT DO NOTHING
                RETURNING message_id, consumer
            ), wanted AS (
                SELECT m.n, s.id AS subscription_id, s.active FROM incoming m
                JOIN fresh f ON f.message_id = m.id AND f.consumer = m.consumer
                JOIN {WebhooksDatabase.Schema}.subscriptions s ON s.tenant_id = m.tenant_id AND m.type = ANY(s.event_types)
            ), kept AS (
                INSERT INTO {WebhooksDatabase.Schema}.events (id, tenant_id, type, resource_key, occurred_at, payload)
                SELECT m.id, m.tenant_id, m.type, m.resource_key, m.occurred_at, m.payload FROM incoming m
                WHERE EXISTS (SELECT 1 FROM wanted w WHERE w.n = m.n)
                ORDER BY m.n
                ON CONFLICT (id) DO NOTHING
                RETURNING id
            )
            INSERT INTO {WebhooksDatabase.Schema}.deliveries (id, tenant_id, subscription_id, event_id, event_type, resource_key)
            SELECT gen_random_uuid(), m.tenant_id, w.subscription_id, m.id, m.type, m.resource_key
            FROM wanted w JOIN incoming m ON m.n = w.n JOIN kept k ON k.id = m.id
            WHERE w.active
            ORDER BY m.n
            """, connection, transaction))
        {
            write.Parameters.Add(new() { Value = events.Select(e => e.MessageId).ToArray() });
            write.Parameters.Add(new() { Value = events.Select(e => e.Consumer).ToArray() });
            write.Parameters.Add(new() { Value = events.Select(e => e.TenantId).ToArray() });
            write.Parameters.Add(new() { Value = events.Select(e => e.Type).ToArray() });
            write.Parameters.Add(new() { Value = events.Select(e => e.ResourceKey).ToArray() });
            write.Parameters.Add(new() { Value = events.Select(e => e.OccurredAt).ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.TimestampTz });
            write.Parameters.Add(new() { Value = events.Select(e => e.Payload).ToArray() });
            await write.ExecuteNonQueryAsync(cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
    }

    private sealed record Pending(IncomingEvent Event, TaskCompletionSource Committed);
}
