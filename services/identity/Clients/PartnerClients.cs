using MachCommerce.Hosting.Identity;
using System.Collections.Immutable;
using MachCommerce.Identity.Audit;
using MachCommerce.Identity.Data;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace MachCommerce.Identity.Clients;

/// <summary>
/// A shop's OAuth clients for partners' machines (client credentials), stored as OpenIddict applications that carry
/// their tenant. A client proves itself with a secret (256 random bits, shown once and kept only as a hash) or with a
/// JWT signed by its own private key (the partner registered the public half); another tenant's clients do not
/// exist for the caller.
/// </summary>
public sealed class PartnerClients(IOpenIddictApplicationManager applications, IdentityDb db, AuditLog audit, TimeProvider time)
{
    private const string ClientIdPrefix = "mcp_";
    private const string SecretPrefix = "mcs_";

    /// <param name="keys">The partner's public keys (private_key_jwt); null gives the client a secret instead.</param>
    public async Task<PartnerClientSecret> CreateAsync(string tenantId, string name, IReadOnlyList<string> scopes, RatePlan plan, JsonWebKeySet? keys, string createdBy,
        CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var client = new ClientApplication
        {
            TenantId = tenantId, CreatedAt = now, CreatedBy = createdBy, SecretRotatedAt = now, RatePerSecond = plan.PerSecond, Burst = plan.Burst,
        };
        var descriptor = new OpenIddictApplicationDescriptor
        {
            ClientId = ClientIdPrefix + Guid.CreateVersion7().ToString("N"),
            ClientType = ClientTypes.Confidential,
            DisplayName = name,
            JsonWebKeySet = keys,
        };
        descriptor.Permissions.UnionWith([Permissions.Endpoints.Token, Permissions.GrantTypes.ClientCredentials, .. scopes.Select(s => Permissions.Prefixes.Scope + s)]);
        await applications.PopulateAsync(client, descriptor, cancellationToken);
        var secret = keys is null ? NewSecret() : null;
        audit.Add(tenantId, createdBy, AuditLog.Actions.ClientCreated, descriptor.ClientId,
            $"{name}: {string.Join(' ', scopes)}; {plan.PerSecond}/s; {(keys is null ? "secret" : "own keys")}");
        await applications.CreateAsync(client, secret, cancellationToken);
        return new PartnerClientSecret(client.ClientId!, secret, View(client));
    }

    public async Task<(List<PartnerClientView> Clients, string? Next)> ListAsync(string tenantId, Guid? after, int limit, CancellationToken cancellationToken)
    {
        var query = db.Applications.AsNoTracking().Where(a => a.TenantId == tenantId);
        if (after is { } cursor)
        {
            query = query.Where(a => a.Id > cursor);
        }

        // Ids are UUIDv7: their order is the order of creation.
        var page = await query.OrderBy(a => a.Id).Take(limit + 1).ToListAsync(cancellationToken);
        return ([.. page.Take(limit).Select(View)], page.Count > limit ? page[limit - 1].Id.ToString() : null);
    }

    public async Task<PartnerClientView?> GetAsync(string tenantId, string clientId, CancellationToken cancellationToken) =>
        await FindAsync(tenantId, clientId, cancellationToken) is { } client ? View(client) : null;

    /// <summary>A new secret replaces the old at once: the old one gets no new token (tokens already issued live out their minutes).</summary>
    public async Task<PartnerClientSecret?> RotateSecretAsync(string tenantId, string clientId, string actor, CancellationToken cancellationToken)
    {
        if (await FindAsync(tenantId, clientId, cancellationToken) is not { } client)
        {
            return null;
        }

        if (client.JsonWebKeySet is not null)
        {
            // A key client has no secret of ours to rotate; its keys are the partner's (ReplaceKeysAsync).
            return new PartnerClientSecret(client.ClientId!, null, View(client));
        }

        client.SecretRotatedAt = time.GetUtcNow();
        var secret = NewSecret();
        audit.Add(tenantId, actor, AuditLog.Actions.SecretRotated, clientId);
        await applications.UpdateAsync(client, secret, cancellationToken);
        return new PartnerClientSecret(client.ClientId!, secret, View(client));
    }

    /// <summary>Replaces a key client's public keys (the partner rotates: the new set usually holds the new key and the old).</summary>
    public async Task<(PartnerClientView? Client, bool HasSecret)> ReplaceKeysAsync(string tenantId, string clientId, JsonWebKeySet keys, string actor,
        CancellationToken cancellationToken)
    {
        if (await FindAsync(tenantId, clientId, cancellationToken) is not { } client)
        {
            return (null, false);
        }

        if (client.JsonWebKeySet is null)
        {
            return (View(client), true);
        }

        var descriptor = new OpenIddictApplicationDescriptor();
        await applications.PopulateAsync(descriptor, client, cancellationToken);
        descriptor.JsonWebKeySet = keys;
        await applications.PopulateAsync(client, descriptor, cancellationToken);
        client.SecretRotatedAt = time.GetUtcNow();
        audit.Add(tenantId, actor, AuditLog.Actions.KeysReplaced, clientId, $"{keys.Keys.Count} key(s): {string.Join(' ', keys.Keys.Select(k => k.Kid))}");
        await applications.UpdateAsync(client, cancellationToken);
        return (View(client), false);
    }

    public async Task<bool> DeleteAsync(string tenantId, string clientId, string actor, CancellationToken cancellationToken)
    {
        if (await FindAsync(tenantId, clientId, cancellationToken) is not { } client)
        {
            return false;
        }

        audit.Add(tenantId, actor, AuditLog.Actions.ClientDeleted, clientId, client.DisplayName);
        await applications.DeleteAsync(client, cancellationToken);
        return true;
    }

    /// <summary>The scopes among a client's OpenIddict permissions.</summary>
    public static IReadOnlyList<string> ScopesOf(ImmutableArray<string> permissions) =>
        [.. permissions.Where(p => p.StartsWith(Permissions.Prefixes.Scope, StringComparison.Ordinal)).Select(p => p[Permissions.Prefixes.Scope.Length..]).Order(StringComparer.Ordinal)];

    public static bool LooksLikeClientId(string value) => value.StartsWith(ClientIdPrefix, StringComparison.Ordinal) && value.Length == ClientIdPrefix.Length + 32;

    private async Task<ClientApplication?> FindAsync(string tenantId, string clientId, CancellationToken cancellationToken) =>
        LooksLikeClientId(clientId) && await applications.FindByClientIdAsync(clientId, cancellationToken) is ClientApplication client && client.TenantId == tenantId
            ? client
            : null;

    private static PartnerClientView View(ClientApplication client) => new(
        client.ClientId!, client.DisplayName ?? "", client.JsonWebKeySet is null ? "client_secret" : "private_key_jwt", ScopesOf(StoredPermissions(client)), client.RatePerSecond, client.Burst, client.CreatedAt, client.CreatedBy,
        client.SecretRotatedAt);

    private static ImmutableArray<string> StoredPermissions(ClientApplication client) =>
        string.IsNullOrEmpty(client.Permissions) ? [] : [.. System.Text.Json.JsonSerializer.Deserialize<string[]>(client.Permissions) ?? []];

    private static string NewSecret() => SecretPrefix + System.Buffers.Text.Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(32));

    public static IReadOnlyList<string> Grantable => MachCommerce.Hosting.Identity.Scopes.All;
}
