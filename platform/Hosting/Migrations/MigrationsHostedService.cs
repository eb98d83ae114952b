namespace MachCommerce.Hosting.Migrations;

public static class MigrationsServiceCollectionExtensions
{
    /// <summary>
    /// Applies the assembly's embedded migrations to <paramref name="schema"/> while the host starts, before the
    /// server accepts requests; a failure stops the process with the migration's name and the reason.
    /// </summary>
    /// <param name="applicationRole">The service's unprivileged role, which the runner creates and grants (see <see cref="MigrationRunner"/>).</param>
    public static IServiceCollection AddSqlMigrations(this IServiceCollection services, string schema, Assembly assembly, string historyTable = "schema_migrations",
        string? applicationRole = null)
    {
        // Not AddHostedService: it de-duplicates by type, and a service has one runner per history table. Ahead of every
        // other hosted service (in the order they were added), since those may read their tables as they start: the
        // framework's own data protection loads its key ring then, before a later runner would have made the table.
        var runners = services.FirstOrDefault(d => d.ServiceType == typeof(RunnerCount))?.ImplementationInstance as RunnerCount;
        if (runners is null)
        {
            runners = new RunnerCount();
            services.AddSingleton(runners);
        }

        services.Insert(runners.Count++, ServiceDescriptor.Singleton<IHostedService>(sp => new MigrationsHostedService(
            new MigrationRunner(sp.GetRequiredService<NpgsqlDataSource>(), schema, Migration.FromAssembly(assembly), sp.GetRequiredService<ILogger<MigrationRunner>>(), historyTable, applicationRole))));
        return services;
    }

    /// <summary>How many runners stand at the front of the service collection already.</summary>
    private sealed class RunnerCount
    {
        public int Count { get; set; }
    }

    private sealed class MigrationsHostedService(MigrationRunner runner) : IHostedService
    {
        public Task StartAsync(CancellationToken cancellationToken) => runner.ApplyAsync(cancellationToken);

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
