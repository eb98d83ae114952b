using System.Net;

namespace MachCommerce.Gateway.Tests;

/// <summary>Bad keys, other tenants' ids, missing scopes, forged identities, big bodies, expensive queries, floods.</summary>
[Collection(WholePlatform.Name)]
public sealed class AccessTests(PlatformFixture platform)
{
    [Fact]
    public async Task Missing_wrong_revoked_and_expired_keys_are_401_with_the_reason()
    {
        var tenant = await platform.NewTenantAsync();
        var revoked = await tenant.PartnerKeyAsync(Scopes.CatalogRead);
        using (var admin = tenant.Admin())
        {
            var keys = await admin.GetFromJsonAsync<JsonElement>("/api/admin/keys");
            var id = keys.GetProperty("items").EnumerateArray().Single(k => revoked.StartsWith(k.GetProperty("prefix").GetString()!, StringComparison.Ordinal)).GetProperty("id").GetString();
            Assert.Equal(HttpStatusCode.NoContent, (await admin.DeleteAsync($"/api/admin/keys/{id}")).StatusCode);
        }

        var expiring = await tenant.KeyAsync(new { kind = "partner", name = "short", scopes = new[] { Scopes.CatalogRead }, expiresAt = DateTimeOffset.UtcNow.AddSeconds(1.5) });
        using (var fresh = platform.Client(expiring))
        {
            Assert.Equal(HttpStatusCode.OK, (await fresh.GetAsync("/api/catalog/products")).StatusCode);
        }

        await Task.Delay(2000);
        var cases = new (string? Key, string Detail)[]
        {
            (null, "An API key is required"),
            ("mc_pt_" + new string('x', 43), "The API key is not valid."),
            ("not a key at all", "The API key is not valid."),
            (revoked, "The API key has been revoked."),
            (expiring, "The API key expired"),
        };
        foreach (var (key, detail) in cases)
        {
            using var client = platform.Client(key);
            var response = await client.GetAsync("/api/catalog/products");
            Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
            var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
            Assert.StartsWith(detail, problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
            Assert.Equal(401, problem.GetProperty("status").GetInt32());
        }

        using var graph = platform.Client(revoked);
        Assert.Equal(HttpStatusCode.Unauthorized, (await graph.GraphQLAsync("{ categories { id } }")).Response.StatusCode);
    }

    [Fact]
    public async Task A_key_of_one_tenant_never_reaches_another_tenants_data()
    {
        var a = await platform.NewTenantAsync();
        var b = await platform.NewTenantAsync();
        using var adminB = b.Admin();
        var shopB = await ShopData.CreateAsync(adminB);
        var productOfB = shopB["Schlauchwagen 2000"];

        using var adminA = a.Admin();
        Assert.Equal(HttpStatusCode.NotFound, (await adminA.GetAsync($"/api/catalog/products/{productOfB}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await adminA.PostAsJsonAsync($"/api/catalog/products/{productOfB}/archive", new { })).StatusCode);
        var search = await adminA.GetFromJsonAsync<JsonElement>("/api/catalog/search?q=Schlauchwagen");
        Assert.Equal(0, search.GetProperty("total").GetInt64());
        var storefrontA = platform.Client(await a.StorefrontKeyAsync());
        var data = await storefrontA.DataAsync("query ($id: ID!) { product(id: $id) { name } search(query: \"Schlauchwagen\") { totalCount } }", new { id = productOfB });
        Assert.Equal(JsonValueKind.Null, data.GetProperty("product").ValueKind);
        Assert.Equal(0, data.GetProperty("search").GetProperty("totalCount").GetInt32());

        // B's keys are not A's to see or revoke either.
        var keysOfB = await adminB.GetFromJsonAsync<JsonElement>("/api/admin/keys");
        var keyOfB = keysOfB.GetProperty("items")[0].GetProperty("id").GetString();
        Assert.Equal(HttpStatusCode.NotFound, (await adminA.GetAsync($"/api/admin/keys/{keyOfB}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await adminA.DeleteAsync($"/api/admin/keys/{keyOfB}")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await adminB.GetAsync($"/api/admin/keys/{keyOfB}")).StatusCode);
    }

    [Fact]
    public async Task Identity_headers_a_client_forges_are_ignored()
    {
        var a = await platform.NewTenantAsync();
        var b = await platform.NewTenantAsync();
        using var adminB = b.Admin();
        var shopB = await ShopData.CreateAsync(adminB);

        // A's storefront key, with an assertion for tenant B with every scope signed by the real key (as if it leaked).
        using var storefrontA = platform.Client(await a.StorefrontKeyAsync());
        using var request = new HttpRequestMessage(HttpMethod.Get, $"/api/catalog/products/{shopB["Schlauchwagen 2000"]}");
        request.Headers.Add(IdentityAssertionCodec.HeaderName, TestIdentity.MintFor("catalog", b.Id, [.. Scopes.All]));
        request.Headers.Add("X-Mach-Tenant", b.Id);
        Assert.Equal(HttpStatusCode.NotFound, (await storefrontA.SendAsync(request)).StatusCode);

        // And the forged scopes do not stick either: a storefront key cannot write.
        using var write = new HttpRequestMessage(HttpMethod.Post, "/api/catalog/categories") { Content = JsonContent.Create(new { slug = "x", name = new { de = "X" } }) };
        write.Headers.Add(IdentityAssertionCodec.HeaderName, TestIdentity.MintFor("catalog", a.Id, [.. Scopes.All]));
        var forbidden = await storefrontA.SendAsync(write);
        Assert.Equal(HttpStatusCode.Forbidden, forbidden.StatusCode);
        Assert.Contains(Scopes.CatalogWrite, await forbidden.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_missing_scope_is_403_and_a_platform_key_does_not_act_inside_a_tenant()
    {
        var tenant = await platform.NewTenantAsync();
        using var reader = platform.Client(await tenant.PartnerKeyAsync(Scopes.CatalogRead));
        var response = await reader.PostAsJsonAsync("/api/catalog/categories", new { slug = "werkzeug", name = new { de = "Werkzeug" } });
        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Contains("catalog:write", (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Forbidden, (await reader.GetAsync("/api/profiles/profiles")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await reader.GetAsync("/api/admin/keys")).StatusCode);

        using var platformKey = platform.Client(PlatformFixture.PlatformKey);
        var inside = await platformKey.GetAsync("/api/catalog/products");
        Assert.Equal(HttpStatusCode.Forbidden, inside.StatusCode);
        Assert.Contains("platform key", (await inside.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("detail").GetString(), StringComparison.Ordinal);
        using var admin = tenant.Admin();
        Assert.Equal(HttpStatusCode.Forbidden, (await admin.GetAsync("/api/admin/tenants")).StatusCode);
    }

    [Fact]
    public async Task An_oversized_body_is_413_before_it_reaches_a_service()
    {
        var tenant = await platform.NewTenantAsync();
        using var admin = tenant.Admin();
        // The personalization routes take 4 MiB; 5 MiB of events is refused by the gateway.
        // (Expect: 100-continue lets the client read the refusal instead of writing megabytes into a closed connection.)
        using var events = new HttpRequestMessage(HttpMethod.Post, "/api/personalization/events")
        {
            Content = new StringContent("{\"events\":[\"" + new string('x', 5 * 1024 * 1024) + "\"]}", Encoding.UTF8, "application/json"),
        };
        events.Headers.ExpectContinue = true;
        var response = await admin.SendAsync(events);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);

        using var graph = new HttpRequestMessage(HttpMethod.Post, "/graphql")
        {
            Content = new StringContent("{\"query\":\"" + new string(' ', 2 * 1024 * 1024) + "{ categories { id } }\"}", Encoding.UTF8, "application/json"),
        };
        graph.Headers.ExpectContinue = true;
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, (await admin.SendAsync(graph)).StatusCode);
    }

    [Theory]
    [InlineData("/api/catalog/products", 5_000_036)] // the service takes 1 MiB here, the bulk import 32 MiB
    [InlineData("/api/personalization/segments", 2_000_000)]
    [InlineData("/api/profiles/profiles", 2_000_000)]
    public async Task A_body_over_the_services_limit_is_a_413_problem_and_the_next_request_is_unharmed(string path, int size)
    {
        var tenant = await platform.NewTenantAsync();
        using var admin = tenant.Admin();

        // Sent as a client would, without Expect: 100-continue: the whole body is on its way when the answer comes.
        var body = "{\"name\":\"" + new string('x', size - 12) + "\"}";
        var response = await admin.PostAsync(path, new StringContent(body, Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(413, problem.GetProperty("status").GetInt32());

        for (var i = 0; i < 3; i++)
        {
            var next = await admin.PostAsJsonAsync(path, new { });
            Assert.Equal(HttpStatusCode.BadRequest, next.StatusCode); // a validation answer from the service, never a 502
        }
    }

    [Fact]
    public async Task The_bulk_import_takes_more_than_the_default_limit()
    {
        var tenant = await platform.NewTenantAsync();
        using var admin = tenant.Admin();
        var products = Enumerable.Range(0, 1).Select(_ => new { name = new string('x', 3 * 1024 * 1024) });
        var response = await admin.PostAsJsonAsync("/api/catalog/products/bulk", new { products });
        Assert.NotEqual(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.True((int)response.StatusCode < 500, response.StatusCode.ToString());
    }

    [Fact]
    public async Task A_browser_asking_for_html_gets_a_problem_not_a_500()
    {
        var tenant = await platform.NewTenantAsync();
        using var admin = tenant.Admin();
        using var request = new HttpRequestMessage(HttpMethod.Get, "/no/such/page");
        request.Headers.Accept.ParseAdd("text/html,application/xhtml+xml");
        var response = await admin.SendAsync(request);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(404, (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("status").GetInt32());
    }

    [Fact]
    public async Task GraphQL_over_the_depth_or_cost_limit_is_refused_before_anything_runs()
    {
        var tenant = await platform.NewTenantAsync();
        using var storefront = platform.Client(await tenant.StorefrontKeyAsync());
        var deep = "{ categories { " + string.Concat(Enumerable.Repeat("children { ", 12)) + "id" + new string('}', 13) + " }";
        var (deepResponse, deepBody) = await storefront.GraphQLAsync(deep);
        Assert.Equal(HttpStatusCode.BadRequest, deepResponse.StatusCode);
        Assert.StartsWith("The operation nests 14 levels deep", deepBody.GetProperty("errors")[0].GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.False(deepBody.TryGetProperty("data", out _));

        var costly = "{ a: products(first: 100) { nodes { categories { children { children { products(first: 100) { nodes { id } } } } } } } }";
        var (costResponse, costBody) = await storefront.GraphQLAsync(costly);
        Assert.Equal(HttpStatusCode.BadRequest, costResponse.StatusCode);
        Assert.Contains("estimated cost", costBody.GetProperty("errors")[0].GetProperty("message").GetString(), StringComparison.Ordinal);

        var (okResponse, okBody) = await storefront.GraphQLAsync("{ products(first: 3) { nodes { id } } }");
        Assert.Equal(HttpStatusCode.OK, okResponse.StatusCode);
        Assert.True(okBody.GetProperty("extensions").GetProperty("cost").GetProperty("requested").GetInt32() > 0);
    }

    [Fact]
    public async Task A_flood_from_one_key_meets_429_while_other_keys_go_on()
    {
        var tenant = await platform.NewTenantAsync();
        using var flooding = platform.Client(await tenant.KeyAsync(new { kind = "partner", name = "greedy", scopes = new[] { Scopes.CatalogRead }, ratePerSecond = 2, burst = 5 }));
        using var other = platform.Client(await tenant.PartnerKeyAsync(Scopes.CatalogRead));
        var statuses = new List<HttpStatusCode>();
        HttpResponseMessage? limited = null;
        for (var i = 0; i < 12; i++)
        {
            var response = await flooding.GetAsync("/api/catalog/products");
            statuses.Add(response.StatusCode);
            limited ??= response.StatusCode == HttpStatusCode.TooManyRequests ? response : null;
            Assert.Equal(HttpStatusCode.OK, (await other.GetAsync("/api/catalog/products")).StatusCode);
        }

        Assert.Contains(HttpStatusCode.TooManyRequests, statuses);
        Assert.True(statuses.Count(s => s == HttpStatusCode.OK) is >= 5 and <= 8, string.Join(",", statuses));
        Assert.NotNull(limited!.Headers.RetryAfter);

        // GraphQL is charged by cost: an expensive query empties the bucket of a small plan at once.
        using var small = platform.Client(await tenant.KeyAsync(new { kind = "storefront", name = "small", ratePerSecond = 10, burst = 30 }));
        const string expensive = "{ products(first: 25) { nodes { id price { amount } images { url } } } }"; // 5 + 1 + 25 × 2 = 56
        var (first, _) = await small.GraphQLAsync(expensive);
        var (second, body) = await small.GraphQLAsync(expensive);
        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal(HttpStatusCode.TooManyRequests, second.StatusCode);
        Assert.Contains("cost", body.GetProperty("errors")[0].GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.NotNull(second.Headers.RetryAfter);
    }

    [Fact]
    public async Task An_address_that_keeps_guessing_keys_gets_429_before_any_lookup()
    {
        // A gateway of its own: every test comes from 127.0.0.1, and this one uses up that address's failures.
        await using var gateway = await platform.StartGatewayAsync(new Dictionary<string, string?>
        {
            ["Gateway:FailedAuthenticationBurst"] = "3",
            ["Gateway:FailedAuthenticationRefill"] = "00:01:00",
        });
        var tenant = await platform.NewTenantAsync(gateway.Address);
        using var guesser = platform.Client("mc_ad_" + new string('g', 43), gateway.Address);
        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 5; i++)
        {
            statuses.Add((await guesser.GetAsync("/api/catalog/products")).StatusCode);
        }

        Assert.Equal([HttpStatusCode.Unauthorized, HttpStatusCode.Unauthorized, HttpStatusCode.Unauthorized, HttpStatusCode.TooManyRequests, HttpStatusCode.TooManyRequests], statuses);
        var blocked = await guesser.GetAsync("/api/catalog/products");
        Assert.NotNull(blocked.Headers.RetryAfter);
        Assert.Contains("failed authentications", (await blocked.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("detail").GetString(), StringComparison.Ordinal);

        // Claiming another address does not help: this gateway trusts no proxy's X-Forwarded-For.
        using var spoofed = new HttpRequestMessage(HttpMethod.Get, "/api/catalog/products");
        spoofed.Headers.Add("X-Forwarded-For", "203.0.113.99");
        Assert.Equal(HttpStatusCode.TooManyRequests, (await guesser.SendAsync(spoofed)).StatusCode);
        _ = tenant;
    }

    [Fact]
    public async Task Behind_a_trusted_proxy_failed_authentications_count_per_real_client()
    {
        await using var gateway = await platform.StartGatewayAsync(new Dictionary<string, string?>
        {
            ["Gateway:FailedAuthenticationBurst"] = "2",
            ["Gateway:FailedAuthenticationRefill"] = "00:01:00",
            ["Gateway:TrustedProxies"] = "127.0.0.0/8", // the ingress controller, here: the test itself
        });
        using var client = platform.Client("mc_ad_" + new string('q', 43), gateway.Address);
        async Task<HttpStatusCode> AsClient(string address)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, "/api/catalog/products");
            request.Headers.Add("X-Forwarded-For", address);
            return (await client.SendAsync(request)).StatusCode;
        }

        Assert.Equal(HttpStatusCode.Unauthorized, await AsClient("203.0.113.1"));
        Assert.Equal(HttpStatusCode.Unauthorized, await AsClient("203.0.113.1"));
        Assert.Equal(HttpStatusCode.TooManyRequests, await AsClient("203.0.113.1"));
        Assert.Equal(HttpStatusCode.Unauthorized, await AsClient("203.0.113.2")); // another shopper behind the same ingress
    }

    [Fact]
    public async Task A_storefront_key_works_in_browsers_only_on_its_origins()
    {
        var tenant = await platform.NewTenantAsync();
        using var storefront = platform.Client(await tenant.StorefrontKeyAsync("https://shop.example"));

        using var preflight = new HttpRequestMessage(HttpMethod.Options, "/graphql");
        preflight.Headers.Add("Origin", "https://shop.example");
        preflight.Headers.Add("Access-Control-Request-Method", "POST");
        preflight.Headers.Add("Access-Control-Request-Headers", "authorization, content-type, x-visitor-id");
        var answer = await storefront.SendAsync(preflight);
        Assert.Equal(HttpStatusCode.NoContent, answer.StatusCode);
        Assert.Equal("https://shop.example", answer.Headers.GetValues("Access-Control-Allow-Origin").Single());

        foreach (var (origin, expected) in new[] { ("https://shop.example", HttpStatusCode.OK), ("https://evil.example", HttpStatusCode.Forbidden) })
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, "/api/catalog/products");
            request.Headers.Add("Origin", origin);
            var response = await storefront.SendAsync(request);
            Assert.Equal(expected, response.StatusCode);
            if (expected == HttpStatusCode.OK)
            {
                Assert.Equal(origin, response.Headers.GetValues("Access-Control-Allow-Origin").Single());
            }
        }

        // An app sends no Origin at all and is served.
        Assert.Equal(HttpStatusCode.OK, (await storefront.GetAsync("/api/catalog/products")).StatusCode);
    }

    [Fact]
    public async Task A_malformed_visitor_id_is_a_400_naming_the_header()
    {
        var tenant = await platform.NewTenantAsync();
        using var storefront = platform.Client(await tenant.StorefrontKeyAsync());
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/catalog/products");
        request.Headers.Add("X-Visitor-Id", "no spaces allowed");
        var response = await storefront.SendAsync(request);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.True((await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").TryGetProperty("X-Visitor-Id", out _));
    }

    [Fact]
    public async Task Every_answer_carries_a_correlation_id_and_the_services_get_it()
    {
        var tenant = await platform.NewTenantAsync();
        using var admin = tenant.Admin();
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/catalog/products/00000000-0000-0000-0000-000000000001");
        request.Headers.Add("X-Correlation-Id", "journey-42");
        var response = await admin.SendAsync(request);
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("journey-42", Assert.Single(response.Headers.GetValues("X-Correlation-Id"))); // once, not the service's and the gateway's
        Assert.Equal("journey-42", (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("correlationId").GetString());
        _ = new AuthenticationHeaderValue("Bearer", "x");
    }
}
