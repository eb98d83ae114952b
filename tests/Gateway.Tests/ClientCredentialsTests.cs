using Microsoft.IdentityModel.Tokens;
using System.Net;

namespace MachCommerce.Gateway.Tests;

/// <summary>
/// A partner's machine with OAuth 2.0 client credentials, end to end: the shop's owner makes a partner client through
/// the gateway, the partner asks the gateway's token endpoint for an access token and calls REST with it. The token
/// carries the tenant and scopes exactly as a partner key would, and is refused the way a bad key is.
/// </summary>
[Collection(WholePlatform.Name)]
public sealed class ClientCredentialsTests(PlatformFixture platform)
{
    [Fact]
    public async Task A_partner_client_with_client_credentials_reads_the_catalog_of_its_shop_and_nothing_it_was_not_given()
    {
        var tenant = await platform.NewTenantAsync();
        using var admin = tenant.Admin();
        var shop = await ShopData.CreateAsync(admin);
        var (clientId, secret) = await CreateClientAsync(admin, Scopes.CatalogRead);

        using var partner = platform.Client(await TokenAsync(clientId, secret));
        var product = await partner.GetFromJsonAsync<JsonElement>($"/api/catalog/products/{shop.Products.Values.First().ToString()}");
        Assert.Equal(shop.Products.Values.First().ToString(), product.GetProperty("id").GetString());

        using var write = await partner.PostAsJsonAsync("/api/catalog/products", new { sku = "X-1", name = new { de = "X" } });
        Assert.Equal(HttpStatusCode.Forbidden, write.StatusCode);
        Assert.Contains(Scopes.CatalogWrite, await write.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Forbidden, (await partner.GetAsync("/api/profiles/profiles")).StatusCode);
        // Handing out access is the owner's: a partner's token never manages clients or keys.
        Assert.Equal(HttpStatusCode.Forbidden, (await partner.GetAsync("/api/identity/clients")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await partner.GetAsync("/api/admin/keys")).StatusCode);
    }

    [Fact]
    public async Task A_client_credentials_token_for_one_shop_never_reaches_another_shops_data()
    {
        var shopA = await platform.NewTenantAsync();
        var shopB = await platform.NewTenantAsync();
        using var adminB = shopB.Admin();
        var productOfB = (await ShopData.CreateAsync(adminB)).Products.Values.First();
        using var adminA = shopA.Admin();
        var (clientId, secret) = await CreateClientAsync(adminA, Scopes.CatalogRead, Scopes.CatalogWrite);

        using var partnerOfA = platform.Client(await TokenAsync(clientId, secret));
        Assert.Equal(HttpStatusCode.NotFound, (await partnerOfA.GetAsync($"/api/catalog/products/{productOfB}")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await partnerOfA.GetAsync("/api/catalog/categories")).StatusCode);
        Assert.DoesNotContain("garten", await partnerOfA.GetStringAsync("/api/catalog/categories"), StringComparison.Ordinal);

        // Shop B's owner does not see shop A's client either.
        Assert.Equal(HttpStatusCode.NotFound, (await adminB.GetAsync($"/api/identity/clients/{clientId}")).StatusCode);
    }

    [Fact]
    public async Task Forged_foreign_expired_and_misdirected_tokens_are_refused_with_the_reason()
    {
        var tenant = await platform.NewTenantAsync();
        using var admin = tenant.Admin();
        var (clientId, secret) = await CreateClientAsync(admin, Scopes.CatalogRead);
        var token = await TokenAsync(clientId, secret);

        // The payload changed after signing (another tenant).
        var parts = token.Split('.');
        var payload = JsonSerializer.Deserialize<Dictionary<string, object>>(Base64UrlEncoder.Decode(parts[1]))!;
        payload["ten"] = "someone-else";
        var tampered = $"{parts[0]}.{Base64UrlEncoder.Encode(JsonSerializer.Serialize(payload))}.{parts[2]}";
        await AssertRefused(tampered, "signature is not valid");

        // Signed by a key the identity service never published.
        await AssertRefused(Mint(IdentityKeys.NewKeyPair().PrivateKey, tenant.Id, clientId), "signature is not valid");
        // Signed with the real key, but for another audience, by another issuer, of another type, or expired.
        await AssertRefused(Mint(platform.IdentitySigningKey, tenant.Id, clientId, audience: "profiles"), "not an access token for this API");
        await AssertRefused(Mint(platform.IdentitySigningKey, tenant.Id, clientId, issuer: "https://evil.example/"), "does not trust");
        await AssertRefused(Mint(platform.IdentitySigningKey, tenant.Id, clientId, type: "JWT"), "not an access token for this API");
        await AssertRefused(Mint(platform.IdentitySigningKey, tenant.Id, clientId, lifetime: TimeSpan.FromMinutes(-5)), "expired");
        // Unsigned ("alg": "none").
        await AssertRefused($"{Base64UrlEncoder.Encode("{\"alg\":\"none\",\"typ\":\"at+jwt\"}")}.{parts[1]}.", "");

        // The real key and claims: accepted (so the refusals above are about what they say they are).
        using var forgedButRight = platform.Client(Mint(platform.IdentitySigningKey, tenant.Id, clientId));
        Assert.Equal(HttpStatusCode.OK, (await forgedButRight.GetAsync("/api/catalog/categories")).StatusCode);
    }

    [Fact]
    public async Task A_suspended_shops_client_credentials_tokens_stop_working()
    {
        var tenant = await platform.NewTenantAsync();
        using var admin = tenant.Admin();
        var (clientId, secret) = await CreateClientAsync(admin, Scopes.CatalogRead);
        using var partner = platform.Client(await TokenAsync(clientId, secret));
        Assert.Equal(HttpStatusCode.OK, (await partner.GetAsync("/api/catalog/categories")).StatusCode);

        using var operator_ = platform.Client(PlatformFixture.PlatformKey);
        (await operator_.PutAsJsonAsync($"/api/admin/tenants/{tenant.Id}", new { name = "Gesperrt", status = "suspended" })).EnsureSuccessStatusCode();
        using var refused = await partner.GetAsync("/api/catalog/categories");
        Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
        Assert.Contains("suspended", await refused.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_client_credentials_token_has_the_rate_limit_its_owner_chose_per_client()
    {
        var tenant = await platform.NewTenantAsync();
        using var admin = tenant.Admin();
        using var created = await admin.PostAsJsonAsync("/api/identity/clients", new { name = "Langsam", scopes = new[] { Scopes.CatalogRead }, ratePerSecond = 1, burst = 2 });
        var body = await created.Content.ReadFromJsonAsync<JsonElement>();
        var (slowId, slowSecret) = (body.GetProperty("clientId").GetString()!, body.GetProperty("clientSecret").GetString()!);
        var (otherId, otherSecret) = await CreateClientAsync(admin, Scopes.CatalogRead);

        using var slow = platform.Client(await TokenAsync(slowId, slowSecret));
        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 4; i++)
        {
            using var response = await slow.GetAsync("/api/catalog/categories");
            statuses.Add(response.StatusCode);
            if (response.StatusCode == HttpStatusCode.TooManyRequests)
            {
                Assert.True(response.Headers.RetryAfter is not null);
            }
        }

        Assert.Contains(HttpStatusCode.TooManyRequests, statuses);
        // Another client of the same shop has a bucket of its own.
        using var other = platform.Client(await TokenAsync(otherId, otherSecret));
        Assert.Equal(HttpStatusCode.OK, (await other.GetAsync("/api/catalog/categories")).StatusCode);
    }

    [Fact]
    public async Task The_token_endpoint_and_discovery_are_reached_through_the_gateway_without_a_key()
    {
        using var anonymous = platform.Client(null);
        var discovery = await anonymous.GetFromJsonAsync<JsonElement>("/.well-known/openid-configuration");
        Assert.Equal(PlatformFixture.TokenIssuer, discovery.GetProperty("issuer").GetString());
        Assert.Equal(PlatformFixture.TokenIssuer + "connect/token", discovery.GetProperty("token_endpoint").GetString());
        Assert.Single((await anonymous.GetFromJsonAsync<JsonElement>("/.well-known/jwks")).GetProperty("keys").EnumerateArray());

        using var wrong = await anonymous.PostAsync("/connect/token", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "client_credentials", ["client_id"] = "mcp_" + Guid.NewGuid().ToString("N"), ["client_secret"] = "nope",
        }));
        Assert.Equal(HttpStatusCode.Unauthorized, wrong.StatusCode);
        Assert.Equal("invalid_client", (await wrong.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("error").GetString());
    }

    [Fact]
    public async Task An_address_that_keeps_guessing_client_secrets_gets_429_before_the_identity_service_hears_of_it()
    {
        // A gateway of its own: every test comes from 127.0.0.1, and this one uses up that address's failures.
        await using var gateway = await platform.StartGatewayAsync(new Dictionary<string, string?>
        {
            ["Gateway:FailedAuthenticationBurst"] = "3",
            ["Gateway:FailedAuthenticationRefill"] = "00:01:00",
        });
        var tenant = await platform.NewTenantAsync(gateway.Address);
        using var admin = tenant.Admin();
        var (clientId, secret) = await CreateClientAsync(admin, Scopes.CatalogRead);
        using var guesser = platform.Client(null, gateway.Address);
        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 5; i++)
        {
            using var guess = await guesser.PostAsync("/connect/token", new FormUrlEncodedContent(new Dictionary<string, string>
            {
                ["grant_type"] = "client_credentials", ["client_id"] = clientId, ["client_secret"] = $"mcs_guess-{i}",
            }));
            statuses.Add(guess.StatusCode);
            if (guess.StatusCode == HttpStatusCode.TooManyRequests)
            {
                Assert.NotNull(guess.Headers.RetryAfter);
            }
        }

        Assert.Equal([HttpStatusCode.Unauthorized, HttpStatusCode.Unauthorized, HttpStatusCode.Unauthorized, HttpStatusCode.TooManyRequests, HttpStatusCode.TooManyRequests], statuses);
        // Even the right secret waits now: the address, not the guess, is what is slowed down.
        using var right = await guesser.PostAsync("/connect/token", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "client_credentials", ["client_id"] = clientId, ["client_secret"] = secret,
        }));
        Assert.Equal(HttpStatusCode.TooManyRequests, right.StatusCode);
    }

    [Fact]
    public async Task The_gateway_follows_a_rotation_of_the_identity_services_keys_without_a_restart()
    {
        var (old, rotated) = (IdentityKeys.NewKeyPair().PrivateKey, IdentityKeys.NewKeyPair().PrivateKey);
        // The identity service's key set, as a real HTTP server on loopback that publishes what the test says.
        var published = new[] { old };
        await using var keySet = await KeySetServer.StartAsync(() => published);
        await using var gateway = await platform.StartGatewayAsync(new Dictionary<string, string?>
        {
            ["ReverseProxy:Clusters:identity:Destinations:primary:Address"] = keySet.Address.ToString(),
        });
        var tenant = await platform.NewTenantAsync(gateway.Address);
        async Task<HttpStatusCode> Call(string signingKey)
        {
            using var client = platform.Client(Mint(signingKey, tenant.Id, "mcp_rotation"), gateway.Address);
            return (await client.GetAsync("/api/catalog/categories")).StatusCode;
        }

        Assert.Equal(HttpStatusCode.OK, await Call(old));
        Assert.Equal(HttpStatusCode.Unauthorized, await Call(rotated)); // not published yet

        published = [rotated, old];
        // A token naming a key the gateway does not hold makes it fetch the set again, at most every 5 s.
        await Task.Delay(TimeSpan.FromSeconds(5.5));
        Assert.Equal(HttpStatusCode.OK, await Call(rotated));
        Assert.Equal(HttpStatusCode.OK, await Call(old));
    }

    [Fact]
    public async Task Without_the_identity_service_tokens_are_refused_with_the_reason_and_api_keys_keep_working()
    {
        // A gateway whose identity service is not there (a port nobody listens on).
        await using var gateway = await platform.StartGatewayAsync(new Dictionary<string, string?>
        {
            ["ReverseProxy:Clusters:identity:Destinations:primary:Address"] = $"http://127.0.0.1:{MachCommerce.LocalInfrastructure.FreePort.Pick()}/",
        });
        var tenant = await platform.NewTenantAsync(gateway.Address);
        using var admin = platform.Client(tenant.AdminKey, gateway.Address);
        Assert.Equal(HttpStatusCode.OK, (await admin.GetAsync("/api/catalog/categories")).StatusCode);

        using var partner = platform.Client(Mint(platform.IdentitySigningKey, tenant.Id, "mcp_unreachable"), gateway.Address);
        using var refused = await partner.GetAsync("/api/catalog/categories");
        Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
        Assert.Contains("identity service is unreachable", await refused.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        using var token = await platform.Client(null, gateway.Address).PostAsync("/connect/token", new FormUrlEncodedContent(new Dictionary<string, string> { ["grant_type"] = "client_credentials" }));
        Assert.True((int)token.StatusCode is 502 or 503, $"the token endpoint answered {(int)token.StatusCode}");
    }

    internal static async Task<(string ClientId, string Secret)> CreateClientAsync(HttpClient admin, params string[] scopes)
    {
        using var created = await admin.PostAsJsonAsync("/api/identity/clients", new { name = "Warenwirtschaft", scopes });
        Assert.True(created.StatusCode == HttpStatusCode.Created, await created.Content.ReadAsStringAsync());
        Assert.StartsWith("/api/identity/clients/", created.Headers.Location?.ToString(), StringComparison.Ordinal);
        var body = await created.Content.ReadFromJsonAsync<JsonElement>();
        return (body.GetProperty("clientId").GetString()!, body.GetProperty("clientSecret").GetString()!);
    }

    /// <summary>A token from the gateway's token endpoint, the client authenticated with HTTP Basic as most OAuth libraries do.</summary>
    private Task<string> TokenAsync(string clientId, string secret) => TokenAsync(platform, clientId, secret);

    internal static async Task<string> TokenAsync(PlatformFixture platform, string clientId, string secret)
    {
        using var anonymous = platform.Client(null);
        using var request = new HttpRequestMessage(HttpMethod.Post, "/connect/token")
        {
            Content = new FormUrlEncodedContent(new Dictionary<string, string> { ["grant_type"] = "client_credentials" }),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{clientId}:{secret}")));
        using var response = await anonymous.SendAsync(request);
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("access_token").GetString()!;
    }

    private static string Mint(string privateKey, string tenant, string clientId, string audience = "mach-gateway", string issuer = PlatformFixture.TokenIssuer,
        string type = "at+jwt", TimeSpan? lifetime = null)
    {
        IdentityKeys.TryReadPrivate(privateKey, out var key);
        var now = DateTime.UtcNow;
        return new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            TokenType = type,
            Issuer = issuer,
            Audience = audience,
            IssuedAt = now.AddMinutes(-10),
            NotBefore = now.AddMinutes(-10),
            Expires = now + (lifetime ?? TimeSpan.FromMinutes(5)),
            Claims = new Dictionary<string, object> { ["sub"] = clientId, ["ten"] = tenant, ["scope"] = Scopes.CatalogRead },
            SigningCredentials = new SigningCredentials(key, SecurityAlgorithms.EcdsaSha256),
        });
    }

    private async Task AssertRefused(string token, string reason)
    {
        using var client = platform.Client(token);
        using var response = await client.GetAsync("/api/catalog/categories");
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.Unauthorized, $"{response.StatusCode}: {text}");
        Assert.Contains(reason, text, StringComparison.Ordinal);
    }
}
