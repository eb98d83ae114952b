using MachCommerce.Hosting.Identity;

namespace MachCommerce.Hosting.Data;

/// <summary>
/// A service's database: its schema, the unprivileged application role its migrations created, and the
/// tenant-scoped transactions on them (see <see cref="TenantScope"/>). Each service names its own in a small
/// subclass (CatalogDatabase, ProfilesDatabase, PersonalizationDatabase) that the DI container hands out.
/// </summary>
public abstract class ServiceDatabase(NpgsqlDataSource dataSource, string schema, string applicationRole)
{
    /// <summary>The schema and role a service's database is made with (<see cref="ServiceDefaults.AddServiceDatabase{TDatabase}"/>).</summary>
    public interface IDefinition
    {
        static abstract string Schema { get; }

        static abstract string ApplicationRole { get; }
    }

    public NpgsqlDataSource DataSource => dataSource;

    /// <summary>Both walls: the tenant filter in every query and row-level security under the application role.</summary>
    public Task<TenantScope> BeginAsync(string tenantId, CancellationToken cancellationToken) =>
        TenantScope.BeginAsync(dataSource, tenantId, applicationRole, schema, cancellationToken);

    public Task<TenantScope> BeginAsync(RequestIdentity identity, CancellationToken cancellationToken) => BeginAsync(identity.TenantId, cancellationToken);

    /// <summary>
    /// Under the service's login, without row-level security: only for read-only queries that filter by tenant
    /// themselves and need an index PostgreSQL cannot use under a policy (the subclass says which and why).
    /// </summary>
    protected Task<TenantScope> BeginWithoutRowSecurityAsync(string tenantId, CancellationToken cancellationToken) =>
        TenantScope.BeginAsync(dataSource, tenantId, role: null, schema, cancellationToken);

    /// <summary>One read-only statement with both walls in one round trip (see <see cref="TenantScope.ReadAsync{T}(NpgsqlDataSource, string, string?, string, NpgsqlBatchCommand, Func{NpgsqlDataReader, CancellationToken, Task{T}}, CancellationToken)"/>).</summary>
    public Task<T> ReadAsync<T>(RequestIdentity identity, NpgsqlBatchCommand query, Func<NpgsqlDataReader, CancellationToken, Task<T>> read, CancellationToken cancellationToken) =>
        TenantScope.ReadAsync(dataSource, identity.TenantId, applicationRole, schema, query, read, cancellationToken);
}
