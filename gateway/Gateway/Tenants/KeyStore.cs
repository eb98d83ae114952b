using MachCommerce.Gateway.Callers;
using Npgsql;
using static MachCommerce.Hosting.Data.DataSourceQueries;

namespace MachCommerce.Gateway.Tenants;

public sealed record TenantRecord(string Id, string Name, string DefaultLanguage, string Status, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt);

public sealed record ApiKeyRecord(
    Guid Id, string TenantId, KeyKind Kind, string Name, string Prefix, IReadOnlyList<string> Scopes, IReadOnlyList<string> AllowedOrigins,
    RatePlan Plan, string CreatedBy, DateTimeOffset CreatedAt, DateTimeOffset? ExpiresAt, DateTimeOffset? RevokedAt);

/// <summary>A key as authentication needs it: the key and whether its tenant is active.</summary>
public sealed record KeyLookup(ApiKeyRecord Key, bool TenantActive);

/// <summary>
/// Tenants and keys in the gateway's schema. Authentication reads keys through a short-lived cache (every request
/// carries a key; the database is asked once per key and <see cref="GatewayOptions.KeyCacheLifetime"/>); a
/// revocation or suspension made through this instance drops the cached entries at once, another instance sees
/// it within the cache lifetime.
/// </summary>
public sealed class KeyStore(NpgsqlDataSource dataSource, IOptions<GatewayOptions> options, TimeProvider time)
{
    public const string Schema = "gateway";
    private const int MaxCachedKeys = 50_000;

    private readonly ExpiringCache<KeyLookup?> _cache = new(MaxCachedKeys, time);

    /// <summary>Whether a tenant is active, for callers with an access token (a key's lookup says it with the key), cached alike.</summary>
    private readonly ExpiringCache<bool> _tenants = new(MaxCachedKeys, time);

    private const string KeyColumns =
        "k.id, k.tenant_id, k.kind, k.name, k.prefix, k.scopes, k.allowed_origins, k.rate_per_second, k.burst, k.created_by, k.created_at, k.expires_at, k.revoked_at, k.cooperative_id";

    /// <summary>
    /// The keys of a tenant, or of a cooperative (its central tenant <c>coop.{cooperative}</c>): a cooperative's key
    /// is stored with the cooperative and acts in its central level.
    /// </summary>
    private const string OwnedBy = "(k.tenant_id = $1 OR ('coop.' || k.cooperative_id) = $1)";

    public async Task<KeyLookup?> FindAsync(byte[] hash, CancellationToken cancellationToken)
    {
        var cacheKey = Convert.ToHexString(hash);
        if (_cache.TryGet(cacheKey, out var cached))
        {
            return cached;
        }

        // A cooperative's key has no tenant to be suspended.
        var lookup = (await dataSource.QueryAsync($"SELECT {KeyColumns}, t.status FROM gateway.api_keys k LEFT JOIN gateway.tenants t ON t.id = k.tenant_id WHERE k.secret_hash = $1",
            reader => new KeyLookup(ReadKey(reader), reader.IsDBNull(14) || reader.GetString(14) == "active"), cancellationToken, hash)).FirstOrDefault();
        _cache.Set(cacheKey, lookup, _cache.Now + options.Value.KeyCacheLifetime);
        return lookup;
    }

    public async Task<ApiKeyRecord> CreateKeyAsync(string tenantId, KeyKind kind, string name, byte[] hash, string prefix, IReadOnlyList<string> scopes,
        IReadOnlyList<string> origins, RatePlan plan, string createdBy, DateTimeOffset? expiresAt, CancellationToken cancellationToken) =>
        (await dataSource.QueryAsync(
            $"""
            INSERT INTO gateway.api_keys AS k (id, tenant_id, kind, name, prefix, secret_hash, scopes, allowed_origins, rate_per_second, burst, created_by, expires_at, cooperative_id)
            VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)
            RETURNING {KeyColumns}
            """,
            ReadKey, cancellationToken,
            Guid.CreateVersion7(), Typed(CooperativeTenants.IsCentral(tenantId) ? null : tenantId, NpgsqlTypes.NpgsqlDbType.Text), ApiKeyKinds.Name(kind), name, prefix, hash,
            scopes.ToArray(), origins.ToArray(), plan.PerSecond, plan.Burst, createdBy, expiresAt,
            Typed(CooperativeTenants.IsCentral(tenantId) ? tenantId[CooperativeTenants.CentralPrefix.Length..] : null, NpgsqlTypes.NpgsqlDbType.Text)))[0];

    public async Task<bool> IsTenantActiveAsync(string tenantId, CancellationToken cancellationToken)
    {
        if (_tenants.TryGet(tenantId, out var cached))
        {
            return cached;
        }

        var active = (await dataSource.QueryAsync("SELECT status = 'active' FROM gateway.tenants WHERE id = $1", reader => reader.GetBoolean(0), cancellationToken, tenantId)).FirstOrDefault();
        _tenants.Set(tenantId, active, _tenants.Now + options.Value.KeyCacheLifetime);
        return active;
    }

    /// <summary>A tenant's keys, oldest first, after the cursor (the last key id of the previous page).</summary>
    public Task<List<ApiKeyRecord>> ListKeysAsync(string tenantId, Guid? after, int limit, CancellationToken cancellationToken) =>
        dataSource.QueryAsync($"SELECT {KeyColumns} FROM gateway.api_keys k WHERE {OwnedBy} AND ($2::uuid IS NULL OR k.id > $2) ORDER BY k.id LIMIT $3",
            ReadKey, cancellationToken, tenantId, Typed(after, NpgsqlTypes.NpgsqlDbType.Uuid), limit);

    public async Task<ApiKeyRecord?> GetKeyAsync(string tenantId, Guid id, CancellationToken cancellationToken) =>
        (await dataSource.QueryAsync($"SELECT {KeyColumns} FROM gateway.api_keys k WHERE {OwnedBy} AND k.id = $2", ReadKey, cancellationToken, tenantId, id)).FirstOrDefault();

    /// <summary>Revokes a key of the tenant (again is a no-op); null when the tenant has no such key.</summary>
    public async Task<ApiKeyRecord?> RevokeKeyAsync(string tenantId, Guid id, CancellationToken cancellationToken)
    {
        var key = (await dataSource.QueryAsync($"UPDATE gateway.api_keys k SET revoked_at = coalesce(k.revoked_at, now()) WHERE {OwnedBy} AND k.id = $2 RETURNING {KeyColumns}",
            ReadKey, cancellationToken, tenantId, id)).FirstOrDefault();
        Forget(entry => entry?.Key.Id == id);
        return key;
    }

    private const string TenantColumns = "id, name, default_language, status, created_at, updated_at";

    /// <summary>Null when a tenant of this id exists already.</summary>
    public async Task<TenantRecord?> CreateTenantAsync(string id, string name, string defaultLanguage, CancellationToken cancellationToken) =>
        (await dataSource.QueryAsync($"INSERT INTO gateway.tenants (id, name, default_language) VALUES ($1, $2, $3) ON CONFLICT (id) DO NOTHING RETURNING {TenantColumns}",
            ReadTenant, cancellationToken, id, name, defaultLanguage)).FirstOrDefault();

    public async Task<TenantRecord?> GetTenantAsync(string id, CancellationToken cancellationToken) =>
        (await dataSource.QueryAsync($"SELECT {TenantColumns} FROM gateway.tenants WHERE id = $1", ReadTenant, cancellationToken, id)).FirstOrDefault();

    public Task<List<TenantRecord>> ListTenantsAsync(string? after, int limit, CancellationToken cancellationToken) =>
        dataSource.QueryAsync($"SELECT {TenantColumns} FROM gateway.tenants WHERE $1::text IS NULL OR id > $1 ORDER BY id LIMIT $2",
            ReadTenant, cancellationToken, Typed(after, NpgsqlTypes.NpgsqlDbType.Text), limit);

    /// <summary>Changes name and status; a suspended tenant's keys stop working (on this instance at once).</summary>
    public async Task<TenantRecord?> UpdateTenantAsync(string id, string name, string status, CancellationToken cancellationToken)
    {
        var tenant = (await dataSource.QueryAsync($"UPDATE gateway.tenants SET name = $2, status = $3, updated_at = now() WHERE id = $1 RETURNING {TenantColumns}",
            ReadTenant, cancellationToken, id, name, status)).FirstOrDefault();
        Forget(entry => entry?.Key.TenantId == id);
        _tenants.Remove(id);
        return tenant;
    }

    private void Forget(Func<KeyLookup?, bool> matches) => _cache.RemoveWhere(matches);

    private static ApiKeyRecord ReadKey(NpgsqlDataReader reader) => new(
        reader.GetGuid(0), reader.IsDBNull(1) ? CooperativeTenants.CentralTenant(reader.GetString(13)) : reader.GetString(1), ApiKeyKinds.Parse(reader.GetString(2)) ?? KeyKind.Partner, reader.GetString(3), reader.GetString(4),
        reader.GetFieldValue<string[]>(5), reader.GetFieldValue<string[]>(6), new RatePlan(reader.GetInt32(7), reader.GetInt32(8)), reader.GetString(9),
        reader.GetFieldValue<DateTimeOffset>(10), reader.IsDBNull(11) ? null : reader.GetFieldValue<DateTimeOffset>(11),
        reader.IsDBNull(12) ? null : reader.GetFieldValue<DateTimeOffset>(12));

    private static TenantRecord ReadTenant(NpgsqlDataReader reader) => new(
        reader.GetString(0), reader.GetString(1), reader.GetString(2), reader.GetString(3), reader.GetFieldValue<DateTimeOffset>(4), reader.GetFieldValue<DateTimeOffset>(5));
}
