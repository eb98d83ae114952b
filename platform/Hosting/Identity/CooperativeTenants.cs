namespace MachCommerce.Hosting.Identity;

/// <summary>
/// A cooperative's own level in the services: its central assortment is kept as a tenant of its own,
/// <c>coop.{cooperative}</c>. Tenant ids are lowercase letters, digits and hyphens, so no shop can ever be that tenant.
/// </summary>
public static class CooperativeTenants
{
    public const string CentralPrefix = "coop.";

    /// <summary>The tenant that holds the central assortment of <paramref name="cooperative"/>.</summary>
    public static string CentralTenant(string cooperative) => CentralPrefix + cooperative;

    public static bool IsCentral(string tenantId) => tenantId.StartsWith(CentralPrefix, StringComparison.Ordinal);
}
