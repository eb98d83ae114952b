using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace MachCommerce.Messaging;

/// <summary>
/// LISTENs on the outbox channel and wakes the relay workers the moment another transaction (in this process
/// or any replica) commits outbox rows. If the listening connection breaks it reconnects; meanwhile the
/// workers' poll interval keeps events moving.
/// </summary>
internal sealed class OutboxSignal(NpgsqlDataSource dataSource, OutboxTable table, ILogger<OutboxSignal> logger) : BackgroundService
{
    private TaskCompletionSource _next = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>A task that completes at the next commit of outbox rows. Take it before looking for rows, so none is missed.</summary>
    public Task NextWake() => Volatile.Read(ref _next).Task;

    /// <summary>Wakes the workers now (used after the relay's own failures, and in-process right after a commit).</summary>
    public void Wake() => Interlocked.Exchange(ref _next, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).TrySetResult();

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await using var connection = await dataSource.OpenConnectionAsync(stoppingToken);
                connection.Notification += (_, _) => Wake();
                await using (var listen = new NpgsqlCommand($"LISTEN \"{table.Channel}\"", connection))
                {
                    await listen.ExecuteNonQueryAsync(stoppingToken);
                }

                Wake(); // rows committed while we were not listening
                while (!stoppingToken.IsCancellationRequested)
                {
                    await connection.WaitAsync(stoppingToken);
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception exception) when (exception is NpgsqlException or IOException or TimeoutException)
            {
                logger.LogWarning("Outbox listener lost its connection ({Reason}); polling until it is back", exception.Message);
                await Task.Delay(TimeSpan.FromSeconds(2), stoppingToken).ContinueWith(_ => { }, TaskScheduler.Default);
            }
        }
    }
}
