using System.Security.Claims;
using Microsoft.AspNetCore.Components.Authorization;

namespace MachCommerce.MerchantConsole.SignIn;

/// <summary>The signed-in person of one circuit (one browser tab): who, where, in which role, and their access token.</summary>
public sealed class StaffSession(AuthenticationStateProvider authentication, StaffTokens tokens)
{
    private ClaimsPrincipal? _user;

    public async Task<ClaimsPrincipal> UserAsync() => _user ??= (await authentication.GetAuthenticationStateAsync()).User;

    public async Task<string> AccessTokenAsync(CancellationToken cancellationToken) =>
        (await UserAsync()).FindFirstValue(StaffSignIn.SessionClaim) is { } session
            ? await tokens.AccessTokenAsync(session, cancellationToken)
            : throw new SignInExpiredException("Nobody is signed in.");
}
