using MassTransit;
using System.Collections.Concurrent;
using System.Text.Json;
using Microsoft.Extensions.Hosting;

namespace MachCommerce.Messaging;

/// <summary>
/// Publishes committed outbox rows through MassTransit, each awaited until RabbitMQ confirms it, and marks them
/// sent in the transaction that claimed them. A worker owns a partition through a transaction-scoped advisory
/// lock, so replicas never publish one partition at once and a key's events leave in order; rows are claimed
/// FOR UPDATE SKIP LOCKED as a second guard. A crash after publishing but before marking causes one duplicate
/// publish, which the consumers' inbox drops.
/// </summary>
internal sealed class OutboxRelay(
    NpgsqlDataSource dataSource,
    OutboxTable table,
    IBus bus,
    OutboxSignal signal,
    MessagingMetrics metrics,
    IOptions<MessagingOptions> options,
    ILogger<OutboxRelay> logger) : BackgroundService
{
    private readonly MessagingOptions _options = options.Value;
    private readonly int _lockClass = LockClassOf(table.Schema);

    /// <summary>Test seam: runs after a batch is published and before it is marked sent (a throw there is a crash).</summary>
    internal Func<CancellationToken, Task>? AfterPublishBeforeMarkSent { get; set; }

    protected override Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var workers = _options.RelayWorkers;
        return Task.WhenAll(Enumerable.Range(0, workers).Select(worker => Task.Run(() => RunWorkerAsync(worker, workers, stoppingToken), stoppingToken)));
    }

    private async Task RunWorkerAsync(int worker, int workers, CancellationToken stoppingToken)
    {
        var partitions = Enumerable.Range(0, OutboxPartitions.Count).Where(p => p % workers == worker).Select(p => (short)p).ToArray();
        var consecutiveFailures = 0;
        while (!stoppingToken.IsCancellationRequested)
        {
            var wake = signal.NextWake();
            var published = 0;
            var failed = false;
            try
            {
                foreach (var partition in partitions)
                {
                    var (sent, partitionFailed) = await RelayPartitionAsync(partition, stoppingToken);
                    published += sent;
                    failed |= partitionFailed;
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception exception) when (exception is NpgsqlException or TimeoutException or IOException or InvalidOperationException)
            {
                logger.LogWarning("Outbox relay worker {Worker} failed: {Reason}", worker, exception.Message);
                failed = true;
            }

            consecutiveFailures = failed ? consecutiveFailures + 1 : 0;
            try
            {
                if (failed)
                {
                    // The broker or the database is away: back off, but not so far that recovery waits long.
                    await Task.Delay(TimeSpan.FromMilliseconds(Math.Min(250 * Math.Pow(2, consecutiveFailures - 1), 5_000)), stoppingToken);
                }
                else if (published == 0)
                {
                    await Task.WhenAny(wake, Task.Delay(_options.RelayPollInterval, stoppingToken));
                }
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    private async Task<(int Sent, bool Failed)> RelayPartitionAsync(short partition, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await using (var tryLock = new NpgsqlCommand("SELECT pg_try_advisory_xact_lock($1, $2)", connection, transaction))
        {
            tryLock.Parameters.Add(new() { Value = _lockClass });
            tryLock.Parameters.Add(new() { Value = (int)partition });
            if (await tryLock.ExecuteScalarAsync(cancellationToken) is not true)
            {
                return (0, false); // another worker or replica has this partition right now
            }
        }

        var rows = await ClaimAsync(connection, transaction, partition, cancellationToken);
        if (rows.Count == 0)
        {
            await transaction.CommitAsync(cancellationToken);
            return (0, false);
        }

        // Different keys go out concurrently; one key's rows strictly one after another, stopping at a failure.
        var sent = new ConcurrentBag<long>();
        var failures = new ConcurrentBag<(long Seq, string Error)>();
        await Task.WhenAll(rows.GroupBy(row => row.OrderingKey ?? row.MessageId.ToString()).Select(async group =>
        {
            foreach (var row in group)
            {
                try
                {
                    await PublishAsync(row, cancellationToken);
                    sent.Add(row.Seq);
                }
                catch (Exception exception) when (!cancellationToken.IsCancellationRequested)
                {
                    failures.Add((row.Seq, exception.Message));
                    return;
                }
            }
        }));

        if (AfterPublishBeforeMarkSent is { } crash)
        {
            await crash(cancellationToken);
        }

        await using (var markSent = new NpgsqlCommand(
            $"""
            WITH forgotten AS (DELETE FROM {table.Outbox} WHERE seq = ANY($1) AND delete_when_sent)
            UPDATE {table.Outbox} SET sent_at = clock_timestamp(), attempts = attempts + 1 WHERE seq = ANY($1) AND NOT delete_when_sent
            """, connection, transaction))
        {
            markSent.Parameters.Add(new() { Value = sent.ToArray() });
            await markSent.ExecuteNonQueryAsync(cancellationToken);
        }

        foreach (var (seq, error) in failures)
        {
            await using var markFailed = new NpgsqlCommand($"UPDATE {table.Outbox} SET attempts = attempts + 1, last_error = $2 WHERE seq = $1", connection, transaction);
            markFailed.Parameters.Add(new() { Value = seq });
            markFailed.Parameters.Add(new() { Value = error.Length > 2000 ? error[..2000] : error });
            await markFailed.ExecuteNonQueryAsync(cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
        metrics.Published(sent.Count);
        if (!failures.IsEmpty)
        {
            logger.LogWarning("Outbox relay could not publish {Count} event(s) of partition {Partition}: {Reason}", failures.Count, partition, failures.First().Error);
        }

        return (sent.Count, !failures.IsEmpty);
    }

    private async Task<List<OutboxRow>> ClaimAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, short partition, CancellationToken cancellationToken)
    {
        await using var claim = new NpgsqlCommand(
            $"""
            SELECT seq, message_id, ordering_key, tenant_id, message_type, payload::text, correlation_id
            FROM {table.Outbox}
            WHERE partition = $1 AND sent_at IS NULL
            ORDER BY seq
            LIMIT $2
            FOR UPDATE SKIP LOCKED
            """, connection, transaction);
        claim.Parameters.Add(new() { Value = partition });
        claim.Parameters.Add(new() { Value = _options.RelayBatchSize });
        var rows = new List<OutboxRow>();
        await using var reader = await claim.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            rows.Add(new OutboxRow(
                reader.GetInt64(0), reader.GetGuid(1),
                reader.IsDBNull(2) ? null : reader.GetString(2),
                reader.IsDBNull(3) ? null : reader.GetString(3),
                reader.GetString(4), reader.GetString(5),
                reader.IsDBNull(6) ? null : reader.GetString(6)));
        }

        return rows;
    }

    private async Task PublishAsync(OutboxRow row, CancellationToken cancellationToken)
    {
        var type = OutboxMessageTypes.Resolve(row.MessageType);
        var message = JsonSerializer.Deserialize(row.Payload, type, OutboxMessageTypes.Json)
            ?? throw new InvalidOperationException($"Outbox row {row.Seq} holds no event.");
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(_options.PublishTimeout);
        try
        {
            // The outbox row's id is the message id: a second publish of the row is recognisably the same message.
            await bus.Publish(message, type, context =>
            {
                context.MessageId = row.MessageId;
                if (row.TenantId is not null)
                {
                    context.Headers.Set(MessageHeaders.TenantId, row.TenantId);
                }

                if (row.CorrelationId is not null)
                {
                    context.Headers.Set(MessageHeaders.TraceId, row.CorrelationId);
                }
            }, timeout.Token);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new TimeoutException($"RabbitMQ did not confirm the publish within {_options.PublishTimeout.TotalSeconds:0.#} s.");
        }
    }

    private static int LockClassOf(string schema) => unchecked((int)OutboxPartitions.StableHash("outbox:" + schema));

    private sealed record OutboxRow(long Seq, Guid MessageId, string? OrderingKey, string? TenantId, string MessageType, string Payload, string? CorrelationId);
}

/// <summary>Headers the relay sets on every message.</summary>
public static class MessageHeaders
{
    public const string TenantId = "Mach-Tenant-Id";
    public const string TraceId = "Mach-Trace-Id";
}
