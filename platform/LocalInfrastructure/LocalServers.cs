namespace MachCommerce.LocalInfrastructure;

/// <summary>
/// PostgreSQL and RabbitMQ together, started side by side. <c>MACH_POSTGRES</c> (a connection string) and
/// <c>MACH_RABBITMQ</c> (an amqp:// URI) name existing servers to use instead of starting private ones.
/// </summary>
public sealed class LocalServers : IAsyncDisposable
{
    public const string PostgresVariable = "MACH_POSTGRES";
    public const string RabbitMqVariable = "MACH_RABBITMQ";

    private LocalServers(LocalPostgres postgres, LocalRabbitMq rabbitMq)
    {
        Postgres = postgres;
        RabbitMq = rabbitMq;
    }

    public LocalPostgres Postgres { get; }

    public LocalRabbitMq RabbitMq { get; }

    public string DataDirectory { get; private init; } = "";

    /// <param name="dataDirectory">Parent of the <c>postgres/</c> and <c>rabbitmq/</c> folders.</param>
    /// <param name="durable">False for throw-away test servers (no fsync).</param>
    public static async Task<LocalServers> StartAsync(string dataDirectory, bool durable = true, int? postgresPort = null, int? rabbitMqPort = null,
        Action<string>? log = null, CancellationToken cancellationToken = default)
    {
        var existingRabbit = Environment.GetEnvironmentVariable(RabbitMqVariable);
        var postgresTask = LocalPostgres.StartAsync(new LocalPostgresOptions
        {
            DataDirectory = Path.Combine(dataDirectory, "postgres"),
            ExistingConnectionString = Environment.GetEnvironmentVariable(PostgresVariable),
            PreferredPort = postgresPort,
            Durable = durable,
            Log = log,
        }, cancellationToken);
        var rabbitTask = LocalRabbitMq.StartAsync(new LocalRabbitMqOptions
        {
            DataDirectory = Path.Combine(dataDirectory, "rabbitmq"),
            ExistingUri = string.IsNullOrWhiteSpace(existingRabbit) ? null : new Uri(existingRabbit),
            PreferredPort = rabbitMqPort,
            Log = log,
        }, cancellationToken);

        try
        {
            await Task.WhenAll(postgresTask, rabbitTask);
        }
        catch
        {
            // One of them may have started: do not leave it running behind a failed start.
            if (postgresTask.IsCompletedSuccessfully)
            {
                await postgresTask.Result.StopAsync();
            }

            if (rabbitTask.IsCompletedSuccessfully)
            {
                await rabbitTask.Result.StopAsync();
            }

            throw;
        }

        return new LocalServers(postgresTask.Result, rabbitTask.Result) { DataDirectory = Path.GetFullPath(dataDirectory) };
    }

    /// <summary>Stops servers a killed process left running in <paramref name="dataDirectory"/> without starting new ones.</summary>
    public static async Task StopLeftoversAsync(string dataDirectory)
    {
        await LocalPostgres.StopLeftoverAsync(Path.Combine(dataDirectory, "postgres"));
        await LocalRabbitMq.StopLeftoverAsync(Path.Combine(dataDirectory, "rabbitmq"));
    }

    public async Task StopAsync() => await Task.WhenAll(RabbitMq.StopAsync(), Postgres.StopAsync());

    public async ValueTask DisposeAsync() => await StopAsync();
}
