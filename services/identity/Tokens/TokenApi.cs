using MachCommerce.Identity.Clients;
using MachCommerce.Identity.Customers;
using MachCommerce.Identity.Staff;
using MachCommerce.Identity.Data;
using OpenIddict.Server.AspNetCore;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace MachCommerce.Identity.Tokens;

/// <summary>
/// The token endpoint once OpenIddict has checked the request (grant type, client authentication, scopes, a code's
/// PKCE verifier, a refresh token's validity): here the token's content is decided. A partner's token names its
/// client, its tenant and the scopes granted; a person's its account, shop, role and the role's scopes; both for the
/// gateway only.
/// </summary>
public static class TokenApi
{
    public static void MapTokenApi(this IEndpointRouteBuilder app) =>
        app.MapPost("/connect/token", Exchange).AllowAnonymous().ExcludeFromDescription().WithAnyQueryParameters().DisableAntiforgery();

    private static async Task<Results<SignInHttpResult, ForbidHttpResult>> Exchange(HttpContext http, IOpenIddictApplicationManager applications, UserManager<StaffUser> users,
        StaffDirectory staff, IdentityDb db)
    {
        var request = http.GetOpenIddictServerRequest() ?? throw new InvalidOperationException("OpenIddict did not handle the token request.");
        if (request.IsAuthorizationCodeGrantType() || request.IsRefreshTokenGrantType())
        {
            return await RenewForPersonAsync(http, users, staff, db);
        }

        if (!request.IsClientCredentialsGrantType())
        {
            return Refuse(Errors.UnsupportedGrantType, "This grant type is not accepted here.");
        }

        if (await applications.FindByClientIdAsync(request.ClientId!, http.RequestAborted) is not ClientApplication client || client.TenantId is null)
        {
            return Refuse(Errors.InvalidClient, "The client is not a partner client of a shop.");
        }

        var identity = new ClaimsIdentity(TokenValidationParameters.DefaultAuthenticationType, Claims.Name, Claims.Role);
        identity.SetClaim(Claims.Subject, client.ClientId);
        identity.SetClaim(Claims.Name, client.DisplayName);
        identity.SetClaim(TokenServer.TenantClaim, client.TenantId);
        // The rate limit travels with the token, so the gateway applies the owner's choice without asking this service.
        identity.SetClaim(TokenServer.RateClaim, client.RatePerSecond);
        identity.SetClaim(TokenServer.BurstClaim, client.Burst);

        // No scope asked for means every scope the client was given (RFC 6749 §3.3 lets the server choose a default).
        var requested = request.GetScopes();
        var permitted = PartnerClients.ScopesOf(await applications.GetPermissionsAsync(client, http.RequestAborted));
        identity.SetScopes(requested.IsEmpty ? permitted : requested);
        identity.SetAudiences(TokenServer.GatewayAudience);
        identity.SetDestinations(_ => [Destinations.AccessToken]);
        return TypedResults.SignIn(new ClaimsPrincipal(identity), authenticationScheme: OpenIddictServerAspNetCoreDefaults.AuthenticationScheme);
    }

    /// <summary>
    /// A code or refresh token is worth a token only while its person still has the shop: the account, its membership
    /// and its role are read again, so removing someone or changing a role takes effect at the next refresh.
    /// </summary>
    private static async Task<Results<SignInHttpResult, ForbidHttpResult>> RenewForPersonAsync(HttpContext http, UserManager<StaffUser> users, StaffDirectory staff, IdentityDb db)
    {
        var granted = (await http.AuthenticateAsync(OpenIddictServerAspNetCoreDefaults.AuthenticationScheme)).Principal;
        if (granted?.GetClaim(Claims.Role) == CustomerSignIn.Role)
        {
            return await RenewForCustomerAsync(http, granted);
        }

        if (granted?.GetClaim(Claims.Subject) is not { } subject || await users.FindByIdAsync(subject) is not { } user || await users.IsLockedOutAsync(user))
        {
            return Refuse(Errors.InvalidGrant, "The account no longer exists or is locked.");
        }

        if (granted.GetClaim(Claims.Role) == StaffRoles.Operator && granted.GetClaim(TokenServer.TenantClaim) is null)
        {
            return await staff.IsOperatorAsync(user.Id, http.RequestAborted)
                ? TypedResults.SignIn(AuthorizeApi.OperatorPrincipal(user, granted.GetScopes()), authenticationScheme: OpenIddictServerAspNetCoreDefaults.AuthenticationScheme)
                : Refuse(Errors.InvalidGrant, "The account no longer operates the platform.");
        }

        if (granted.GetClaim(AuthorizeApi.CooperativeClaim) is { } cooperative)
        {
            return (await staff.CooperativeMembershipsAsync(user.Id, http.RequestAborted)).FirstOrDefault(c => c.CooperativeId == cooperative) is { } place
                ? TypedResults.SignIn(AuthorizeApi.CooperativePrincipal(user, place, granted.GetScopes()), authenticationScheme: OpenIddictServerAspNetCoreDefaults.AuthenticationScheme)
                : Refuse(Errors.InvalidGrant, "The account no longer belongs to this cooperative.");
        }

        var tenant = granted.GetClaim(TokenServer.TenantClaim);
        if ((await staff.MembershipsAsync(user.Id, http.RequestAborted)).FirstOrDefault(m => m.TenantId == tenant) is not { } membership)
        {
            return Refuse(Errors.InvalidGrant, "The account no longer belongs to this shop.");
        }

        if (!await users.GetTwoFactorEnabledAsync(user) && await db.RequiresTwoFactorAsync(membership.TenantId, http.RequestAborted))
        {
            return Refuse(Errors.InvalidGrant, "The shop requires a second factor: sign in again and set it up.");
        }

        return TypedResults.SignIn(AuthorizeApi.Principal(user, membership, granted.GetScopes()), authenticationScheme: OpenIddictServerAspNetCoreDefaults.AuthenticationScheme);
    }

    /// <summary>A shopper's refresh: the account must still exist at the same shop, unlocked, with the password it had (a reset ends every sign-in).</summary>
    private static async Task<Results<SignInHttpResult, ForbidHttpResult>> RenewForCustomerAsync(HttpContext http, ClaimsPrincipal granted)
    {
        var accounts = http.RequestServices.GetRequiredService<UserManager<CustomerAccount>>();
        if (await accounts.FindByIdAsync(granted.GetClaim(Claims.Subject) ?? "") is not { } account || account.TenantId != granted.GetClaim(TokenServer.TenantClaim)
            || await accounts.IsLockedOutAsync(account))
        {
            return Refuse(Errors.InvalidGrant, "The account no longer exists or is locked.");
        }

        return TypedResults.SignIn(CustomerSignIn.Principal(account, granted.GetScopes()), authenticationScheme: OpenIddictServerAspNetCoreDefaults.AuthenticationScheme);
    }

    private static ForbidHttpResult Refuse(string error, string description) => TypedResults.Forbid(
        new AuthenticationProperties(new Dictionary<string, string?>
        {
            [OpenIddictServerAspNetCoreConstants.Properties.Error] = error,
            [OpenIddictServerAspNetCoreConstants.Properties.ErrorDescription] = description,
        }),
        [OpenIddictServerAspNetCoreDefaults.AuthenticationScheme]);
}
