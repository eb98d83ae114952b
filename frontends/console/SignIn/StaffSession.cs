using System.Security.Claims;
using Microsoft.AspNetCore.Components.Authorization;

namespace MachCommerce.MerchantConsole.SignIn;

/// <summary>The signed-in person of one circuit (one browser tab): who, where, in which role, and their access token.</summary>
public sealed class StaffSession(AuthenticationStateProvider authentication, StaffTokens tokens)
{
    private ClaimsPrincipal? _user;

    public async Task<ClaimsPrincipal> UserAsync() => _user ??= (await authentication.GetAuthenticationStateAsync()).User;

    /// <summary>Whether the person's role grants <paramref name="scope"/>: what it does not, a page does not offer (the gateway refuses it anyway).</summary>
    public async Task<bool> HasScopeAsync(string scope) => (await UserAsync()).FindFirstValue("scope")?.Split(' ').Contains(scope) == true;

    /// <summary>
    /// Whether the person works for a cooperative rather than a shop: the console then shows the cooperative's pages and
    /// its central assortment (the catalog's routes without a member shop named), not a shop's.
    /// </summary>
    public async Task<bool> IsCooperativeStaffAsync() => (await UserAsync()) is var user && user.FindFirstValue("coop") is not null && user.FindFirstValue("ten") is null;

    public async Task<string> AccessTokenAsync(CancellationToken cancellationToken) =>
        (await UserAsync()).FindFirstValue(StaffSignIn.SessionClaim) is { } session
            ? await tokens.AccessTokenAsync(session, cancellationToken)
            : throw new SignInExpiredException("Nobody is signed in.");
}
