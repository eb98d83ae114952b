using MachCommerce.Hosting.Data;

namespace MachCommerce.Personalization;

/// <summary>The personalization service's schema and application role (see <see cref="ServiceDatabase"/>).</summary>
public sealed class PersonalizationDatabase(NpgsqlDataSource dataSource) : ServiceDatabase(dataSource, Schema, ApplicationRole), ServiceDatabase.IDefinition
{
    public static string Schema => "personalization";
    public static string ApplicationRole => "personalization_app";

    /// <summary>
    /// For the decision and recommendation reads, which filter by tenant themselves and need the GIN index on
    /// products.category_ids: under row-level security PostgreSQL cannot use it for the non-leakproof <c>&amp;&amp;</c>
    /// operator and scans every product (the catalog's search measured the same). Their writes switch to the
    /// application role first (<c>SET LOCAL ROLE</c> <see cref="ApplicationRole"/> in the same batch), so every write
    /// keeps both walls.
    /// </summary>
    internal Task<TenantScope> BeginReadAsync(string tenantId, CancellationToken cancellationToken) =>
        BeginWithoutRowSecurityAsync(tenantId, cancellationToken);

    /// <summary>Makes a message consumer's inbox transaction work for the event's tenant, with both walls.</summary>
    internal static Task EnterAsync(NpgsqlTransaction transaction, string tenantId, CancellationToken cancellationToken) =>
        TenantScope.EnterAsync(transaction, tenantId, ApplicationRole, Schema, cancellationToken);
}
