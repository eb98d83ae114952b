namespace MachCommerce.Benchmarks;

/// <summary>
/// Durable (fsync on) PostgreSQL and RabbitMQ in <c>.data/bench</c>, shared by the benchmarks, with a fresh
/// database and virtual host for each run so runs never see each other's data.
/// </summary>
internal static class BenchmarkServers
{
    public static Task<LocalServers> StartAsync() => LocalServers.StartAsync(Path.Combine(RepositoryPaths.DataRoot(), "bench"), durable: true);

    public static async Task<(string Database, Uri Broker)> FreshAsync(this LocalServers servers, string name) => (
        await servers.Postgres.EnsureDatabaseAsync($"bench_{name}_{DateTime.UtcNow:HHmmss}"),
        await servers.RabbitMq.CreateVirtualHostAsync($"bench-{name}-{Guid.NewGuid():N}"));
}
