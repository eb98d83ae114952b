namespace MachCommerce.Hosting.Data;

/// <summary>
/// LISTENs on a PostgreSQL channel and wakes whoever waits the moment another transaction (in this process or
/// any replica) commits a NOTIFY on it; PostgreSQL delivers a NOTIFY only at commit, exactly when the rows it
/// announces are visible. If the listening connection breaks it reconnects; meanwhile the waiters' own poll
/// interval keeps work moving.
/// </summary>
public abstract class NotificationSignal(NpgsqlDataSource dataSource, string channel, ILogger logger) : BackgroundService
{
    private TaskCompletionSource _next = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>A task that completes at the next notification. Take it before looking for rows, so none is missed.</summary>
    public Task NextWake() => Volatile.Read(ref _next).Task;

    /// <summary>Wakes the waiters now (after their own failures, or in-process right after a commit).</summary>
    public void Wake() => Interlocked.Exchange(ref _next, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).TrySetResult();

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await using var connection = await dataSource.OpenConnectionAsync(stoppingToken);
                connection.Notification += (_, _) => Wake();
                await using (var listen = new NpgsqlCommand($"LISTEN \"{channel}\"", connection))
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
                logger.LogWarning("Listener on {Channel} lost its connection ({Reason}); polling until it is back", channel, exception.Message);
                await Task.Delay(TimeSpan.FromSeconds(2), stoppingToken).ContinueWith(_ => { }, TaskScheduler.Default);
            }
        }
    }
}
