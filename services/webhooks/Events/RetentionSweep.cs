namespace MachCommerce.Webhooks.Events;

/// <summary>
/// Forgets events, with their deliveries and attempts, once they are older than the retention period (30 days by
/// default, always longer than the retry window): a webhook log is not an archive of the shop's data.
/// </summary>
internal sealed class RetentionSweep(WebhooksDatabase database, IOptions<WebhooksOptions> options, ILogger<RetentionSweep> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromHours(1));
        do
        {
            try
            {
                await using var connection = await database.DataSource.OpenConnectionAsync(stoppingToken);
                await using var delete = new NpgsqlBatch(connection)
                {
                    BatchCommands =
                    {
                        new("DELETE FROM webhooks.events WHERE received_at < now() - $1") { Parameters = { new() { Value = options.Value.Retention } } },
                        new("DELETE FROM webhooks.audit_log WHERE at < now() - interval '400 days'"),
                    },
                };
                var deleted = await delete.ExecuteNonQueryAsync(stoppingToken);
                if (deleted > 0)
                {
                    logger.LogInformation("Forgot {Count} webhook events and log entries past their retention", deleted);
                }
            }
            catch (Exception exception) when (exception is NpgsqlException or TimeoutException)
            {
                logger.LogWarning("Webhook retention sweep failed ({Reason}); trying again in an hour", exception.Message);
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken).AsTask().ContinueWith(t => t.IsCompletedSuccessfully && t.Result, TaskScheduler.Default));
    }
}
