using MachCommerce.Gateway.Callers;

namespace MachCommerce.Gateway.Tenants;

public sealed record TenantInput(string? Id, string? Name, string? DefaultLanguage, string? Status);

public sealed record TenantView(string Id, string Name, string DefaultLanguage, string Status, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt)
{
    public static TenantView Of(TenantRecord tenant) => new(tenant.Id, tenant.Name, tenant.DefaultLanguage, tenant.Status, tenant.CreatedAt, tenant.UpdatedAt);
}

public sealed record KeyInput(string? Kind, string? Name, List<string>? Scopes, List<string>? AllowedOrigins, int? RatePerSecond, int? Burst, DateTimeOffset? ExpiresAt);

/// <summary>A key as listings show it: never the secret, only its first characters.</summary>
public sealed record KeyView(
    Guid Id, string TenantId, string Kind, string Name, string Prefix, IReadOnlyList<string> Scopes, IReadOnlyList<string> AllowedOrigins,
    int RatePerSecond, int Burst, string Status, string CreatedBy, DateTimeOffset CreatedAt, DateTimeOffset? ExpiresAt, DateTimeOffset? RevokedAt)
{
    public static KeyView Of(ApiKeyRecord key, DateTimeOffset now) => new(
        key.Id, key.TenantId, ApiKeyKinds.Name(key.Kind), key.Name, key.Prefix, key.Scopes, key.AllowedOrigins, key.Plan.PerSecond, key.Plan.Burst,
        key.RevokedAt is not null ? "revoked" : key.ExpiresAt <= now ? "expired" : "active", key.CreatedBy, key.CreatedAt, key.ExpiresAt, key.RevokedAt);
}

/// <summary>The answer to creating a key: the only time the key itself is shown.</summary>
public sealed record CreatedKey(string Key, KeyView Details);

public sealed record Page<T>(IReadOnlyList<T> Items, string? NextCursor);
