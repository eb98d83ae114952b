using MachCommerce.Api.Gateway;

namespace MachCommerce.Client.Admin;

/// <summary>
/// The gateway's own admin API (<c>/api/admin</c>): a shop's API keys (an admin key of that shop) and customer
/// tokens (an admin key, or a partner key allowed to read profiles). A created key is shown once, in
/// <see cref="CreatedKey.Key"/>; keep it in a secret store.
/// </summary>
public interface IGatewayAdminApi
{
    [Get("/api/admin/keys")]
    Task<AdminPage<KeyView>> ListKeysAsync(string? cursor = null, int? limit = null, CancellationToken cancellationToken = default);

    [Get("/api/admin/keys/{id}")]
    Task<KeyView> GetKeyAsync(Guid id, CancellationToken cancellationToken = default);

    [Post("/api/admin/keys")]
    Task<CreatedKey> CreateKeyAsync([Body] KeyInput key, CancellationToken cancellationToken = default);

    /// <summary>The key stops working at once; it stays listed as revoked.</summary>
    [Delete("/api/admin/keys/{id}")]
    Task RevokeKeyAsync(Guid id, CancellationToken cancellationToken = default);

    /// <summary>A short-lived token for one customer of the shop, for its front end to act as that customer (their prices, their data).</summary>
    [Post("/api/admin/customer-tokens")]
    Task<IssuedCustomerToken> IssueCustomerTokenAsync([Body] CustomerTokenInput input, CancellationToken cancellationToken = default);

    /// <summary>For a person of a cooperative's staff: their cooperative and its member shops (the shops they may name in X-Tenant).</summary>
    [Get("/api/cooperative")]
    Task<CooperativeView> GetOwnCooperativeAsync(CancellationToken cancellationToken = default);
}

public static class GatewayAdminApiExtensions
{
    public static IAsyncEnumerable<KeyView> AllKeysAsync(this IGatewayAdminApi admin, CancellationToken cancellationToken = default) =>
        Pages.ReadAllAsync((cursor, ct) => admin.ListKeysAsync(cursor, 100, ct), page => page.Items, page => page.NextCursor, cancellationToken);
}
