using System.Reflection;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Npgsql;

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
        // Not AddHostedService: it de-duplicates by type, and a service has one runner per history table.
        services.AddSingleton<IHostedService>(sp => new MigrationsHostedService(
            new MigrationRunner(sp.GetRequiredService<NpgsqlDataSource>(), schema, Migration.FromAssembly(assembly), sp.GetRequiredService<ILogger<MigrationRunner>>(), historyTable, applicationRole)));
        return services;
    }

    private sealed class MigrationsHostedService(MigrationRunner runner) : IHostedService
    {
        public Task StartAsync(CancellationToken cancellationToken) => runner.ApplyAsync(cancellationToken);

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
