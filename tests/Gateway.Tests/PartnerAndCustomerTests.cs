using System.Net;

namespace MachCommerce.Gateway.Tests;

/// <summary>
/// A B2B partner's journey over REST (product import, a customer group's price list, the customer) and the same
/// customer in the storefront with a customer token: their negotiated net prices, their profile, consents and
/// preferences, and their anonymous visits joined to them.
/// </summary>
[Collection(WholePlatform.Name)]
public sealed class PartnerAndCustomerTests(PlatformFixture platform)
{
    private static readonly string[] PartnerScopes = [Scopes.CatalogRead, Scopes.CatalogWrite, Scopes.ProfilesRead, Scopes.ProfilesWrite];

    [Fact]
    public async Task A_partner_imports_products_prices_and_a_trade_customer_who_then_shops_with_net_prices()
    {
        var tenant = await platform.NewTenantAsync();
        using var partner = platform.Client(await tenant.PartnerKeyAsync(PartnerScopes));
        var shop = await ShopData.CreateAsync(partner);
        var hose = "Gartenschlauch Classic 20 m";

        var priceList = await partner.PutAsJsonAsync("/api/catalog/price-lists/fachhandel",
            new { name = "Fachhandel 2027", entries = new[] { new { sku = shop.Skus[hose], priceNet = 24.50m } } });
        Assert.True(priceList.IsSuccessStatusCode, await priceList.Content.ReadAsStringAsync());
        var imported = await partner.PostAsJsonAsync("/api/profiles/profiles", new
        {
            kind = "company", companyName = "Gartenbau Huber GmbH", email = $"einkauf-{tenant.Id}@huber.example", customerGroup = "fachhandel",
            externalId = "ERP-4711", vatId = "DE123456789", locale = "de-DE",
        });
        Assert.Equal(HttpStatusCode.Created, imported.StatusCode);
        var customerId = (await imported.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString();

        var token = await MintAsync(partner, customerId);
        using var storefront = platform.Client(await tenant.StorefrontKeyAsync());
        const string query = "query ($slug: String!) { product(slug: $slug) { name price { amount net gross displayGross priceList } } }";
        var asCustomer = (await storefront.DataAsync(query, new { slug = shop.Slugs[hose] }, customerToken: token)).GetProperty("product").GetProperty("price");
        var asVisitor = (await storefront.DataAsync(query, new { slug = shop.Slugs[hose] })).GetProperty("product").GetProperty("price");

        Assert.Equal("24.50", asCustomer.GetProperty("amount").GetString());
        Assert.False(asCustomer.GetProperty("displayGross").GetBoolean());
        Assert.Equal("fachhandel", asCustomer.GetProperty("priceList").GetString());
        Assert.Equal("39.00", asVisitor.GetProperty("amount").GetString());
        Assert.True(asVisitor.GetProperty("displayGross").GetBoolean());

        var me = (await storefront.DataAsync("{ me { profile { id companyName customerGroup } consents { purpose granted } preferences { brands } } }", customerToken: token)).GetProperty("me");
        Assert.Equal(customerId, me.GetProperty("profile").GetProperty("id").GetString());
        Assert.Equal("Gartenbau Huber GmbH", me.GetProperty("profile").GetProperty("companyName").GetString());
        Assert.All(me.GetProperty("consents").EnumerateArray(), c => Assert.False(c.GetProperty("granted").GetBoolean()));
        Assert.Equal(JsonValueKind.Null, (await storefront.DataAsync("{ me { profile { id } } }")).GetProperty("me").ValueKind);
    }

    [Fact]
    public async Task A_signed_in_customer_gets_personal_offers_recommendations_and_tracking_with_and_without_a_visitor_id()
    {
        var tenant = await platform.NewTenantAsync();
        using var admin = tenant.Admin();
        var shop = await ShopData.CreateForPersonalizationAsync(admin);
        var gardenOffer = await StorefrontJourneyTests.OfferAsync(admin, "Gartenwochen", shop.Garden, priority: 10);
        var created = await admin.PostAsJsonAsync("/api/profiles/profiles", new { firstName = "Jonas", lastName = "Huber", email = $"jonas-{tenant.Id}@example.de" });
        var token = await MintAsync(admin, (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString());
        using var storefront = platform.Client(await tenant.StorefrontKeyAsync());
        var visitor = "v-" + Guid.NewGuid().ToString("N")[..12];
        const string page = """
            mutation ($events: [EventInput!]!) { trackEvents(events: $events) { accepted } }
            """;
        const string home = """
            { offers(placement: "home-hero") { offers { id reason { text } } } recommendations(first: 3) { items { product { name } } } }
            """;

        // A website: the device's visitor id beside the customer token.
        var events = new[] { new { type = "PRODUCT_VIEWED", productId = shop["Gartenschlauch Classic 20 m"].ToString(), consent = true } };
        var tracked = await storefront.DataAsync(page, new { events }, customerToken: token, visitorId: visitor);
        Assert.Equal(1, tracked.GetProperty("trackEvents").GetProperty("accepted").GetInt32());
        var withVisitor = await storefront.DataAsync(home, customerToken: token, visitorId: visitor);
        Assert.Contains(withVisitor.GetProperty("offers").GetProperty("offers").EnumerateArray(), o => o.GetProperty("id").GetString() == gardenOffer.ToString());
        Assert.NotEqual(0, withVisitor.GetProperty("recommendations").GetProperty("items").GetArrayLength());

        // An app that keeps no visitor id: the customer is the subject.
        var appOnly = await storefront.DataAsync(home, customerToken: token);
        Assert.NotEqual(0, appOnly.GetProperty("offers").GetProperty("offers").GetArrayLength());
        Assert.Equal(1, (await storefront.DataAsync(page, new { events }, customerToken: token)).GetProperty("trackEvents").GetProperty("accepted").GetInt32());
    }

    [Fact]
    public async Task A_signed_in_customer_changes_consents_and_preferences_and_joins_their_visits()
    {
        var tenant = await platform.NewTenantAsync();
        using var partner = platform.Client(await tenant.PartnerKeyAsync(PartnerScopes));
        var created = await partner.PostAsJsonAsync("/api/profiles/profiles", new { firstName = "Anna", lastName = "Berger", email = $"anna-{tenant.Id}@example.de" });
        var customerId = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString();
        var token = await MintAsync(partner, customerId);
        using var storefront = platform.Client(await tenant.StorefrontKeyAsync());

        var consent = await storefront.DataAsync("""
            mutation { setConsent(purpose: personalization, granted: true, policyVersion: "2026-11") { purpose granted source policyVersion recordedAt } }
            """, customerToken: token);
        Assert.True(consent.GetProperty("setConsent").GetProperty("granted").GetBoolean());
        Assert.Equal("storefront", consent.GetProperty("setConsent").GetProperty("source").GetString());

        var preferences = await storefront.DataAsync("""
            mutation { updateMyPreferences(preferences: { brands: ["Gardena", "Bosch"], channels: ["email"] }) { brands channels categories } }
            """, customerToken: token);
        Assert.Equal(["Gardena", "Bosch"], preferences.GetProperty("updateMyPreferences").GetProperty("brands").EnumerateArray().Select(b => b.GetString()));

        var visitor = "v-" + Guid.NewGuid().ToString("N")[..12];
        var identified = await storefront.DataAsync("mutation ($v: String!) { identifyVisitor(visitorId: $v) }", new { v = visitor }, customerToken: token);
        Assert.True(identified.GetProperty("identifyVisitor").GetBoolean());

        // What the customer did is what the shop's own systems see.
        var profile = await partner.GetFromJsonAsync<JsonElement>($"/api/profiles/profiles/{customerId}");
        Assert.Equal(["Gardena", "Bosch"], profile.GetProperty("preferences").GetProperty("brands").EnumerateArray().Select(b => b.GetString()));
        var consents = await partner.GetFromJsonAsync<JsonElement>($"/api/profiles/profiles/{customerId}/consents");
        Assert.True(consents.EnumerateArray().Single(c => c.GetProperty("purpose").GetString() == "personalization").GetProperty("granted").GetBoolean());
        var visitors = await partner.GetStringAsync($"/api/profiles/profiles/{customerId}/visitors");
        Assert.Contains(visitor, visitors, StringComparison.Ordinal);

        // Without a token, the same mutations say what is missing.
        var (_, anonymous) = await storefront.GraphQLAsync("mutation { updateMyPreferences(preferences: { brands: [\"X\"] }) { brands } }");
        Assert.Contains("X-Customer-Token", anonymous.GetProperty("errors")[0].GetProperty("message").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Customer_tokens_are_minted_only_for_the_tenants_own_profiles_and_work_only_there()
    {
        var tenant = await platform.NewTenantAsync();
        var other = await platform.NewTenantAsync();
        using var partner = platform.Client(await tenant.PartnerKeyAsync(PartnerScopes));
        var created = await partner.PostAsJsonAsync("/api/profiles/profiles", new { firstName = "Max", email = $"max-{tenant.Id}@example.de" });
        var customerId = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString();

        Assert.Equal(HttpStatusCode.NotFound, (await partner.PostAsJsonAsync("/api/admin/customer-tokens", new { profileId = Guid.NewGuid() })).StatusCode);
        using var otherAdmin = other.Admin();
        Assert.Equal(HttpStatusCode.NotFound, (await otherAdmin.PostAsJsonAsync("/api/admin/customer-tokens", new { profileId = customerId })).StatusCode);
        var invalid = await partner.PostAsJsonAsync("/api/admin/customer-tokens", new { lifetimeMinutes = 100_000 });
        Assert.Equal(HttpStatusCode.BadRequest, invalid.StatusCode);
        Assert.Equal(["lifetimeMinutes", "profileId"], (await invalid.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").EnumerateObject().Select(e => e.Name).Order());
        using var catalogOnly = platform.Client(await tenant.PartnerKeyAsync(Scopes.CatalogRead));
        Assert.Equal(HttpStatusCode.Forbidden, (await catalogOnly.PostAsJsonAsync("/api/admin/customer-tokens", new { profileId = customerId })).StatusCode);
        using var storefrontKey = platform.Client(await tenant.StorefrontKeyAsync());
        Assert.Equal(HttpStatusCode.Forbidden, (await storefrontKey.PostAsJsonAsync("/api/admin/customer-tokens", new { profileId = customerId })).StatusCode);

        var token = await MintAsync(partner, customerId);
        using var otherStorefront = platform.Client(await other.StorefrontKeyAsync());
        var (foreign, body) = await otherStorefront.GraphQLAsync("{ me { profile { id } } }", customerToken: token);
        Assert.Equal(HttpStatusCode.Unauthorized, foreign.StatusCode);
        var (tampered, _) = await storefrontKey.GraphQLAsync("{ me { profile { id } } }", customerToken: token[..^4] + "AAAA");
        Assert.Equal(HttpStatusCode.Unauthorized, tampered.StatusCode);
        _ = body;
    }

    private static async Task<string> MintAsync(HttpClient partner, string? profileId)
    {
        var response = await partner.PostAsJsonAsync("/api/admin/customer-tokens", new { profileId, lifetimeMinutes = 15 });
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.True(response.StatusCode == HttpStatusCode.Created, $"{(int)response.StatusCode}: {body}");
        Assert.True(body.GetProperty("expiresAt").GetDateTimeOffset() > DateTimeOffset.UtcNow.AddMinutes(14));
        return body.GetProperty("token").GetString()!;
    }
}
