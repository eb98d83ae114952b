namespace MachCommerce.Gateway.Tests;

/// <summary>
/// A shopper's visit through GraphQL only, as a storefront makes it: browse, search, view a product, add it to
/// the cart, buy, and see the offer on the home page change with what they did.
/// </summary>
[Collection(WholePlatform.Name)]
public sealed class StorefrontJourneyTests(PlatformFixture platform)
{
    private const string ProductFields = "id sku slug name description brand available price { amount currency gross net taxRate displayGross } categories { id name parent { name } }";

    [Fact]
    public async Task A_visitor_browses_searches_buys_and_sees_the_home_page_offer_change()
    {
        var tenant = await platform.NewTenantAsync();
        using var admin = tenant.Admin();
        var shop = await ShopData.CreateForPersonalizationAsync(admin);
        var gardenOffer = await OfferAsync(admin, "Gartenwochen", shop.Garden, priority: 10);
        var toolOffer = await OfferAsync(admin, "Werkzeug-Deals", shop.Tools, priority: 20);
        using var storefront = platform.Client(await tenant.StorefrontKeyAsync("https://shop.example"));
        var visitor = "v-" + Guid.NewGuid().ToString("N")[..12];

        // Browse: the garden category (with its child), cheapest first, as a connection of two pages.
        var page1 = await storefront.DataAsync($$"""
            query ($category: ID!) { products(first: 2, filter: { category: $category }, sort: PRICE_ASC) { edges { cursor node { {{ProductFields}} } } pageInfo { hasNextPage endCursor } } }
            """, new { category = shop.Garden }, visitorId: visitor);
        var connection = page1.GetProperty("products");
        Assert.Equal(["Rasensprenger AquaZoom", "Gartenschlauch Classic 20 m"], Names(connection));
        Assert.True(connection.GetProperty("pageInfo").GetProperty("hasNextPage").GetBoolean());
        var first = connection.GetProperty("edges")[0].GetProperty("node");
        Assert.Equal("34.00", first.GetProperty("price").GetProperty("amount").GetString());
        Assert.True(first.GetProperty("price").GetProperty("displayGross").GetBoolean());
        Assert.Equal("Rasen", first.GetProperty("categories")[0].GetProperty("name").GetString());
        Assert.Equal("Garten", first.GetProperty("categories")[0].GetProperty("parent").GetProperty("name").GetString());
        var page2 = await storefront.DataAsync("""
            query ($category: ID!, $after: String) { products(first: 2, after: $after, filter: { category: $category }, sort: PRICE_ASC) { nodes { name } pageInfo { hasNextPage } } }
            """, new { category = shop.Garden, after = connection.GetProperty("pageInfo").GetProperty("endCursor").GetString() }, visitorId: visitor);
        Assert.Equal(["Schlauchwagen 2000", "Akku-Rasenmäher Rotak 36"], Names(page2.GetProperty("products")));
        Assert.False(page2.GetProperty("products").GetProperty("pageInfo").GetProperty("hasNextPage").GetBoolean());

        // Search with facets, in English.
        var search = await storefront.DataAsync("""
            { search(query: "Akkuschrauber") { totalCount products { nodes { name description } } facets { brands { value count } } } }
            """, visitorId: visitor, language: "en");
        var hits = search.GetProperty("search");
        Assert.Contains("Akku-Bohrschrauber GSR 18V (EN)", Names(hits.GetProperty("products")));
        Assert.Equal("Akku-Bohrschrauber GSR 18V for home and garden", hits.GetProperty("products").GetProperty("nodes")[0].GetProperty("description").GetString());
        Assert.Contains(hits.GetProperty("facets").GetProperty("brands").EnumerateArray(), b => b.GetProperty("value").GetString() == "Bosch");

        // The home page before: the broadcast favourite (higher priority) leads.
        var before = await HomeOffersAsync(storefront, visitor);
        Assert.Equal(toolOffer.ToString(), before.GetProperty("offers")[0].GetProperty("id").GetString());

        // View a product by its slug, put it in the cart, buy something else from the garden.
        var hose = await storefront.DataAsync("query ($slug: String!) { product(slug: $slug) { id name } }", new { slug = shop.Slugs["Gartenschlauch Classic 20 m"] }, visitorId: visitor);
        Assert.Equal(shop["Gartenschlauch Classic 20 m"].ToString(), hose.GetProperty("product").GetProperty("id").GetString());
        var tracked = await storefront.DataAsync("""
            mutation ($events: [EventInput!]!) { trackEvents(events: $events) { accepted } }
            """, new
        {
            events = new object[]
            {
                new { type = "PRODUCT_VIEWED", productId = shop["Schlauchwagen 2000"], consent = true, occurredAt = DateTimeOffset.UtcNow.AddMinutes(-3) },
                new { type = "PRODUCT_VIEWED", productId = shop["Gartenschlauch Classic 20 m"], consent = true, occurredAt = DateTimeOffset.UtcNow.AddMinutes(-2) },
                new { type = "ADDED_TO_CART", productId = shop["Gartenschlauch Classic 20 m"], quantity = 1, consent = true, occurredAt = DateTimeOffset.UtcNow.AddMinutes(-1) },
                new { type = "PURCHASED", productId = shop["Rasensprenger AquaZoom"], quantity = 1, price = "34", orderId = "order-1", consent = true },
            },
        }, visitorId: visitor);
        Assert.Equal(4, tracked.GetProperty("trackEvents").GetProperty("accepted").GetInt32());

        // The home page after: the garden offer, with a reason a shopper can read and products priced for them.
        var after = await HomeOffersAsync(storefront, visitor);
        Assert.True(after.GetProperty("personalized").GetBoolean());
        var offer = after.GetProperty("offers")[0];
        Assert.Equal(gardenOffer.ToString(), offer.GetProperty("id").GetString());
        Assert.Equal("Gartenwochen", offer.GetProperty("headline").GetString());
        Assert.Equal("Weil Gartenschlauch Classic 20 m in deinem Warenkorb liegt", offer.GetProperty("reason").GetProperty("text").GetString());
        var products = offer.GetProperty("products").EnumerateArray().Select(p => p.GetProperty("product")).ToList();
        Assert.NotEmpty(products);
        Assert.All(products, p => Assert.False(string.IsNullOrEmpty(p.GetProperty("price").GetProperty("amount").GetString())));
        Assert.DoesNotContain(products, p => p.GetProperty("id").GetString() == shop["Rasensprenger AquaZoom"].ToString()); // just bought

        // Recommendations go with the product on the page.
        var recommended = await storefront.DataAsync("""
            query ($product: ID!) { recommendations(strategy: VIEWED_TOGETHER, context: { productId: $product }, first: 3) { requested strategy items { product { name } reason { text } } } }
            """, new { product = shop["Schlauchwagen 2000"] }, visitorId: visitor);
        Assert.Equal("viewed-together", recommended.GetProperty("recommendations").GetProperty("requested").GetString());
    }

    [Fact]
    public async Task Categories_come_as_a_tree_with_their_products()
    {
        var tenant = await platform.NewTenantAsync();
        using var admin = tenant.Admin();
        var shop = await ShopData.CreateAsync(admin);
        using var storefront = platform.Client(await tenant.StorefrontKeyAsync());
        var data = await storefront.DataAsync("{ categories { name children { name products(first: 10) { nodes { name } } } } }", language: "en");
        var roots = data.GetProperty("categories").EnumerateArray().ToList();
        Assert.Equal(["Garden", "Tools"], roots.Select(r => r.GetProperty("name").GetString()).Order().ToList());
        var lawn = roots.Single(r => r.GetProperty("name").GetString() == "Garden").GetProperty("children")[0];
        Assert.Equal("Lawn", lawn.GetProperty("name").GetString());
        Assert.Equal(2, lawn.GetProperty("products").GetProperty("nodes").GetArrayLength());
        _ = shop;
    }

    private static List<string?> Names(JsonElement connection) =>
        connection.TryGetProperty("nodes", out var nodes)
            ? [.. nodes.EnumerateArray().Select(n => n.GetProperty("name").GetString())]
            : [.. connection.GetProperty("edges").EnumerateArray().Select(e => e.GetProperty("node").GetProperty("name").GetString())];

    [Fact]
    public async Task Relay_connections_give_every_edge_a_cursor_page_both_ways_and_find_nodes_by_id()
    {
        var tenant = await platform.NewTenantAsync();
        using var admin = tenant.Admin();
        var shop = await ShopData.CreateAsync(admin);
        using var storefront = platform.Client(await tenant.StorefrontKeyAsync());
        const string connection = "edges { cursor node { name } } pageInfo { hasNextPage hasPreviousPage startCursor endCursor }";

        var all = (await storefront.DataAsync($"{{ products(first: 100, sort: NAME) {{ {connection} }} }}")).GetProperty("products");
        var edges = all.GetProperty("edges").EnumerateArray().ToList();
        Assert.True(edges.Count >= 5);
        Assert.All(edges, edge => Assert.False(string.IsNullOrEmpty(edge.GetProperty("cursor").GetString())));
        Assert.False(all.GetProperty("pageInfo").GetProperty("hasPreviousPage").GetBoolean());
        var names = edges.Select(e => e.GetProperty("node").GetProperty("name").GetString()).ToList();
        var cursors = edges.Select(e => e.GetProperty("cursor").GetString()).ToList();

        // After the second edge, and the two before the fourth.
        var after = (await storefront.DataAsync($"query ($c: String) {{ products(first: 2, after: $c, sort: NAME) {{ {connection} }} }}", new { c = cursors[1] })).GetProperty("products");
        Assert.Equal(names.Skip(2).Take(2), after.GetProperty("edges").EnumerateArray().Select(e => e.GetProperty("node").GetProperty("name").GetString()));
        Assert.True(after.GetProperty("pageInfo").GetProperty("hasPreviousPage").GetBoolean());
        Assert.Equal(cursors[2], after.GetProperty("pageInfo").GetProperty("startCursor").GetString());
        var before = (await storefront.DataAsync($"query ($c: String) {{ products(last: 2, before: $c, sort: NAME) {{ {connection} }} }}", new { c = cursors[3] })).GetProperty("products");
        Assert.Equal(names.Skip(1).Take(2), before.GetProperty("edges").EnumerateArray().Select(e => e.GetProperty("node").GetProperty("name").GetString()));
        Assert.True(before.GetProperty("pageInfo").GetProperty("hasNextPage").GetBoolean());
        Assert.True(before.GetProperty("pageInfo").GetProperty("hasPreviousPage").GetBoolean());

        // Global object identification: a product and a category by id alone.
        var productId = shop["Gartenschlauch Classic 20 m"].ToString();
        var nodes = await storefront.DataAsync("""
            query ($p: ID!, $c: ID!) { product: node(id: $p) { __typename id ... on Product { name } } category: node(id: $c) { __typename ... on Category { slug } }
                                       none: node(id: "not-an-id") { id } many: nodes(ids: [$p, $c]) { id } }
            """, new { p = productId, c = shop.Garden.ToString() });
        Assert.Equal("Product", nodes.GetProperty("product").GetProperty("__typename").GetString());
        Assert.Equal("Gartenschlauch Classic 20 m", nodes.GetProperty("product").GetProperty("name").GetString());
        Assert.Equal("Category", nodes.GetProperty("category").GetProperty("__typename").GetString());
        Assert.Equal(JsonValueKind.Null, nodes.GetProperty("none").ValueKind);
        Assert.Equal(2, nodes.GetProperty("many").GetArrayLength());
    }

    [Theory]
    [InlineData("{ products(first: 1000000) { nodes { id } } }", "first must be from 1 to 100")]
    [InlineData("{ products(first: -5) { nodes { id } } }", "first must be from 1 to 100")]
    [InlineData("{ search(query: \"akku\", last: 500) { totalCount } }", "last must be from 1 to 100")]
    [InlineData("{ offers(placement: \"home-hero\", first: 50) { decisionId } }", "first must be from 1 to 10")]
    public async Task A_page_size_out_of_range_is_refused_before_anything_runs(string query, string message)
    {
        var tenant = await platform.NewTenantAsync();
        using var storefront = platform.Client(await tenant.StorefrontKeyAsync());

        var (response, body) = await storefront.GraphQLAsync(query, visitorId: "v-pages");

        Assert.Equal(System.Net.HttpStatusCode.BadRequest, response.StatusCode);
        Assert.False(body.TryGetProperty("data", out _));
        Assert.Contains(message, body.GetProperty("errors")[0].GetProperty("message").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_offer_context_with_an_id_that_is_no_id_is_refused_by_its_argument_path()
    {
        var tenant = await platform.NewTenantAsync();
        using var storefront = platform.Client(await tenant.StorefrontKeyAsync());

        var (_, body) = await storefront.GraphQLAsync("""
            { offers(placement: "home-hero", context: { productId: "3f2c9f1e-5f3b-4c1a-9d7e-0b1a2c3d4e5f", cartProductIds: ["not-a-product"] }) { decisionId } }
            """, visitorId: "v-bad-context");

        var error = body.GetProperty("errors")[0];
        Assert.Contains("context.cartProductIds[0] must be an id this shop's catalog gave", error.GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.Equal("offers", error.GetProperty("path")[0].GetString());
    }

    [Fact]
    public async Task A_page_by_its_address_gets_its_category_or_product_with_their_lists_in_one_request_and_mistakes_are_named()
    {
        var tenant = await platform.NewTenantAsync();
        using var admin = tenant.Admin();
        var shop = await ShopData.CreateForPersonalizationAsync(admin);
        await OfferAsync(admin, "Gartenwochen", shop.Garden, priority: 10);
        using var storefront = platform.Client(await tenant.StorefrontKeyAsync());

        // A category page by slug: the category, and its products with facets through filter.categorySlug.
        var page = await storefront.DataAsync("""
            { category(slug: "garten") { id name children { slug } }
              search(query: "", filter: { categorySlug: "garten" }, first: 10) { totalCount facets { brands { value count } } products { nodes { name } } } }
            """, visitorId: "v-category-page");
        Assert.Equal(shop.Garden.ToString(), page.GetProperty("category").GetProperty("id").GetString());
        Assert.Equal("rasen", page.GetProperty("category").GetProperty("children")[0].GetProperty("slug").GetString());
        Assert.Equal(4, page.GetProperty("search").GetProperty("totalCount").GetInt32()); // two in Garten, two in its child Rasen
        Assert.Equal("Gardena", page.GetProperty("search").GetProperty("facets").GetProperty("brands")[0].GetProperty("value").GetString());

        // A product page by slug: the product with its lists and its offer, in the same request.
        var product = (await storefront.DataAsync("""
            query ($slug: String!) { product(slug: $slug) { name
              boughtTogether: recommendations(strategy: BOUGHT_TOGETHER, first: 3) { requested strategy }
              offers(placement: "home-hero") { placement offers { name } } } }
            """, new { slug = shop.Slugs["Gartenschlauch Classic 20 m"] }, visitorId: "v-product-page")).GetProperty("product");
        Assert.Equal("bought-together", product.GetProperty("boughtTogether").GetProperty("requested").GetString());
        Assert.Equal("Gartenwochen", product.GetProperty("offers").GetProperty("offers")[0].GetProperty("name").GetString());
        Assert.Equal(JsonValueKind.Null, (await storefront.DataAsync("""{ category(slug: "gibt-es-nicht") { id } }""", visitorId: "v-x")).GetProperty("category").ValueKind);

        // Mistakes are named by their field: an unknown slug, two names for one category, a shopper's own data without a token.
        foreach (var (query, path, words) in new[]
        {
            ("""{ search(query: "", filter: { categorySlug: "gibt-es-nicht" }) { totalCount } }""", "search", "this shop has no category \"gibt-es-nicht\""),
            ($$"""{ category(id: "{{shop.Garden}}", slug: "garten") { id } }""", "category", "exactly one of id or slug"),
            ("""mutation { eraseMe { id } }""", "eraseMe", "Only a signed-in customer"),
        })
        {
            var (response, body) = await storefront.GraphQLAsync(query, visitorId: "v-mistakes");
            Assert.True((int)response.StatusCode < 500, body.ToString());
            var error = body.GetProperty("errors")[0];
            Assert.Contains(words, error.GetProperty("message").GetString(), StringComparison.Ordinal);
            Assert.Equal(path, error.GetProperty("path")[0].GetString());
        }

        // The banner's answer alone needs the answer.
        var (_, noAnswer) = await storefront.GraphQLAsync("""mutation { trackEvents(events: [{ type: CONSENT_ANSWERED }]) { accepted } }""", visitorId: "v-no-answer");
        Assert.Contains("events[0].consent", noAnswer.GetProperty("errors")[0].ToString(), StringComparison.Ordinal);
        var yes = await storefront.DataAsync("""mutation { trackEvents(events: [{ type: CONSENT_ANSWERED, consent: true }]) { accepted } }""", visitorId: "v-answer");
        Assert.Equal(1, yes.GetProperty("trackEvents").GetProperty("accepted").GetInt32());
    }

    private static async Task<JsonElement> HomeOffersAsync(HttpClient storefront, string visitor) =>
        (await storefront.DataAsync("""
            { offers(placement: "home-hero", first: 1) { decisionId personalized offers { id name headline reason { code text } incentive { type value code } products { score reason { text } product { id name price { amount } } } } } }
            """, visitorId: visitor)).GetProperty("offers");

    internal static async Task<Guid> OfferAsync(HttpClient admin, string name, Guid category, int priority)
    {
        var response = await admin.PostAsJsonAsync("/api/personalization/offers", new
        {
            name,
            status = "active",
            placements = new[] { "home-hero" },
            content = new { de = new { headline = name, text = "Nur diese Woche", callToAction = "Jetzt ansehen" } },
            selection = new { categoryIds = new[] { category }, maxProducts = 4 },
            incentive = new { type = "percent", value = 10, code = "DEMO10" },
            priority,
        });
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.True(response.IsSuccessStatusCode, $"creating the offer answered {(int)response.StatusCode}: {body}");
        return body.GetProperty("id").GetGuid();
    }
}
