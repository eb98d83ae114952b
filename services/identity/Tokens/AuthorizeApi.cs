using MachCommerce.Identity.Account;
using MachCommerce.Identity.Customers;
using MachCommerce.Identity.Data;
using MachCommerce.Identity.Staff;
using OpenIddict.Server.AspNetCore;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace MachCommerce.Identity.Tokens;

/// <summary>
/// The authorization endpoint (authorization code + PKCE) once OpenIddict has checked the client, its registered
/// redirect URI and the PKCE challenge: a person not signed in goes to the sign-in page and comes back; one with
/// several shops chooses one (or the client names it in <c>tenant</c>); the code then carries the person, the shop
/// and the role's scopes.
/// </summary>
public static class AuthorizeApi
{
    public const string TenantParameter = "tenant";

    /// <summary>The authorization request's choice of a cooperative (instead of a shop) for a person of its staff.</summary>
    public const string CooperativeParameter = "cooperative";

    /// <summary>The authorization request's choice of operating the platform (for a platform operator).</summary>
    public const string PlatformParameter = "platform";

    /// <summary>The cooperative a person's token acts for (instead of <c>ten</c>): the gateway lets it into each member shop named in <c>X-Tenant</c>.</summary>
    public const string CooperativeClaim = "coop";

    public static void MapAuthorizeApi(this IEndpointRouteBuilder app)
    {
        app.MapMethods("/connect/authorize", ["GET", "POST"], Authorize).AllowAnonymous().ExcludeFromDescription().WithAnyQueryParameters().DisableAntiforgery();
    }

    private static async Task<IResult> Authorize(HttpContext http, UserManager<StaffUser> users, StaffDirectory staff, IdentityDb db, CustomerShops shops)
    {
        var request = http.GetOpenIddictServerRequest() ?? throw new InvalidOperationException("OpenIddict did not handle the authorization request.");
        if (shops.ShopOf(request.ClientId) is { } shop)
        {
            return await AuthorizeCustomerAsync(http, request, shop);
        }

        var session = await http.AuthenticateAsync(IdentityConstants.ApplicationScheme);
        if (!session.Succeeded || await users.GetUserAsync(session.Principal!) is not { } user)
        {
            return Results.Challenge(new AuthenticationProperties { RedirectUri = http.Request.PathBase + http.Request.Path + http.Request.QueryString }, [IdentityConstants.ApplicationScheme]);
        }

        var memberships = await staff.MembershipsAsync(user.Id, http.RequestAborted);
        var cooperatives = await staff.CooperativeMembershipsAsync(user.Id, http.RequestAborted);
        var isOperator = await staff.IsOperatorAsync(user.Id, http.RequestAborted);
        if (request.GetParameter(PlatformParameter) is not null || isOperator && memberships.Count + cooperatives.Count == 0)
        {
            return isOperator
                ? TypedResults.SignIn(OperatorPrincipal(user, request.GetScopes()), authenticationScheme: OpenIddictServerAspNetCoreDefaults.AuthenticationScheme)
                : Refuse(Errors.AccessDenied, "This account does not operate the platform.");
        }
        if (request.GetParameter(CooperativeParameter)?.ToString() is { } cooperative)
        {
            return cooperatives.FirstOrDefault(c => c.CooperativeId == cooperative) is { } place
                ? TypedResults.SignIn(CooperativePrincipal(user, place, request.GetScopes()), authenticationScheme: OpenIddictServerAspNetCoreDefaults.AuthenticationScheme)
                : Refuse(Errors.AccessDenied, "This account does not belong to that cooperative.");
        }

        var chosen = request.GetParameter(TenantParameter)?.ToString();
        var membership = chosen is not null ? memberships.FirstOrDefault(m => m.TenantId == chosen) : memberships.Count == 1 && cooperatives.Count == 0 ? memberships[0] : null;
        if (membership is null && chosen is null && memberships.Count + cooperatives.Count + (isOperator ? 1 : 0) > 1)
        {
            return ChooseShop(http, memberships, cooperatives, isOperator);
        }

        if (membership is null && chosen is null && cooperatives is [var only])
        {
            return TypedResults.SignIn(CooperativePrincipal(user, only, request.GetScopes()), authenticationScheme: OpenIddictServerAspNetCoreDefaults.AuthenticationScheme);
        }

        if (membership is null)
        {
            return Refuse(Errors.AccessDenied, chosen is null ? "This account belongs to no shop." : "This account does not belong to that shop.");
        }

        if (!await users.GetTwoFactorEnabledAsync(user) && await db.RequiresTwoFactorAsync(membership.TenantId, http.RequestAborted))
        {
            return SecondFactorFirst(http, membership.TenantId);
        }

        return TypedResults.SignIn(Principal(user, membership, request.GetScopes()), authenticationScheme: OpenIddictServerAspNetCoreDefaults.AuthenticationScheme);
    }

    /// <summary>
    /// A shop's storefront signs in that shop's customers only: a shopper without a session for the shop signs in (or
    /// registers) on the shop's customer pages and comes back here.
    /// </summary>
    private static async Task<IResult> AuthorizeCustomerAsync(HttpContext http, OpenIddictRequest request, string shop)
    {
        var accounts = http.RequestServices.GetRequiredService<UserManager<CustomerAccount>>();
        if (await CustomerSignIn.CurrentAsync(http, accounts, shop) is not { } account)
        {
            var back = http.Request.PathBase + http.Request.Path + http.Request.QueryString;
            return Results.Redirect($"{http.Request.PathBase}/account/shop/{shop}/login" + QueryString.Create("returnUrl", back));
        }

        return TypedResults.SignIn(CustomerSignIn.Principal(account, request.GetScopes()), authenticationScheme: OpenIddictServerAspNetCoreDefaults.AuthenticationScheme);
    }

    /// <summary>The shop requires a second factor the person has not set up: that first, then back here.</summary>
    private static IResult SecondFactorFirst(HttpContext http, string tenantId)
    {
        var back = http.Request.PathBase + http.Request.Path + http.Request.QueryString;
        var setUp = TwoFactor.SetUpPath + QueryString.Create("returnUrl", back);
        return Html.Page(http, Html.T(http, "Zweiter Faktor nötig", "Second factor needed"), $"""
            <p>{Html.T(http, $"Der Shop {Html.Encode(tenantId)} verlangt bei der Anmeldung einen zweiten Faktor. Richten Sie ihn ein; danach geht es hier weiter.",
                $"The shop {Html.Encode(tenantId)} requires a second factor to sign in. Set it up; then you continue here.")}</p>
            <p><a id="set-up" href="{Html.Encode(setUp)}">{Html.T(http, "Zweiten Faktor einrichten", "Set up a second factor")}</a></p>
            """, 403);
    }

    /// <summary>The person in one shop with one role: the scopes of the role for the gateway, the address for the client.</summary>
    public static ClaimsPrincipal Principal(StaffUser user, Membership membership, IEnumerable<string> requested) =>
        PersonPrincipal(user, (TokenServer.TenantClaim, membership.TenantId), membership.Role, StaffRoles.ScopesOf[membership.Role], requested);

    /// <summary>
    /// A person of a cooperative's staff: the cooperative and the role, the role's scopes without a shop's own access
    /// management; no shop (<c>ten</c>), since the gateway lets the token into each member shop the request names.
    /// </summary>
    public static ClaimsPrincipal CooperativePrincipal(StaffUser user, CooperativeMembership membership, IEnumerable<string> requested) =>
        PersonPrincipal(user, (CooperativeClaim, membership.CooperativeId), membership.Role, StaffRoles.CooperativeScopesOf(membership.Role), requested);

    /// <summary>A platform operator: neither shop nor cooperative, no shop scope; the gateway treats the token as it treats the platform key.</summary>
    public static ClaimsPrincipal OperatorPrincipal(StaffUser user, IEnumerable<string> requested) =>
        PersonPrincipal(user, null, StaffRoles.Operator, [], requested);

    /// <summary>A person's token for the gateway: who (also in the ID token), where (shop or cooperative), the role and its scopes.</summary>
    private static ClaimsPrincipal PersonPrincipal(StaffUser user, (string Type, string Value)? place, string role, IEnumerable<string> scopes, IEnumerable<string> requested)
    {
        var identity = new ClaimsIdentity(TokenValidationParameters.DefaultAuthenticationType, Claims.Name, Claims.Role);
        identity.SetClaim(Claims.Subject, user.Id.ToString());
        identity.SetClaim(Claims.Email, user.Email);
        identity.SetClaim(Claims.Name, user.Email);
        if (place is { } where)
        {
            identity.SetClaim(where.Type, where.Value);
        }

        identity.SetClaim(Claims.Role, role);
        identity.SetScopes([.. requested.Where(s => s is Scopes.OpenId or Scopes.OfflineAccess), .. scopes]);
        identity.SetAudiences(TokenServer.GatewayAudience);
        identity.SetDestinations(claim => claim.Type is Claims.Email or Claims.Name or Claims.Subject
            ? [Destinations.AccessToken, Destinations.IdentityToken]
            : [Destinations.AccessToken]);
        return new ClaimsPrincipal(identity);
    }

    private static IResult ChooseShop(HttpContext http, List<Membership> memberships, List<CooperativeMembership> cooperatives, bool isOperator)
    {
        string Link(string parameter, string value, string label)
        {
            var query = QueryString.Create(http.Request.Query.Where(q => q.Key is not (TenantParameter or CooperativeParameter or PlatformParameter))
                    .SelectMany(q => q.Value.Select(v => KeyValuePair.Create(q.Key, v))))
                .Add(parameter, value);
            return $"<li><a href=\"{Html.Encode(http.Request.PathBase + http.Request.Path + query)}\">{Html.Encode(value)}</a> ({Html.Encode(label)})</li>";
        }

        var links = string.Join("", memberships.Select(m => Link(TenantParameter, m.TenantId, m.Role))
            .Concat(cooperatives.Select(c => Link(CooperativeParameter, c.CooperativeId, Html.T(http, $"Verbund, {c.Role}", $"cooperative, {c.Role}"))))
            .Concat(isOperator ? [Link(PlatformParameter, "platform", Html.T(http, "Plattformbetrieb", "platform operation"))] : []));
        return Html.Page(http, Html.T(http, "Shop wählen", "Choose a shop"), $"<p>{Html.T(http, "Mit welchem Shop möchten Sie arbeiten?", "Which shop do you want to work with?")}</p><ul>{links}</ul>");
    }

    private static IResult Refuse(string error, string description) => Results.Forbid(
        new AuthenticationProperties(new Dictionary<string, string?>
        {
            [OpenIddictServerAspNetCoreConstants.Properties.Error] = error,
            [OpenIddictServerAspNetCoreConstants.Properties.ErrorDescription] = description,
        }),
        [OpenIddictServerAspNetCoreDefaults.AuthenticationScheme]);
}
