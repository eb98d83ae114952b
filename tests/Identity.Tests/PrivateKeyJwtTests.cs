using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace MachCommerce.Identity.Tests;

/// <summary>
/// A partner that registers its public key instead of receiving a secret (private_key_jwt, RFC 7523): it signs a
/// short JWT with its private key for each token request. Only the registered keys are believed; a key set that
/// holds a private key, or a weak or unknown key, is refused with the field that is wrong.
/// </summary>
public sealed class PrivateKeyJwtTests(IdentityFixture identity) : IClassFixture<IdentityFixture>
{
    private const string AssertionType = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer";

    [Fact]
    public async Task A_partner_with_its_own_key_gets_a_token_with_a_signed_client_assertion_and_no_secret_ever_exists()
    {
        var tenant = IdentityFixture.NewTenant();
        using var partnerKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var (clientId, body) = await CreateKeyClientAsync(tenant, partnerKey, "erp-2026");
        Assert.Equal(JsonValueKind.Null, body.GetProperty("clientSecret").ValueKind);
        Assert.Equal("private_key_jwt", body.GetProperty("client").GetProperty("authentication").GetString());

        using var response = await RequestAsync(clientId, Assertion(clientId, partnerKey, "erp-2026"));
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, text);
        var token = new JsonWebToken(JsonDocument.Parse(text).RootElement.GetProperty("access_token").GetString());
        Assert.Equal(tenant, token.GetPayloadValue<string>("ten"));
        Assert.Equal(clientId, token.Subject);

        // A secret is nothing such a client has: no rotation of one, and a made-up one gets nothing.
        Assert.Equal(HttpStatusCode.Conflict, (await identity.Owner(tenant).PostAsync($"/clients/{clientId}/secret", null)).StatusCode);
        using var guessed = await identity.RequestTokenAsync(clientId, "mcs_guess");
        Assert.Equal(HttpStatusCode.Unauthorized, guessed.StatusCode);
    }

    [Fact]
    public async Task An_assertion_signed_by_another_key_expired_or_for_another_client_gets_nothing()
    {
        var tenant = IdentityFixture.NewTenant();
        using var partnerKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using var otherKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var (clientId, _) = await CreateKeyClientAsync(tenant, partnerKey, "k1");
        var (otherClient, _) = await CreateKeyClientAsync(tenant, otherKey, "k2");

        foreach (var (assertion, what) in new[]
        {
            (Assertion(clientId, otherKey, "k1"), "the wrong private key under the right key id"),
            (Assertion(clientId, partnerKey, "k1", lifetime: TimeSpan.FromMinutes(-10)), "expired (beyond any clock skew)"),
            (Assertion(otherClient, otherKey, "k2"), "another client's valid assertion"),
            (Assertion(clientId, partnerKey, "k1", audience: "https://elsewhere.example/"), "for another audience"),
            (Assertion(clientId, partnerKey, "k1", type: "JWT"), "not typed as a client assertion"),
        })
        {
            using var response = await RequestAsync(clientId, assertion);
            Assert.True(response.StatusCode is HttpStatusCode.Unauthorized or HttpStatusCode.BadRequest, $"{what}: {response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
            Assert.False((await response.Content.ReadFromJsonAsync<JsonElement>()).TryGetProperty("access_token", out _));
        }
    }

    [Fact]
    public async Task The_partner_rotates_its_key_by_replacing_the_key_set()
    {
        var tenant = IdentityFixture.NewTenant();
        using var oldKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using var newKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var (clientId, _) = await CreateKeyClientAsync(tenant, oldKey, "old");

        using var replaced = await identity.Owner(tenant).PutAsJsonAsync($"/clients/{clientId}/keys", new { jwks = KeySet((newKey, "new")) });
        Assert.True(replaced.IsSuccessStatusCode, await replaced.Content.ReadAsStringAsync());

        using (var fresh = await RequestAsync(clientId, Assertion(clientId, newKey, "new")))
        {
            Assert.Equal(HttpStatusCode.OK, fresh.StatusCode);
        }

        using var stale = await RequestAsync(clientId, Assertion(clientId, oldKey, "old"));
        Assert.NotEqual(HttpStatusCode.OK, stale.StatusCode);

        // A secret client has no keys to replace.
        var (secretClient, _) = await identity.CreateClientAsync(tenant, Scopes.CatalogRead);
        Assert.Equal(HttpStatusCode.Conflict, (await identity.Owner(tenant).PutAsJsonAsync($"/clients/{secretClient}/keys", new { jwks = KeySet((newKey, "new")) })).StatusCode);
    }

    [Fact]
    public async Task A_key_set_with_a_private_key_a_weak_key_or_no_keys_is_refused_naming_the_key()
    {
        var owner = identity.Owner(IdentityFixture.NewTenant());
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var withPrivate = JsonWebKeyConverter.ConvertFromECDsaSecurityKey(new ECDsaSecurityKey(key));
        using var weak = RSA.Create(1024);
        var weakKey = JsonWebKeyConverter.ConvertFromRSASecurityKey(new RsaSecurityKey(weak.ExportParameters(false)));
        using var response = await owner.PostAsJsonAsync("/clients", new
        {
            name = "ERP",
            scopes = new[] { Scopes.CatalogRead },
            jwks = new
            {
                keys = new object[]
                {
                    new { kty = "EC", crv = "P-256", x = withPrivate.X, y = withPrivate.Y, d = withPrivate.D },
                    new { kty = "RSA", n = weakKey.N, e = weakKey.E },
                    new { kty = "oct", k = "c2VjcmV0" },
                },
            },
        });
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var errors = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors");
        Assert.Contains("private key", errors.GetProperty("jwks.keys[0]")[0].GetString());
        Assert.Contains("2048", errors.GetProperty("jwks.keys[1]")[0].GetString());
        Assert.True(errors.TryGetProperty("jwks.keys[2]", out _));

        using var empty = await owner.PostAsJsonAsync("/clients", new { name = "ERP", scopes = new[] { Scopes.CatalogRead }, jwks = new { keys = Array.Empty<object>() } });
        Assert.True((await empty.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").TryGetProperty("jwks.keys", out _));
        using var notASet = await owner.PostAsJsonAsync("/clients", new { name = "ERP", scopes = new[] { Scopes.CatalogRead }, jwks = "MFkwEwYH" });
        Assert.True((await notASet.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").TryGetProperty("jwks", out _));
    }

    private async Task<(string ClientId, JsonElement Body)> CreateKeyClientAsync(string tenant, ECDsa key, string kid)
    {
        using var response = await identity.Owner(tenant).PostAsJsonAsync("/clients", new { name = "ERP mit Schlüssel", scopes = new[] { Scopes.CatalogRead }, jwks = KeySet((key, kid)) });
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.True(response.StatusCode == HttpStatusCode.Created, body.ToString());
        return (body.GetProperty("clientId").GetString()!, body);
    }

    private static object KeySet(params (ECDsa Key, string Kid)[] keys) => new
    {
        keys = keys.Select(k =>
        {
            var jwk = JsonWebKeyConverter.ConvertFromECDsaSecurityKey(new ECDsaSecurityKey(ECDsa.Create(k.Key.ExportParameters(false))));
            return new { kty = "EC", crv = "P-256", use = "sig", alg = "ES256", kid = k.Kid, x = jwk.X, y = jwk.Y };
        }),
    };

    /// <summary>The client assertion as RFC 7523 has it: issued by and about the client, for the token endpoint, short-lived, unique.</summary>
    private static string Assertion(string clientId, ECDsa key, string kid, string audience = IdentityFixture.Issuer, TimeSpan? lifetime = null,
        string type = "client-authentication+jwt")
    {
        var expires = DateTime.UtcNow + (lifetime ?? TimeSpan.FromMinutes(2));
        return new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            TokenType = type,
            Issuer = clientId,
            Audience = audience,
            IssuedAt = expires.AddMinutes(-3),
            NotBefore = expires.AddMinutes(-3),
            Expires = expires,
            Claims = new Dictionary<string, object> { ["sub"] = clientId, ["jti"] = Guid.NewGuid().ToString("N") },
            SigningCredentials = new SigningCredentials(new ECDsaSecurityKey(key) { KeyId = kid }, SecurityAlgorithms.EcdsaSha256),
        });
    }

    private Task<HttpResponseMessage> RequestAsync(string clientId, string assertion) =>
        identity.Anonymous().PostAsync("/connect/token", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "client_credentials", ["client_id"] = clientId, ["client_assertion_type"] = AssertionType, ["client_assertion"] = assertion,
        }));
}
