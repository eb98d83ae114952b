namespace MachCommerce.Testing;

/// <summary>
/// One real PostgreSQL and one real RabbitMQ per test run, started on first use by the same code the launcher
/// uses, from the machine's binaries, in <c>.data/tests/{project}</c>; stopped by <see cref="ServersTestFramework"/> at the end.
/// Tests isolate themselves by database, schema or tenant, so they can share the servers and run in parallel.
/// </summary>
public static class TestServers
{
    private static readonly Lazy<Task<LocalServers>> Servers = new(StartAsync, LazyThreadSafetyMode.ExecutionAndPublication);

    public static Task<LocalServers> GetAsync() => Servers.Value;

    /// <summary>A fresh, empty database on the shared server, for tests that need a whole database to themselves.</summary>
    public static async Task<string> CreateDatabaseAsync(string prefix)
    {
        var servers = await GetAsync();
        var name = $"{prefix}_{Guid.NewGuid():N}"[..Math.Min(prefix.Length + 33, 63)];
        return await servers.Postgres.EnsureDatabaseAsync(name);
    }

    public static async Task DropDatabaseAsync(string connectionString)
    {
        var servers = await GetAsync();
        var database = new NpgsqlConnectionStringBuilder(connectionString).Database!;
        NpgsqlConnection.ClearAllPools();
        await using var connection = new NpgsqlConnection(servers.Postgres.ConnectionString);
        await connection.OpenAsync();
        await using var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS \"{database}\" WITH (FORCE)", connection);
        await drop.ExecuteNonQueryAsync();
    }

    private static async Task<LocalServers> StartAsync()
    {
        // One folder per test project (bin/Debug/net10.0 sits three levels below it), so a run that was killed
        // leaves servers the next run of the same project finds and stops, and two projects never share one.
        var binFolder = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
        var project = binFolder.Parent?.Parent?.Parent?.Name ?? "tests";
        var directory = Path.Combine(RepositoryPaths.DataRoot(), "tests", project);
        return await LocalServers.StartAsync(directory, durable: false);
    }

    /// <summary>Stops the servers if this run started them; <see cref="ServersTestFramework"/> calls it at the end.</summary>
    public static async Task StopAsync()
    {
        if (Servers.IsValueCreated && Servers.Value.IsCompletedSuccessfully)
        {
            await Servers.Value.Result.StopAsync();
        }
    }
}
