using System.Security.Cryptography;

namespace MachCommerce.Gateway.Tests;

/// <summary>A PKCE pair: the verifier the front end keeps, the S256 challenge it sends.</summary>
public sealed record Pkce(string Verifier, string Challenge)
{
    public static Pkce New()
    {
        var verifier = Microsoft.IdentityModel.Tokens.Base64UrlEncoder.Encode(RandomNumberGenerator.GetBytes(32));
        return new Pkce(verifier, Microsoft.IdentityModel.Tokens.Base64UrlEncoder.Encode(SHA256.HashData(Encoding.ASCII.GetBytes(verifier))));
    }
}

/// <summary>
/// The OAuth side of a front end's sign-in through the gateway, as a public client does it: the authorization request
/// with PKCE, redeeming the code the callback got, refreshing. The browser side is each test's.
/// </summary>
public sealed class OAuthFlow(PlatformFixture platform, string clientId)
{
    public (string Url, string State) AuthorizeUrl(Pkce pkce, string? redirect = null)
    {
        redirect ??= platform.Console.Redirect.ToString();
        var state = Convert.ToHexString(RandomNumberGenerator.GetBytes(8));
        var query = new Dictionary<string, string?>
        {
            ["client_id"] = clientId, ["redirect_uri"] = redirect, ["response_type"] = "code", ["scope"] = "openid offline_access",
            ["state"] = state, ["code_challenge"] = pkce.Challenge, ["code_challenge_method"] = "S256",
        };
        return (Microsoft.AspNetCore.WebUtilities.QueryHelpers.AddQueryString(new Uri(platform.Gateway.Address, "/connect/authorize").ToString(), query), state);
    }

    public async Task<JsonElement> RedeemAsync(string code, string verifier)
    {
        using var anonymous = platform.Client(null);
        using var response = await anonymous.PostAsync("/connect/token", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "authorization_code", ["client_id"] = clientId, ["code"] = code, ["code_verifier"] = verifier,
            ["redirect_uri"] = platform.Console.Redirect.ToString(),
        }));
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.True(response.IsSuccessStatusCode, body.ToString());
        return body;
    }

    public async Task<(System.Net.HttpStatusCode Status, JsonElement Body)> RefreshAsync(string refreshToken)
    {
        using var anonymous = platform.Client(null);
        using var response = await anonymous.PostAsync("/connect/token", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "refresh_token", ["client_id"] = clientId, ["refresh_token"] = refreshToken,
        }));
        return (response.StatusCode, await response.Content.ReadFromJsonAsync<JsonElement>());
    }
}
