using MachCommerce.Platform.Tests.Hosting;

namespace MachCommerce.Platform.Tests.Identity;

public sealed class RequestIdentityTests : IAsyncLifetime
{
    // Two tenants' data in one store, as a service's table would hold them.
    private static readonly Dictionary<(string Tenant, string Id), string> Notes = new()
    {
        [("shop-a", "n1")] = "note of shop A",
        [("shop-b", "n2")] = "note of shop B",
    };

    private TestApp _app = null!;

    public async Task InitializeAsync() => _app = await TestApp.StartAsync(null, app =>
    {
        var notes = app.MapGroup("/notes");
        notes.MapGet("/{id}", (string id, RequestIdentity identity) =>
                Notes.TryGetValue((identity.TenantId, id), out var text) ? Results.Ok(new { tenant = identity.TenantId, text }) : Results.NotFound())
            .RequireScope(Scopes.CatalogRead);
        notes.MapGet("/", (RequestIdentity identity) => Results.Ok(new { tenant = identity.TenantId }))
            .RequireScope(Scopes.CatalogRead);
        notes.MapPost("/", (RequestIdentity identity) => Results.Ok(new { tenant = identity.TenantId }))
            .RequireScope(Scopes.CatalogWrite);
        app.MapGet("/no-scope-declared", (RequestIdentity identity) => identity.TenantId);
    }, new Dictionary<string, string?>
    {
        // Like a data holder: it believes profiles too, for the GDPR export alone.
        ["Identity:TrustedSigners:profiles:PublicKeys"] = TestIdentity.Keys[IdentityTrust.Profiles].PublicKey,
        ["Identity:TrustedSigners:profiles:Scopes:0"] = Scopes.GdprExport,
    });

    public async Task DisposeAsync() => await _app.DisposeAsync();

    private Task<HttpResponseMessage> Send(HttpMethod method, string path, string? token, Action<HttpRequestMessage>? more = null)
    {
        var request = new HttpRequestMessage(method, path);
        if (token is not null)
        {
            request.Headers.Add(IdentityAssertionCodec.HeaderName, token);
        }

        more?.Invoke(request);
        return _app.Client.SendAsync(request);
    }

    [Fact]
    public async Task A_valid_assertion_is_served_and_the_tenant_comes_from_it_not_from_client_headers()
    {
        var response = await Send(HttpMethod.Get, "/notes/n1", TestIdentity.Mint("shop-a", Scopes.CatalogRead),
            request => request.Headers.Add("X-Tenant-Id", "shop-b"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("shop-a", body.GetProperty("tenant").GetString());
        Assert.Equal("note of shop A", body.GetProperty("text").GetString());
    }

    [Fact]
    public async Task Another_tenants_id_is_not_found_for_this_tenant()
    {
        var response = await Send(HttpMethod.Get, "/notes/n2", TestIdentity.Mint("shop-a", Scopes.CatalogRead));

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.DoesNotContain("shop B", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_missing_assertion_is_401_with_problem_details()
    {
        var response = await Send(HttpMethod.Get, "/notes/n1", token: null);

        await AssertProblem(response, HttpStatusCode.Unauthorized, "missing");
    }

    [Fact]
    public async Task An_expired_assertion_is_401()
    {
        var issued = DateTimeOffset.UtcNow.AddMinutes(-10);
        var token = TestIdentity.Codec.Sign(new IdentityAssertion
        {
            TenantId = "shop-a",
            Scopes = [Scopes.CatalogRead],
            Subject = "test",
            Audience = TestIdentity.Audience,
            IssuedAt = issued,
            ExpiresAt = issued.AddMinutes(1),
        });

        await AssertProblem(await Send(HttpMethod.Get, "/notes/n1", token), HttpStatusCode.Unauthorized, "expired");
    }

    [Fact]
    public async Task An_assertion_signed_with_a_key_nobody_trusts_is_401()
    {
        var forger = Signer(IdentityTrust.Gateway, IdentityKeys.NewKeyPair().PrivateKey);

        await AssertProblem(await Send(HttpMethod.Get, "/notes/n1", forger.Mint("shop-a", [Scopes.CatalogRead], "attacker", TestIdentity.Audience)),
            HttpStatusCode.Unauthorized, "signature");
    }

    [Fact]
    public async Task A_service_key_posing_as_the_gateway_is_401()
    {
        // A compromised profiles service signs with its own (trusted) key but names the gateway as signer.
        var profilesAsGateway = Signer(IdentityTrust.Gateway, TestIdentity.Keys[IdentityTrust.Profiles].PrivateKey);

        await AssertProblem(await Send(HttpMethod.Get, "/notes/n1", profilesAsGateway.Mint("shop-a", [Scopes.CatalogRead], "attacker", TestIdentity.Audience)),
            HttpStatusCode.Unauthorized, "signature");
    }

    [Fact]
    public async Task A_signer_limited_to_some_scopes_cannot_assert_others()
    {
        var profiles = Signer(IdentityTrust.Profiles, TestIdentity.Keys[IdentityTrust.Profiles].PrivateKey);

        await AssertProblem(await Send(HttpMethod.Get, "/notes/n1", profiles.Mint("shop-a", [Scopes.CatalogRead], "profiles", TestIdentity.Audience)),
            HttpStatusCode.Unauthorized, "may not grant");
        Assert.Equal(HttpStatusCode.OK,
            (await Send(HttpMethod.Get, "/no-scope-declared", profiles.Mint("shop-a", [Scopes.GdprExport], "profiles", TestIdentity.Audience))).StatusCode);
    }

    [Fact]
    public async Task An_assertion_for_another_service_is_401()
    {
        await AssertProblem(await Send(HttpMethod.Get, "/notes/n1", TestIdentity.MintFor("catalog", "shop-a", Scopes.CatalogRead)),
            HttpStatusCode.Unauthorized, "not issued for tests");
    }

    [Fact]
    public async Task An_unsigned_assertion_alg_none_is_401()
    {
        var token = Token(new { alg = "none", typ = IdentityAssertionCodec.TokenType }, ValidClaims(), signature: "");

        await AssertProblem(await Send(HttpMethod.Get, "/notes/n1", token), HttpStatusCode.Unauthorized, "identity assertion");
    }

    [Fact]
    public async Task An_HS256_assertion_keyed_with_the_gateways_public_key_is_401()
    {
        // The classic confusion: the verifier's public key, which is no secret, used as an HMAC key.
        var publicKey = Convert.FromBase64String(TestIdentity.Keys[IdentityTrust.Gateway].PublicKey);
        IdentityKeys.TryReadPublic(TestIdentity.Keys[IdentityTrust.Gateway].PublicKey, out var key);
        var unsigned = Token(new { alg = "HS256", typ = IdentityAssertionCodec.TokenType, kid = key!.KeyId }, ValidClaims(), signature: null);
        var mac = System.Security.Cryptography.HMACSHA256.HashData(publicKey, System.Text.Encoding.ASCII.GetBytes(unsigned.TrimEnd('.')));
        var token = unsigned + System.Buffers.Text.Base64Url.EncodeToString(mac);

        await AssertProblem(await Send(HttpMethod.Get, "/notes/n1", token), HttpStatusCode.Unauthorized, "identity assertion");
    }

    [Fact]
    public async Task A_tampered_tenant_breaks_the_signature()
    {
        var parts = TestIdentity.Mint("shop-a", Scopes.CatalogRead).Split('.');
        var payload = System.Text.Encoding.UTF8.GetString(System.Buffers.Text.Base64Url.DecodeFromChars(parts[1])).Replace("shop-a", "shop-b", StringComparison.Ordinal);
        var forged = $"{parts[0]}.{System.Buffers.Text.Base64Url.EncodeToString(System.Text.Encoding.UTF8.GetBytes(payload))}.{parts[2]}";

        await AssertProblem(await Send(HttpMethod.Get, "/notes/n2", forged), HttpStatusCode.Unauthorized, "signature");
    }

    [Fact]
    public async Task A_token_of_another_type_signed_by_the_gateway_is_not_an_assertion()
    {
        var gatewayKey = TestIdentity.Keys[IdentityTrust.Gateway].PrivateKey;
        IdentityKeys.TryReadPrivate(gatewayKey, out var key);
        var customerToken = new Microsoft.IdentityModel.JsonWebTokens.JsonWebTokenHandler().CreateToken(new Microsoft.IdentityModel.Tokens.SecurityTokenDescriptor
        {
            TokenType = "mach-customer+jwt",
            Issuer = IdentityTrust.Gateway,
            Audience = TestIdentity.Audience,
            Claims = new Dictionary<string, object> { ["sub"] = "p-1", ["ten"] = "shop-a", ["scp"] = new[] { Scopes.CatalogRead } },
            SigningCredentials = new Microsoft.IdentityModel.Tokens.SigningCredentials(key, "ES256"),
        });

        await AssertProblem(await Send(HttpMethod.Get, "/notes/n1", customerToken), HttpStatusCode.Unauthorized, "not an identity assertion");
    }

    [Fact]
    public async Task An_assertion_in_the_authorization_header_is_not_read()
    {
        var response = await Send(HttpMethod.Get, "/notes/n1", token: null,
            request => request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", TestIdentity.Mint("shop-a", Scopes.CatalogRead)));

        await AssertProblem(response, HttpStatusCode.Unauthorized, "missing");
    }

    private static IdentityAssertionCodec Signer(string issuer, string privateKey) =>
        new(new IdentityOptions { Issuer = issuer, SigningKey = privateKey });

    private static object ValidClaims()
    {
        var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        return new { iss = IdentityTrust.Gateway, aud = TestIdentity.Audience, sub = "attacker", ten = "shop-a", scp = new[] { Scopes.CatalogRead }, iat = now, nbf = now, exp = now + 60 };
    }

    /// <summary>A hand-made JWT; with a null signature, the signing input and its dot.</summary>
    private static string Token(object header, object claims, string? signature)
    {
        static string Part(object value) => System.Buffers.Text.Base64Url.EncodeToString(JsonSerializer.SerializeToUtf8Bytes(value));
        return $"{Part(header)}.{Part(claims)}.{signature}";
    }

    [Fact]
    public async Task Two_assertions_in_one_request_are_401()
    {
        var response = await Send(HttpMethod.Get, "/notes/n1", TestIdentity.Mint("shop-a", Scopes.CatalogRead),
            request => request.Headers.Add(IdentityAssertionCodec.HeaderName, TestIdentity.Mint("shop-b", Scopes.CatalogRead)));

        await AssertProblem(response, HttpStatusCode.Unauthorized, "More than one");
    }

    [Fact]
    public async Task A_missing_scope_is_403_naming_the_scope()
    {
        var response = await Send(HttpMethod.Post, "/notes/", TestIdentity.Mint("shop-a", Scopes.CatalogRead));

        var problem = await AssertProblem(response, HttpStatusCode.Forbidden, Scopes.CatalogWrite);
        Assert.Equal(Scopes.CatalogWrite, problem.GetProperty("missingScopes")[0].GetString());
    }

    [Fact]
    public async Task An_endpoint_that_binds_the_identity_requires_one_even_without_a_declared_scope()
    {
        Assert.Equal(HttpStatusCode.Unauthorized, (await Send(HttpMethod.Get, "/no-scope-declared", null)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await Send(HttpMethod.Get, "/no-scope-declared", TestIdentity.Mint("shop-a"))).StatusCode);
    }

    private static async Task<JsonElement> AssertProblem(HttpResponseMessage response, HttpStatusCode status, string detailContains)
    {
        Assert.Equal(status, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal((int)status, problem.GetProperty("status").GetInt32());
        Assert.Contains(detailContains, problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        return problem;
    }
}
