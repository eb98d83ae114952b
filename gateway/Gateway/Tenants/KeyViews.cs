using MachCommerce.Gateway.Callers;

namespace MachCommerce.Gateway.Tenants;

/// <summary>The admin API's answers made from the gateway's records (the shapes are in contracts/Api, shared with the client).</summary>
internal static class AdminViews
{
    public static TenantView View(this TenantRecord tenant) => new(tenant.Id, tenant.Name, tenant.DefaultLanguage, tenant.Status, tenant.CreatedAt, tenant.UpdatedAt);

    public static KeyView View(this ApiKeyRecord key, DateTimeOffset now) => new(
        key.Id, key.TenantId, ApiKeyKinds.Name(key.Kind), key.Name, key.Prefix, key.Scopes, key.AllowedOrigins, key.Plan.PerSecond, key.Plan.Burst,
        key.RevokedAt is not null ? "revoked" : key.ExpiresAt <= now ? "expired" : "active", key.CreatedBy, key.CreatedAt, key.ExpiresAt, key.RevokedAt);
}
