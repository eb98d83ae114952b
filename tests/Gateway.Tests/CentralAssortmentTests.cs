using MachCommerce.Api.Catalog;
using MachCommerce.Client.Problems;
using Microsoft.Playwright;
using System.Net;

namespace MachCommerce.Gateway.Tests;

/// <summary>
/// A cooperative's central assortment (Zentralsortiment) through the gateway, with the real catalog, RabbitMQ and
/// PostgreSQL: the cooperative's catalog staff keep it (no X-Tenant: their central level), a member shop subscribes
/// to a central category and gets the products as its own with local overrides that survive central changes, a SKU
/// the shop has already is reported, not overwritten, and cancelling takes back only what came through it.
/// </summary>
[Collection(WholePlatform.Name)]
public sealed class CentralAssortmentTests(PlatformFixture platform) : CooperativeTest(platform)
{
    [Fact]
    public async Task A_cooperatives_central_category_reaches_a_subscribed_member_with_its_overrides_and_leaves_with_the_subscription()
    {
        var (cooperative, memberA, memberB) = await CooperativeAsync();
        using var staff = Platform.Client(await StaffTokenAsync(cooperative, "catalog"));
        var central = await ShopData.CreateAsync(staff); // no X-Tenant: the cooperative's central level
        var drill = central["Akku-Bohrschrauber GSR 18V"];
        var jigsaw = central["Stichsäge PST 900"];
        using var adminA = memberA.Admin();
        using var adminB = memberB.Admin();

        // The shop sells the jigsaw already, under the central SKU: that product stays the shop's own.
        var jigsawSku = (await staff.GetFromJsonAsync<JsonElement>($"/api/catalog/products/{jigsaw}")).GetProperty("sku").GetString()!;
        var own = await adminA.PostAsJsonAsync("/api/catalog/products", new
        {
            sku = jigsawSku, status = "published", name = new { de = "Unsere eigene Stichsäge" },
            variants = new[] { new { sku = "OWN-" + jigsawSku, priceGross = 79m, taxRate = 0.19m, stockQuantity = 3 } },
        });
        Assert.Equal(HttpStatusCode.Created, own.StatusCode);
        var ownId = (await own.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();

        var before = await adminA.GetFromJsonAsync<JsonElement>("/api/catalog/central");
        Assert.Equal(cooperative, before.GetProperty("cooperative").GetString());
        Assert.Equal(ShopData.Items.Length, before.GetProperty("publishedProducts").GetInt32());
        Assert.Equal(["garten", "werkzeug"], before.GetProperty("categories").EnumerateArray().Select(c => c.GetProperty("slug").GetString()).Order());

        // Subscribing to "werkzeug" brings its four products (two in "bohrmaschinen" below it), less the conflicting one.
        using var subscribed = await adminA.PostAsJsonAsync("/api/catalog/central/subscriptions", new { categoryId = central.Tools });
        var subscription = await subscribed.Content.ReadFromJsonAsync<JsonElement>();
        Assert.True(subscribed.StatusCode == HttpStatusCode.Created, subscription.ToString());
        Assert.Equal(3, subscription.GetProperty("sync").GetProperty("added").GetInt32());
        var conflict = Assert.Single(subscription.GetProperty("sync").GetProperty("conflicts").EnumerateArray());
        Assert.Equal(jigsawSku, conflict.GetProperty("sku").GetString());
        Assert.Equal(3, subscription.GetProperty("subscription").GetProperty("products").GetInt32());
        Assert.Equal("Unsere eigene Stichsäge", (await adminA.GetFromJsonAsync<JsonElement>($"/api/catalog/products/{ownId}")).GetProperty("name").GetProperty("de").GetString());

        // The copies are the shop's products, filed in its copy of the central tree; the other member has none.
        var drillSku = (await staff.GetFromJsonAsync<JsonElement>($"/api/catalog/products/{drill}")).GetProperty("sku").GetString()!;
        var copy = await adminA.GetFromJsonAsync<JsonElement>($"/api/catalog/products/by-sku/{drillSku}");
        var copyId = copy.GetProperty("id").GetGuid();
        Assert.NotEqual(drill, copyId);
        var tree = await adminA.GetFromJsonAsync<JsonElement>("/api/catalog/categories");
        var tools = Assert.Single(tree.EnumerateArray(), c => c.GetProperty("slug").GetString() == "werkzeug");
        var drills = Assert.Single(tools.GetProperty("children").EnumerateArray());
        Assert.Equal([drills.GetProperty("id").GetGuid()], copy.GetProperty("categoryIds").EnumerateArray().Select(c => c.GetGuid()));
        Assert.Equal(HttpStatusCode.NotFound, (await adminB.GetAsync($"/api/catalog/products/by-sku/{drillSku}")).StatusCode);

        // The cooperative renames a central category: the shop's copy of it follows.
        var centralDrills = await staff.GetFromJsonAsync<JsonElement>($"/api/catalog/categories/{central.Drills}");
        using (var rename = new HttpRequestMessage(HttpMethod.Put, $"/api/catalog/categories/{central.Drills}")
        {
            Content = JsonContent.Create(new { slug = "bohrmaschinen", name = new { de = "Bohr- und Schlagbohrmaschinen", en = "Drills" }, parentId = central.Tools, position = 1 }),
        })
        {
            rename.Headers.TryAddWithoutValidation("If-Match", $"\"v{centralDrills.GetProperty("version").GetInt32()}\"");
            Assert.Equal(HttpStatusCode.OK, (await staff.SendAsync(rename)).StatusCode);
        }

        Assert.Equal("Bohr- und Schlagbohrmaschinen", (await adminA.GetFromJsonAsync<JsonElement>($"/api/catalog/categories/{drills.GetProperty("id").GetGuid()}"))
            .GetProperty("name").GetProperty("de").GetString());
        Assert.Contains(await SearchSkusAsync(adminA, "Bohrschrauber", drillSku), sku => sku == drillSku);

        // The shop changes its copy only through overrides; they are checked field by field, in the shop's terms.
        using var directRequest = new HttpRequestMessage(HttpMethod.Put, $"/api/catalog/products/{copyId}") { Content = JsonContent.Create(new { sku = drillSku, name = new { de = "x" } }) };
        directRequest.Headers.TryAddWithoutValidation("If-Match", $"\"v{copy.GetProperty("version").GetInt32()}\"");
        var direct = await adminA.SendAsync(directRequest);
        Assert.Equal(HttpStatusCode.Conflict, direct.StatusCode);
        Assert.Contains("/central/overrides/", await direct.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        // Nor is it archived or deleted as if it were the shop's own: it is hidden, or the subscription cancelled.
        foreach (var refused in new[] { await adminA.PostAsync($"/api/catalog/products/{copyId}/archive", null), await adminA.DeleteAsync($"/api/catalog/products/{copyId}") })
        {
            Assert.Equal(HttpStatusCode.Conflict, refused.StatusCode);
            Assert.Contains("\"hidden\": true", (await refused.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("detail").GetString(), StringComparison.Ordinal);
        }

        var variantSku = drillSku + "-1";
        var bad = await adminA.PutAsJsonAsync($"/api/catalog/central/overrides/{copyId}", new
        {
            name = new { de = new string('x', 201) },
            variants = new Dictionary<string, object> { ["NOPE-1"] = new { priceGross = 10m }, [variantSku] = new { priceNet = -5m } },
        });
        var badBody = await bad.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        var errors = badBody.GetProperty("errors");
        Assert.True(errors.TryGetProperty("variants.NOPE-1", out _), badBody.ToString());
        Assert.True(errors.TryGetProperty($"variants.{variantSku}.priceNet", out _), badBody.ToString());
        Assert.True(errors.TryGetProperty("name.de", out _), badBody.ToString());
        Assert.Equal(189m, (await adminA.GetFromJsonAsync<JsonElement>($"/api/catalog/products/{copyId}")).GetProperty("variants")[0].GetProperty("price").GetProperty("gross").GetDecimal());

        var overridden = await adminA.PutAsJsonAsync($"/api/catalog/central/overrides/{copyId}", new
        {
            name = new { de = "Bohrschrauber – Angebot vom Fachhändler" },
            variants = new Dictionary<string, object> { [variantSku] = new { priceGross = 169m, stockQuantity = 4 } },
        });
        Assert.Equal(HttpStatusCode.OK, overridden.StatusCode);
        var local = await adminA.GetFromJsonAsync<JsonElement>($"/api/catalog/products/{copyId}");
        Assert.Equal("Bohrschrauber – Angebot vom Fachhändler", local.GetProperty("name").GetProperty("de").GetString());
        Assert.Equal(169m, local.GetProperty("variants")[0].GetProperty("price").GetProperty("gross").GetDecimal());

        // A central change reaches the copy through events; the shop's price and name stay, the new description comes.
        var centralDrill = await staff.GetFromJsonAsync<JsonElement>($"/api/catalog/products/{drill}");
        using (var change = new HttpRequestMessage(HttpMethod.Put, $"/api/catalog/products/{drill}")
        {
            Content = JsonContent.Create(new
            {
                sku = drillSku, slug = centralDrill.GetProperty("slug").GetString(), status = "published", brand = "Bosch",
                name = new { de = "Akku-Bohrschrauber GSR 18V-55" }, description = new { de = "Neu: mit zwei Akkus" },
                categoryIds = new[] { central.Drills },
                variants = new[] { new { sku = variantSku, priceGross = 199m, taxRate = 0.19m, stockQuantity = 30 } },
            }),
        })
        {
            change.Headers.TryAddWithoutValidation("If-Match", centralDrill.GetProperty("version").GetInt32() is var v ? $"\"v{v}\"" : null);
            var changed = await staff.SendAsync(change);
            Assert.True(changed.IsSuccessStatusCode, await changed.Content.ReadAsStringAsync());
        }

        var updated = await UntilAsync(adminA, $"/api/catalog/products/{copyId}", p => p.GetProperty("description").GetProperty("de").GetString() == "Neu: mit zwei Akkus");
        Assert.Equal("Bohrschrauber – Angebot vom Fachhändler", updated.GetProperty("name").GetProperty("de").GetString());
        Assert.Equal(169m, updated.GetProperty("variants")[0].GetProperty("price").GetProperty("gross").GetDecimal());
        Assert.Equal(4, updated.GetProperty("variants")[0].GetProperty("stockQuantity").GetInt32());

        // A product the cooperative publishes later in a subscribed category arrives by itself; one the shop hides leaves its storefront.
        var added = await staff.PostAsJsonAsync("/api/catalog/products", new
        {
            sku = "ZS-" + Guid.NewGuid().ToString("N")[..8], status = "published", brand = "Metabo", name = new { de = "Akku-Bohrhammer KH 18" },
            categoryIds = new[] { central.Drills },
            variants = new[] { new { sku = "ZS-BH-" + Guid.NewGuid().ToString("N")[..8], priceGross = 229m, taxRate = 0.19m, stockQuantity = 12 } },
        });
        Assert.Equal(HttpStatusCode.Created, added.StatusCode);
        var addedSku = (await added.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("sku").GetString();
        var arrived = await UntilAsync(adminA, $"/api/catalog/search?q=Bohrhammer",
            body => body.GetProperty("items").EnumerateArray().Any(i => i.GetProperty("sku").GetString() == addedSku));
        var arrivedId = arrived.GetProperty("items").EnumerateArray().First(i => i.GetProperty("sku").GetString() == addedSku).GetProperty("id").GetGuid();
        Assert.Equal(HttpStatusCode.OK, (await adminA.PutAsJsonAsync($"/api/catalog/central/overrides/{arrivedId}", new { hidden = true })).StatusCode);
        Assert.Equal("draft", (await adminA.GetFromJsonAsync<JsonElement>($"/api/catalog/products/{arrivedId}")).GetProperty("status").GetString());

        // The cooperative sees how its members use the central assortment: counts, nothing of their customers.
        var centralView = await staff.GetFromJsonAsync<JsonElement>("/api/catalog/central");
        Assert.True(centralView.GetProperty("isCentral").GetBoolean());
        var use = Assert.Single(centralView.GetProperty("members").EnumerateArray());
        Assert.Equal((memberA.Id, 4, 2, 1), (use.GetProperty("tenantId").GetString(), use.GetProperty("products").GetInt32(), use.GetProperty("overridden").GetInt32(),
            use.GetProperty("conflicts").GetInt32()));

        // A shop with subscriptions cannot leave the cooperative before it cancels them.
        using var operatorClient = Platform.Client(PlatformFixture.PlatformKey);
        var leave = await operatorClient.DeleteAsync($"/api/admin/cooperatives/{cooperative}/members/{memberA.Id}");
        Assert.Equal(HttpStatusCode.Conflict, leave.StatusCode);
        Assert.Contains("subscription", await leave.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        // Cancelling takes back the four copies and their categories; the shop's own jigsaw stays.
        var cancelled = await adminA.DeleteAsync($"/api/catalog/central/subscriptions/category/{central.Tools}");
        var cancelBody = await cancelled.Content.ReadFromJsonAsync<JsonElement>();
        Assert.True(cancelled.StatusCode == HttpStatusCode.OK, cancelBody.ToString());
        Assert.Equal(4, cancelBody.GetProperty("removed").GetInt32());
        Assert.Equal(HttpStatusCode.NotFound, (await adminA.GetAsync($"/api/catalog/products/{copyId}")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await adminA.GetAsync($"/api/catalog/products/{ownId}")).StatusCode);
        Assert.Empty((await adminA.GetFromJsonAsync<JsonElement>("/api/catalog/categories")).EnumerateArray());
        Assert.Equal(0, (await adminA.GetFromJsonAsync<JsonElement>("/api/catalog/central")).GetProperty("conflicts").GetArrayLength());
        Assert.Equal(HttpStatusCode.NoContent, (await operatorClient.DeleteAsync($"/api/admin/cooperatives/{cooperative}/members/{memberA.Id}")).StatusCode);
    }

    [Fact]
    public async Task A_cooperatives_member_that_asks_the_central_assortment_wrongly_is_told_why_and_nothing_changes()
    {
        var (cooperative, member, _) = await CooperativeAsync();
        using var admin = member.Admin();
        var shop = await ShopData.CreateAsync(admin);

        var missing = await RefusedAsync(await admin.PostAsJsonAsync("/api/catalog/central/subscriptions", new { categoryId = Guid.NewGuid() }), HttpStatusCode.BadRequest);
        Assert.Contains("central assortment", missing.GetProperty("errors").GetProperty("categoryId")[0].GetString(), StringComparison.Ordinal);
        // A category of the shop's own is not a central one.
        await RefusedAsync(await admin.PostAsJsonAsync("/api/catalog/central/subscriptions", new { categoryId = shop.Tools }), HttpStatusCode.BadRequest);
        var both = await RefusedAsync(await admin.PostAsJsonAsync("/api/catalog/central/subscriptions", new { categoryId = Guid.NewGuid(), productId = Guid.NewGuid() }),
            HttpStatusCode.BadRequest);
        Assert.True(both.GetProperty("errors").TryGetProperty("productId", out _), both.ToString());
        await RefusedAsync(await admin.PostAsJsonAsync("/api/catalog/central/subscriptions", new { productId = shop["Stichsäge PST 900"] }), HttpStatusCode.BadRequest);
        await RefusedAsync(await admin.DeleteAsync($"/api/catalog/central/subscriptions/category/{Guid.NewGuid()}"), HttpStatusCode.NotFound);
        var ownProduct = await RefusedAsync(await admin.PutAsJsonAsync($"/api/catalog/central/overrides/{shop["Stichsäge PST 900"]}", new { hidden = true }), HttpStatusCode.NotFound);
        Assert.Contains("PUT /products/", ownProduct.GetProperty("detail").GetString(), StringComparison.Ordinal);

        // A storefront key (public in every shopper's browser) reads the shop's products, not its central assortment.
        var storefront = await member.StorefrontKeyAsync("https://shop.example");
        using var shopper = Platform.Client(storefront);
        await RefusedAsync(await shopper.GetAsync("/api/catalog/central"), HttpStatusCode.Forbidden);
        await RefusedAsync(await shopper.GetAsync("/api/catalog/central/products"), HttpStatusCode.Forbidden);

        // A shop in no cooperative has no central assortment.
        var alone = await Platform.NewTenantAsync();
        using var aloneAdmin = alone.Admin();
        var none = await RefusedAsync(await aloneAdmin.GetAsync("/api/catalog/central"), HttpStatusCode.NotFound);
        Assert.Contains("not a member of a cooperative", none.GetProperty("detail").GetString(), StringComparison.Ordinal);
        await RefusedAsync(await aloneAdmin.PostAsJsonAsync("/api/catalog/central/subscriptions", new { categoryId = Guid.NewGuid() }), HttpStatusCode.NotFound);

        // Nothing was half-applied: the shop's catalog is as it was, without subscriptions (read as a partner would, with the typed client).
        using var client = MachCommerceClient.Create(o => { o.BaseAddress = Platform.Gateway.Address; o.ApiKey = member.AdminKey; });
        var after = await client.CentralAssortment.GetAsync();
        Assert.Equal(cooperative, after.Cooperative);
        Assert.Empty(after.Subscriptions);
        var refused = await Assert.ThrowsAsync<MachCommerceApiException>(() => client.CentralAssortment.SubscribeAsync(new CentralSubscriptionInput(Guid.NewGuid(), null)));
        Assert.Equal(["categoryId"], refused.Errors.Keys);
        Assert.Equal(ShopData.Items.Length, (await admin.GetFromJsonAsync<JsonElement>("/api/catalog/products?limit=100")).GetProperty("items").GetArrayLength());
    }

    [Fact]
    public async Task A_cooperatives_member_takes_a_central_category_in_the_console_and_sells_a_copy_at_its_own_price()
    {
        var (cooperative, member, _) = await CooperativeAsync();
        using var staff = Platform.Client(await StaffTokenAsync(cooperative, "catalog"));
        var central = await ShopData.CreateAsync(staff);
        using var admin = member.Admin();
        var (page, _) = await SignedInAsync(admin, member.Id, "owner");

        await OpenAsync(page, "/catalog/central");
        await page.GetByRole(AriaRole.Button, new() { Name = "Garten übernehmen", Exact = true }).ClickAsync();
        await Assertions.Expect(page.Locator("#sync-result")).ToContainTextAsync("4 Produkte übernommen");
        await Assertions.Expect(page.Locator("#subscriptions")).ToContainTextAsync("Kategorie Garten");
        await Assertions.Expect(page.Locator("#central-categories")).ToContainTextAsync("mit übernommen"); // "Rasen", below "Garten"
        await AssertAccessibleAsync(page);
        await ScreenshotAsync(page, "console-central-assortment");

        // The copy's page says where it comes from; the price set there is the shop's and stays when the cooperative changes the product.
        var hoseSku = (await staff.GetFromJsonAsync<JsonElement>($"/api/catalog/products/{central["Gartenschlauch Classic 20 m"]}")).GetProperty("sku").GetString();
        var copy = await admin.GetFromJsonAsync<JsonElement>($"/api/catalog/products/by-sku/{hoseSku}");
        await OpenAsync(page, $"/catalog/products/{copy.GetProperty("id").GetGuid()}");
        await Assertions.Expect(page.Locator("#central-copy")).ToBeVisibleAsync();
        await page.GetByLabel($"Preis brutto {hoseSku}-1").FillAsync("35,90");
        await page.Locator("#save").ClickAsync();
        await Assertions.Expect(page.Locator("#saved")).ToBeVisibleAsync();
        var overrides = await admin.GetFromJsonAsync<JsonElement>($"/api/catalog/central/overrides/{copy.GetProperty("id").GetGuid()}");
        Assert.Equal(35.90m, overrides.GetProperty("overrides").GetProperty("variants").GetProperty($"{hoseSku}-1").GetProperty("priceGross").GetDecimal());
        Assert.False(overrides.GetProperty("overrides").TryGetProperty("name", out var name) && name.ValueKind == JsonValueKind.Object, overrides.ToString());
        Assert.Equal(35.90m, (await admin.GetFromJsonAsync<JsonElement>($"/api/catalog/products/{copy.GetProperty("id").GetGuid()}"))
            .GetProperty("variants")[0].GetProperty("price").GetProperty("gross").GetDecimal());
    }

    [Fact]
    public async Task A_cooperatives_staff_member_keeps_the_central_assortment_in_the_console_and_sees_how_members_use_it()
    {
        var (cooperative, member, other) = await CooperativeAsync();
        using var staff = Platform.Client(await StaffTokenAsync(cooperative, "catalog"));
        var central = await ShopData.CreateAsync(staff);
        using var admin = member.Admin();
        (await admin.PostAsJsonAsync("/api/catalog/central/subscriptions", new { categoryId = central.Garden })).EnsureSuccessStatusCode();

        // A second person of the cooperative signs in to the console: the cooperative is their start, not a shop's overview.
        var page = await ConsoleAsCooperativeStaffAsync(cooperative, "owner");
        var rows = page.Locator("#members tbody tr");
        await Assertions.Expect(rows).ToHaveCountAsync(2);
        await Assertions.Expect(rows.Filter(new() { HasText = member.Id })).ToContainTextAsync("4");
        await Assertions.Expect(rows.Filter(new() { HasText = other.Id })).ToContainTextAsync("0");
        await Assertions.Expect(page.GetByRole(AriaRole.Link, new() { Name = "Kunden" })).ToHaveCountAsync(0);
        await AssertAccessibleAsync(page);
        await ScreenshotAsync(page, "console-cooperative");

        // Its catalog pages are the central assortment.
        await page.GetByRole(AriaRole.Link, new() { Name = "Zentralsortiment" }).ClickAsync();
        await page.GetByRole(AriaRole.Heading, new() { Name = "Zentralsortiment", Exact = true }).WaitForAsync();
        await Assertions.Expect(page.GetByText("Gartenschlauch Classic 20 m")).ToBeVisibleAsync();
    }

    [Fact]
    public async Task A_cooperatives_joint_search_finds_each_product_once_with_the_member_shops_that_sell_it_nearest_first()
    {
        var (cooperative, rosenheim, landshut) = await CooperativeAsync();
        using var operatorClient = Platform.Client(PlatformFixture.PlatformKey);

        // Where the shops are: bad addresses are refused field by field and change nothing; then Rosenheim by its postcode, Landshut exactly.
        var bad = await operatorClient.PutAsJsonAsync($"/api/admin/cooperatives/{cooperative}/members/{rosenheim.Id}",
            new { postcode = "8302", productUrl = "ftp://shop.example/p", latitude = 48.0 });
        var badBody = await bad.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.Equal(["city", "longitude", "postcode", "productUrl"], badBody.GetProperty("errors").EnumerateObject().Select(e => e.Name).Order());
        (await operatorClient.PutAsJsonAsync($"/api/admin/cooperatives/{cooperative}/members/{rosenheim.Id}",
            new { street = "Münchener Straße 12", postcode = "83022", city = "Rosenheim", productUrl = "https://rosenheim.example/produkt/{slug}" })).EnsureSuccessStatusCode();
        var placed = await operatorClient.PutAsJsonAsync($"/api/admin/cooperatives/{cooperative}/members/{landshut.Id}",
            new { postcode = "84028", city = "Landshut", latitude = 48.5366, longitude = 12.1521 });
        var members = (await placed.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("members").EnumerateArray().ToDictionary(m => m.GetProperty("tenantId").GetString()!);
        Assert.Equal(47.856, members[rosenheim.Id].GetProperty("location").GetProperty("latitude").GetDouble(), 3); // the postcode region's main town

        // Both take the central tools; Rosenheim also sells a spade of its own.
        using var staff = Platform.Client(await StaffTokenAsync(cooperative, "catalog"));
        var central = await ShopData.CreateAsync(staff);
        using var adminR = rosenheim.Admin();
        using var adminL = landshut.Admin();
        foreach (var admin in new[] { adminR, adminL })
        {
            (await admin.PostAsJsonAsync("/api/catalog/central/subscriptions", new { categoryId = central.Tools })).EnsureSuccessStatusCode();
        }

        (await adminR.PostAsJsonAsync("/api/catalog/products", new
        {
            sku = "SPATEN-R1", status = "published", brand = "Fiskars", name = new { de = "Bohrspaten Solid" },
            variants = new[] { new { sku = "SPATEN-R1-1", priceGross = 39.9m, taxRate = 0.19m, stockQuantity = 5 } },
        })).EnsureSuccessStatusCode();

        // A shopper of Rosenheim's storefront in Landshut (84034): the drill once, Landshut's shop first, with Rosenheim's product page.
        using var shopper = Platform.Client(await rosenheim.StorefrontKeyAsync("https://rosenheim.example"));
        var found = await shopper.GetFromJsonAsync<JsonElement>("/api/cooperative/search?q=Bohr&postcode=84034");
        var drillSku = (await staff.GetFromJsonAsync<JsonElement>($"/api/catalog/products/{central["Akku-Bohrschrauber GSR 18V"]}")).GetProperty("sku").GetString();
        var drill = Assert.Single(found.GetProperty("items").EnumerateArray(), i => i.GetProperty("sku").GetString() == drillSku);
        Assert.Equal(2, drill.GetProperty("shopCount").GetInt32());
        var shops = drill.GetProperty("shops").EnumerateArray().ToList();
        Assert.Equal([landshut.Id, rosenheim.Id], shops.Select(s => s.GetProperty("tenantId").GetString()));
        Assert.True(shops[0].GetProperty("distanceKm").GetDouble() < 10, shops[0].ToString());
        Assert.InRange(shops[1].GetProperty("distanceKm").GetDouble(), 50, 90);
        Assert.StartsWith("https://rosenheim.example/produkt/", shops[1].GetProperty("productUrl").GetString(), StringComparison.Ordinal);
        Assert.Equal(JsonValueKind.Null, shops[0].GetProperty("productUrl").ValueKind);
        var spade = Assert.Single(found.GetProperty("items").EnumerateArray(), i => i.GetProperty("sku").GetString() == "SPATEN-R1");
        Assert.Equal(1, spade.GetProperty("shopCount").GetInt32());
        Assert.Contains(found.GetProperty("brands").EnumerateArray(), b => b.GetProperty("value").GetString() == "Fiskars");

        // The same for a storefront developer in GraphQL: the joint search, and a product's member shops.
        var graph = await shopper.DataAsync("""
            query($sku: String!) {
              jointSearch(query: "Bohr", postcode: "84034", first: 10) { totalCount items { sku shopCount lowestPrice shops { shopId distanceKm url } } }
              product(sku: $sku) { memberShops(postcode: "83022") { shopId name city price available } }
            }
            """, new { sku = drillSku });
        var graphDrill = Assert.Single(graph.GetProperty("jointSearch").GetProperty("items").EnumerateArray(), i => i.GetProperty("sku").GetString() == drillSku);
        Assert.Equal(landshut.Id, graphDrill.GetProperty("shops")[0].GetProperty("shopId").GetString());
        Assert.Equal([rosenheim.Id, landshut.Id], graph.GetProperty("product").GetProperty("memberShops").EnumerateArray().Select(m => m.GetProperty("shopId").GetString()));
        var (_, refusedGraph) = await shopper.GraphQLAsync("""{ jointSearch(query: "Bohr", postcode: "8403") { totalCount } }""");
        Assert.Contains("postcode", refusedGraph.GetProperty("errors")[0].GetProperty("message").GetString(), StringComparison.Ordinal);

        // A product a shop hides is not offered there; the offers of one SKU are nearest first.
        var landshutDrill = await adminL.GetFromJsonAsync<JsonElement>($"/api/catalog/products/by-sku/{drillSku}");
        (await adminL.PutAsJsonAsync($"/api/catalog/central/overrides/{landshutDrill.GetProperty("id").GetGuid()}", new { hidden = true })).EnsureSuccessStatusCode();
        var offers = await shopper.GetFromJsonAsync<JsonElement>($"/api/cooperative/offers?sku={drillSku}&postcode=83022");
        Assert.Equal([rosenheim.Id], offers.GetProperty("shops").EnumerateArray().Select(s => s.GetProperty("tenantId").GetString()));

        // Bad questions get clear answers; a shop outside any cooperative has no joint assortment.
        async Task<JsonElement> RefusedAsync(string path, HttpStatusCode status, HttpClient? client = null)
        {
            using var response = await (client ?? shopper).GetAsync(path);
            var body = await response.Content.ReadFromJsonAsync<JsonElement>();
            Assert.True(response.StatusCode == status, $"{path}: {(int)response.StatusCode} {body}");
            return body;
        }

        Assert.True((await RefusedAsync("/api/cooperative/search?q=Bohr&postcode=8403", HttpStatusCode.BadRequest)).GetProperty("errors").TryGetProperty("postcode", out _));
        Assert.Contains("no German postcode region", (await RefusedAsync("/api/cooperative/search?q=Bohr&postcode=05123", HttpStatusCode.BadRequest)).ToString(), StringComparison.Ordinal);
        Assert.True((await RefusedAsync("/api/cooperative/search?q=%20%20", HttpStatusCode.BadRequest)).GetProperty("errors").TryGetProperty("q", out _));
        await RefusedAsync("/api/cooperative/offers?sku=GIBT-ES-NICHT", HttpStatusCode.NotFound);
        // The catalog's joint routes answer the gateway alone: a client that calls them through the proxy, naming any shops it likes, is refused.
        using (var direct = await adminR.PostAsJsonAsync("/api/catalog/joint/search", new { q = "Bohr", members = new[] { rosenheim.Id, landshut.Id, "eisen-berger" } }))
        {
            Assert.Equal(HttpStatusCode.Forbidden, direct.StatusCode);
        }
        var alone = await Platform.NewTenantAsync();
        using var aloneClient = Platform.Client(await alone.StorefrontKeyAsync("https://alone.example"));
        Assert.Contains("not a member of a cooperative", (await RefusedAsync("/api/cooperative/search?q=Bohr", HttpStatusCode.NotFound, aloneClient)).ToString(), StringComparison.Ordinal);
    }

    private static async Task<List<string>> SearchSkusAsync(HttpClient client, string query, string expected)
    {
        var found = await UntilAsync(client, $"/api/catalog/search?q={Uri.EscapeDataString(query)}",
            body => body.GetProperty("items").EnumerateArray().Any(i => i.GetProperty("sku").GetString() == expected));
        return [.. found.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("sku").GetString()!)];
    }

    /// <summary>Reads <paramref name="path"/> until <paramref name="done"/> holds (events travel over RabbitMQ), at most 30 s.</summary>
    private static async Task<JsonElement> UntilAsync(HttpClient client, string path, Func<JsonElement, bool> done)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (true)
        {
            var body = await client.GetFromJsonAsync<JsonElement>(path);
            if (done(body))
            {
                return body;
            }

            Assert.True(DateTime.UtcNow < deadline, $"{path} after 30 s: {body}");
            await Task.Delay(200);
        }
    }

    [Fact]
    public async Task A_cooperatives_own_storefront_key_searches_all_its_members_and_reaches_into_no_member_shop()
    {
        var (cooperative, memberA, memberB) = await CooperativeAsync();
        using var staff = Platform.Client(await StaffTokenAsync(cooperative, "catalog"));
        var central = await ShopData.CreateAsync(staff);
        using var adminA = memberA.Admin();
        using var adminB = memberB.Admin();
        (await adminA.PostAsJsonAsync("/api/catalog/central/subscriptions", new { categoryId = central.Garden })).EnsureSuccessStatusCode();
        (await adminB.PostAsJsonAsync("/api/catalog/central/subscriptions", new { categoryId = central.Garden })).EnsureSuccessStatusCode();
        var ownOfA = await adminA.PostAsJsonAsync("/api/catalog/products", new
        {
            sku = "EIGEN-A1", status = "published", name = new { de = "Gartenschere Eigenmarke" },
            variants = new[] { new { sku = "EIGEN-A1-1", priceGross = 19.9m, taxRate = 0.19m, stockQuantity = 5 } },
        });
        ownOfA.EnsureSuccessStatusCode();

        // The platform operator gives the cooperative a storefront key for its joint storefront; no other kind, no one else.
        using var operatorClient = Platform.Client(PlatformFixture.PlatformKey);
        var adminKind = await RefusedAsync(await operatorClient.PostAsJsonAsync($"/api/admin/cooperatives/{cooperative}/keys", new { kind = "admin", name = "Verbund" }),
            HttpStatusCode.BadRequest);
        Assert.Contains("storefront key", adminKind.GetProperty("errors").GetProperty("kind")[0].GetString(), StringComparison.Ordinal);
        await RefusedAsync(await operatorClient.PostAsJsonAsync("/api/admin/cooperatives/no-such-verbund/keys", new { kind = "storefront", name = "x" }), HttpStatusCode.NotFound);
        await RefusedAsync(await adminA.PostAsJsonAsync($"/api/admin/cooperatives/{cooperative}/keys", new { kind = "storefront", name = "x" }), HttpStatusCode.Forbidden);
        var created = await operatorClient.PostAsJsonAsync($"/api/admin/cooperatives/{cooperative}/keys",
            new { kind = "storefront", name = "Verbund-Shop", allowedOrigins = new[] { "https://verbund.example" } });
        var key = await created.Content.ReadFromJsonAsync<JsonElement>();
        Assert.True(created.StatusCode == HttpStatusCode.Created, key.ToString());
        Assert.Equal($"coop.{cooperative}", key.GetProperty("details").GetProperty("tenantId").GetString());
        using var joint = Platform.Client(key.GetProperty("key").GetString()!);

        // Its storefront: the joint search over every member (central copies and a member's own product), the central assortment as its catalog.
        var graph = await joint.DataAsync("""
            { jointSearch(query: "Garten", first: 20) { totalCount items { sku name shopCount shops { shopId } } }
              products(first: 50) { nodes { sku } } }
            """);
        var items = graph.GetProperty("jointSearch").GetProperty("items").EnumerateArray().ToList();
        var hose = Assert.Single(items, i => i.GetProperty("name").GetString() == "Gartenschlauch Classic 20 m");
        Assert.Equal(new[] { memberA.Id, memberB.Id }.Order(), hose.GetProperty("shops").EnumerateArray().Select(s => s.GetProperty("shopId").GetString()!).Order());
        var shear = Assert.Single(items, i => i.GetProperty("sku").GetString() == "EIGEN-A1");
        Assert.Equal(memberA.Id, Assert.Single(shear.GetProperty("shops").EnumerateArray()).GetProperty("shopId").GetString());
        var catalog = graph.GetProperty("products").GetProperty("nodes").EnumerateArray().Select(n => n.GetProperty("sku").GetString()).ToList();
        Assert.Equal(ShopData.Items.Length, catalog.Count);
        Assert.DoesNotContain("EIGEN-A1", catalog);

        // It reaches into no member shop: X-Tenant is for the cooperative's staff, a storefront key manages nothing.
        using var named = new HttpRequestMessage(HttpMethod.Get, "/api/catalog/products?limit=100");
        named.Headers.Add("X-Tenant", memberA.Id);
        var read = await (await joint.SendAsync(named)).Content.ReadFromJsonAsync<JsonElement>();
        Assert.DoesNotContain(read.GetProperty("items").EnumerateArray(), p => p.GetProperty("sku").GetString() == "EIGEN-A1");
        await RefusedAsync(await joint.GetAsync("/api/catalog/central"), HttpStatusCode.Forbidden);
        await RefusedAsync(await joint.GetAsync("/api/admin/keys"), HttpStatusCode.Forbidden);
        await RefusedAsync(await joint.GetAsync("/api/personalization/central/campaigns"), HttpStatusCode.Forbidden);

        // Listed with the cooperative and revoked there: then it is refused.
        var listed = Assert.Single((await operatorClient.GetFromJsonAsync<JsonElement>($"/api/admin/cooperatives/{cooperative}/keys")).GetProperty("items").EnumerateArray());
        Assert.Equal("Verbund-Shop", listed.GetProperty("name").GetString());
        Assert.DoesNotContain((await adminA.GetFromJsonAsync<JsonElement>("/api/admin/keys?limit=100")).GetProperty("items").EnumerateArray(),
            k => k.GetProperty("name").GetString() == "Verbund-Shop");
        Assert.Equal(HttpStatusCode.NoContent, (await operatorClient.DeleteAsync($"/api/admin/cooperatives/{cooperative}/keys/{listed.GetProperty("id").GetGuid()}")).StatusCode);
        await RefusedAsync(await joint.GetAsync("/api/catalog/products?limit=1"), HttpStatusCode.Unauthorized);
    }
}
