using MachCommerce.Hosting.Data;
using Npgsql;

namespace MachCommerce.Personalization;

/// <summary>Opens the personalization service's tenant-scoped transactions (see <see cref="TenantScope"/>).</summary>
public sealed class PersonalizationDatabase(NpgsqlDataSource dataSource)
{
    public const string Schema = "personalization";
    public const string ApplicationRole = "personalization_app";

    internal NpgsqlDataSource DataSource => dataSource;

    /// <summary>Both walls: the tenant filter in every query and row-level security under the application role.</summary>
    internal Task<TenantScope> BeginAsync(string tenantId, CancellationToken cancellationToken) =>
        TenantScope.BeginAsync(dataSource, tenantId, ApplicationRole, Schema, cancellationToken);

    /// <summary>
    /// For the decision and recommendation reads, which filter by tenant themselves and need the GIN index on
    /// products.category_ids: under row-level security PostgreSQL cannot use it for the non-leakproof <c>&amp;&amp;</c>
    /// operator and scans every product (the catalog's search measured the same). Their writes switch to the
    /// application role first (<c>SET LOCAL ROLE</c> <see cref="ApplicationRole"/> in the same batch), so every write
    /// keeps both walls.
    /// </summary>
    internal Task<TenantScope> BeginReadAsync(string tenantId, CancellationToken cancellationToken) =>
        TenantScope.BeginAsync(dataSource, tenantId, role: null, Schema, cancellationToken);

    /// <summary>Makes a message consumer's inbox transaction work for the event's tenant, with both walls.</summary>
    internal static Task EnterAsync(NpgsqlTransaction transaction, string tenantId, CancellationToken cancellationToken) =>
        TenantScope.EnterAsync(transaction, tenantId, ApplicationRole, Schema, cancellationToken);
}
