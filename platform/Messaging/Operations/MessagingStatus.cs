using Microsoft.Extensions.Hosting;

namespace MachCommerce.Messaging;

/// <summary>
/// Samples the outbox backlog and the error queues for the metrics and readiness, and prunes what is no longer
/// needed: sent outbox rows and old inbox rows. Readiness reports Degraded (still 200) when events are stuck
/// or messages wait in an error queue: the service works, but somebody should look.
/// </summary>
internal sealed class MessagingStatus(
    NpgsqlDataSource dataSource,
    OutboxTable table,
    BrokerConnection broker,
    MessagingEndpoints endpoints,
    MessagingMetrics metrics,
    IOptions<MessagingOptions> options,
    ILogger<MessagingStatus> logger) : BackgroundService, IHealthCheck
{
    private static readonly TimeSpan SampleInterval = TimeSpan.FromSeconds(15);

    public async Task<MessagingSnapshot> SampleAsync(CancellationToken cancellationToken)
    {
        long backlog;
        double oldestAge;
        await using (var command = dataSource.CreateCommand(
            $"SELECT count(*), coalesce(extract(epoch FROM clock_timestamp() - min(created_at)), 0)::float8 FROM {table.Outbox} WHERE sent_at IS NULL"))
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
        {
            await reader.ReadAsync(cancellationToken);
            backlog = reader.GetInt64(0);
            oldestAge = reader.GetDouble(1);
        }

        var errorQueues = new Dictionary<string, long>();
        try
        {
            var connection = await broker.GetAsync(cancellationToken);
            foreach (var endpoint in endpoints.Names)
            {
                errorQueues[endpoint + ErrorQueues.Suffix] = await ErrorQueues.DepthAsync(connection, endpoint + ErrorQueues.Suffix, cancellationToken);
            }
        }
        catch (Exception exception) when (exception is RabbitMQ.Client.Exceptions.BrokerUnreachableException or IOException or TimeoutException
                                              or RabbitMQ.Client.Exceptions.AlreadyClosedException or RabbitMQ.Client.Exceptions.OperationInterruptedException)
        {
            // The broker check reports that; the outbox numbers still count.
        }

        var snapshot = new MessagingSnapshot(backlog, oldestAge, errorQueues.Values.Sum(), errorQueues);
        metrics.Latest = snapshot;
        return snapshot;
    }

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            var snapshot = await SampleAsync(cancellationToken);
            var data = new Dictionary<string, object>
            {
                ["outboxBacklog"] = snapshot.Backlog,
                ["outboxOldestAgeSeconds"] = Math.Round(snapshot.OldestAgeSeconds, 1),
                ["inboxDuplicatesDropped"] = metrics.DuplicatesDropped,
                ["errorQueues"] = snapshot.ErrorQueues,
            };
            var stuck = snapshot.OldestAgeSeconds > options.Value.BacklogAgeWarning.TotalSeconds;
            if (stuck || snapshot.ErrorQueueDepth > 0)
            {
                var reason = stuck
                    ? $"{snapshot.Backlog} event(s) wait to be published, the oldest for {snapshot.OldestAgeSeconds:0} s."
                    : $"{snapshot.ErrorQueueDepth} message(s) wait in error queues.";
                return HealthCheckResult.Degraded(reason, data: data);
            }

            return HealthCheckResult.Healthy("Events flow.", data);
        }
        catch (NpgsqlException exception)
        {
            return new HealthCheckResult(context.Registration.FailureStatus, $"The outbox cannot be read: {exception.Message}");
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var nextPrune = DateTime.UtcNow;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await SampleAsync(stoppingToken);
                if (DateTime.UtcNow >= nextPrune)
                {
                    await PruneAsync(stoppingToken);
                    nextPrune = DateTime.UtcNow + options.Value.PruneInterval;
                }

                await Task.Delay(SampleInterval, stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (NpgsqlException exception)
            {
                logger.LogWarning("Messaging housekeeping failed: {Reason}", exception.Message);
                await Task.Delay(SampleInterval, stoppingToken).ContinueWith(_ => { }, TaskScheduler.Default);
            }
        }
    }

    /// <summary>Deletes in small batches so pruning never holds long locks on a busy table.</summary>
    internal async Task<long> PruneAsync(CancellationToken cancellationToken)
    {
        long deleted = 0;
        foreach (var (sql, retention) in new[]
                 {
                     ($"DELETE FROM {table.Outbox} WHERE seq IN (SELECT seq FROM {table.Outbox} WHERE sent_at < now() - $1 LIMIT 5000)", options.Value.SentRetention),
                     ($"DELETE FROM {table.Inbox} WHERE ctid IN (SELECT ctid FROM {table.Inbox} WHERE received_at < now() - $1 LIMIT 5000)", options.Value.InboxRetention),
                 })
        {
            int batch;
            do
            {
                await using var command = dataSource.CreateCommand(sql);
                command.Parameters.Add(new() { Value = retention });
                batch = await command.ExecuteNonQueryAsync(cancellationToken);
                deleted += batch;
            }
            while (batch > 0);
        }

        return deleted;
    }
}

/// <summary>The receive endpoints (queues) of this service, for error-queue monitoring.</summary>
internal sealed class MessagingEndpoints(IReadOnlyList<string> names)
{
    public IReadOnlyList<string> Names { get; } = names;
}
