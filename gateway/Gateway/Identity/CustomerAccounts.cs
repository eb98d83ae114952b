using System.Net;
using MachCommerce.Gateway.Callers;
using MachCommerce.Gateway.Services;

namespace MachCommerce.Gateway.Identity;

/// <summary>
/// Customer accounts of the identity service (for shops without a login of their own) at the storefront: the
/// shopper's access token goes in <c>X-Customer-Token</c> beside the shop's storefront key, like a customer token
/// the shop's backend minted. The gateway links the account to a profile of the shop, external id
/// <c>account:{id}</c>, made on first use with the account's address (the gateway is the one party that holds both
/// the verified shopper and the right to act in the shop); the profile's customer group then gives B2B prices.
/// </summary>
public sealed class CustomerAccounts(AccessTokens tokens, ServiceCalls services, TimeProvider time)
{
    /// <summary>A changed customer group (B2B) counts within this long; the link itself never changes.</summary>
    private static readonly TimeSpan Remembered = TimeSpan.FromMinutes(1);

    private static readonly IReadOnlyList<string> LinkScopes = [Scopes.ProfilesRead, Scopes.ProfilesWrite];

    private readonly ExpiringCache<(string ProfileId, string? Group)> _links = new(20_000, time);

    /// <summary>Whether a token is the identity service's (an access token) rather than one the gateway minted.</summary>
    public static bool IsAccessToken(string token)
    {
        try
        {
            return new JsonWebToken(token).Typ == AccessTokens.TokenType;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }

    /// <summary>The shopper's token, verified, its shop the storefront key's (<paramref name="tenantId"/>), linked to its profile.</summary>
    public async Task<(CustomerToken? Customer, string Failure)> VerifyAsync(string token, string tenantId, CancellationToken cancellationToken)
    {
        var (access, failure) = await tokens.VerifyAsync(token, cancellationToken);
        if (access is null)
        {
            return (null, failure);
        }

        if (access.Role != AccessTokens.CustomerRole)
        {
            return (null, "The token in X-Customer-Token is not a customer's; staff and partner tokens go in the Authorization header.");
        }

        // Checked before anything is linked: a token of another shop must not make a profile anywhere.
        if (access.TenantId != tenantId)
        {
            return (null, "The customer token belongs to another tenant.");
        }

        var key = access.TenantId + "/" + access.Subject;
        if (!_links.TryGet(key, out var link))
        {
            link = await LinkAsync(access, cancellationToken);
            _links.Set(key, link, _links.Now + Remembered);
        }

        return (new CustomerToken(access.TenantId, link.ProfileId, link.Group, access.ExpiresAt), "");
    }

    private async Task<(string ProfileId, string? Group)> LinkAsync(AccessToken account, CancellationToken cancellationToken)
    {
        var caller = new Caller(account.TenantId, KeyKind.Admin, null, LinkScopes, [], account.Plan) { UserId = "customer-account:" + account.Subject };
        var externalId = "account:" + account.Subject;
        if (await FindAsync(caller, externalId, cancellationToken) is { } found)
        {
            return found;
        }

        try
        {
            return Read(await services.SendJsonAsync(caller, "profiles", HttpMethod.Post, "profiles", new { externalId, email = account.Email }, cancellationToken, scopes: LinkScopes));
        }
        catch (ServiceCallException e) when (e.Status == HttpStatusCode.Conflict)
        {
            // Either a parallel first request linked it a moment ago, or the shop has a profile with this address
            // already (its own import). An address nobody confirmed must not open someone else's profile: then the
            // account gets a profile of its own without the address.
            if (await FindAsync(caller, externalId, cancellationToken) is { } linked)
            {
                return linked;
            }

            return Read(await services.SendJsonAsync(caller, "profiles", HttpMethod.Post, "profiles", new { externalId }, cancellationToken, scopes: LinkScopes));
        }
    }

    private async Task<(string ProfileId, string? Group)?> FindAsync(Caller caller, string externalId, CancellationToken cancellationToken) =>
        await services.GetAsync(caller, "profiles", $"profiles/by-external-id/{Uri.EscapeDataString(externalId)}", cancellationToken, LinkScopes) is { } profile
            ? Read(profile)
            : null;

    private static (string ProfileId, string? Group) Read(JsonElement? profile) =>
        (profile!.Value.GetProperty("id").GetString()!,
         profile.Value.TryGetProperty("customerGroup", out var group) && group.ValueKind == JsonValueKind.String ? group.GetString() : null);
}
