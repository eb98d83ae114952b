using Microsoft.Playwright;
using System.Net;

namespace MachCommerce.Gateway.Tests;

/// <summary>
/// The storefront starter as shoppers use it, in Debian's chromium against the real platform: the consent banner
/// first, the personal offer with its reason, search with a typo, a trade customer's net prices, and their data.
/// Each page's screenshot is left beside the test assembly (storefront-*.png).
/// </summary>
[Collection(WholePlatform.Name)]
public sealed class StorefrontStarterTests(PlatformFixture platform) : BrowserTest
{
    private const string Hose = "Gartenschlauch Classic 20 m";

    [Fact]
    public async Task Storefront_visitor_who_agrees_and_browses_garden_tools_gets_the_garden_offer_with_its_reason()
    {
        var storefront = await platform.StorefrontStarterAsync();
        var page = await NewPageAsync();
        await page.GotoAsync(storefront.Address.ToString());

        // Before any answer: the banner, and the offer for nobody in particular (the tools offer ranks first).
        await Expect(page.GetByTestId("consent-banner")).ToBeVisibleAsync();
        await Expect(page.GetByTestId("offer").GetByRole(AriaRole.Heading)).ToHaveTextAsync(StorefrontStarter.ToolsOffer);
        await ShotAsync(page, "home-first-visit");
        await AssertAccessibleAsync(page);

        await page.GetByRole(AriaRole.Button, new() { Name = "Ja, personalisieren" }).ClickAsync();
        await Expect(page.GetByTestId("consent-banner")).ToBeHiddenAsync();

        // Garden tools: the category, then the hose, into the cart.
        await page.GetByRole(AriaRole.Navigation, new() { Name = "Kategorien" }).GetByRole(AriaRole.Link, new() { Name = "Garten" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("Garten");
        await ShotAsync(page, "category");
        await page.GetByRole(AriaRole.Link, new() { Name = Hose }).First.ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync(Hose);
        await page.GetByRole(AriaRole.Button, new() { Name = "In den Warenkorb" }).ClickAsync();
        await Expect(page.GetByTestId("cart-badge")).ToContainTextAsync("1");
        await ShotAsync(page, "product");
        await AssertAccessibleAsync(page);

        // Home again: once the batched events are in, the garden offer leads, saying why.
        var deadline = DateTime.UtcNow.AddSeconds(20);
        string heading;
        do
        {
            await page.GotoAsync(storefront.Address.ToString());
            heading = await page.GetByTestId("offer").GetByRole(AriaRole.Heading).InnerTextAsync();
        }
        while (heading != StorefrontStarter.GardenOffer && DateTime.UtcNow < deadline && await Delay());

        Assert.True(heading == StorefrontStarter.GardenOffer, $"the home page still offers {heading}; the storefront said: {storefront.Log}");
        await Expect(page.GetByTestId("offer-reason")).ToContainTextAsync(Hose);
        await ShotAsync(page, "home-personal");

        // The cart hands over to the shop's checkout with SKU and quantity.
        await page.GetByTestId("cart-badge").ClickAsync();
        await ShotAsync(page, "cart");
        await page.GetByRole(AriaRole.Button, new() { Name = "Zur Kasse" }).ClickAsync();
        await Expect(page.GetByTestId("handoff")).ToContainTextAsync($"{storefront.Data.Skus[Hose]}:1");
    }

    [Fact]
    public async Task Storefront_visitor_who_declines_leaves_no_personal_row_in_personalization()
    {
        var storefront = await platform.StorefrontStarterAsync();
        // Another test's last batch may still be on its way: start from counts that hold still.
        var before = await PersonalRowsAsync();
        for (var settled = 0; settled < 3; before = await PersonalRowsAsync())
        {
            await Task.Delay(700);
            settled = await PersonalRowsAsync() == before ? settled + 1 : 0;
        }

        var page = await NewPageAsync();
        await page.GotoAsync(storefront.Address.ToString());
        await page.GetByRole(AriaRole.Button, new() { Name = "Nein, danke" }).ClickAsync();
        await Expect(page.GetByTestId("consent-banner")).ToBeHiddenAsync();

        // The same browsing as a shopper who agreed: category, product, cart, search, an offer's link.
        await page.GotoAsync(new Uri(storefront.Address, "/c/garten").ToString());
        await page.GetByRole(AriaRole.Link, new() { Name = Hose }).First.ClickAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "In den Warenkorb" }).ClickAsync();
        await Expect(page.GetByTestId("cart-badge")).ToContainTextAsync("1");
        await page.GotoAsync(new Uri(storefront.Address, "/search?q=Rasensprenger").ToString());
        await page.GotoAsync(storefront.Address.ToString());
        await page.GetByTestId("offer").GetByRole(AriaRole.Link, new() { Name = "Jetzt ansehen" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("Garten");
        await page.CloseAsync(); // leaving the page is when a batch would go out
        await Task.Delay(2000);

        Assert.Equal(before, await PersonalRowsAsync());
        Assert.DoesNotContain(await page.Context.CookiesAsync(), cookie => cookie.Name == "mc_visitor");
        var consent = Assert.Single(await page.Context.CookiesAsync(), cookie => cookie.Name == "mc_consent");
        Assert.Equal("denied", consent.Value);
        Assert.True(consent.HttpOnly);
    }

    [Fact]
    public async Task Storefront_search_with_a_typo_finds_the_product_and_the_shop_speaks_english_on_request()
    {
        var storefront = await platform.StorefrontStarterAsync();
        var page = await NewPageAsync();
        await page.GotoAsync(storefront.Address.ToString());
        await page.GetByLabel("Produkte suchen").FillAsync("Rasnsprenger");
        await page.GetByRole(AriaRole.Button, new() { Name = "Suchen" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToContainTextAsync("Rasnsprenger");
        await Expect(page.GetByRole(AriaRole.Link, new() { Name = "Rasensprenger AquaZoom" })).ToBeVisibleAsync();
        await Expect(page.GetByTestId("fuzzy")).ToBeVisibleAsync();
        await ShotAsync(page, "search-typo");
        await AssertAccessibleAsync(page);

        // The brand facet narrows a category; paging is by cursor.
        await page.GotoAsync(new Uri(storefront.Address, "/c/werkzeug").ToString());
        await Expect(page.GetByTestId("result-count")).ToHaveTextAsync("4 Treffer");
        await page.GetByRole(AriaRole.Link, new() { Name = "Makita (2)" }).ClickAsync();
        await Expect(page.GetByTestId("result-count")).ToHaveTextAsync("2 Treffer");

        await page.GetByRole(AriaRole.Link, new() { Name = "EN", Exact = true }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Button, new() { Name = "Search" })).ToBeVisibleAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("Tools");
        Assert.Equal("en", await page.Locator("html").GetAttributeAsync("lang"));
        await ShotAsync(page, "category-english");
    }

    [Fact]
    public async Task Storefront_trade_customer_signs_in_sees_net_prices_downloads_their_data_and_erases_it()
    {
        var storefront = await platform.StorefrontStarterAsync();
        var email = $"einkauf-{Guid.NewGuid():N}"[..16] + "@gartenbau.example";
        var page = await NewPageAsync();
        var product = new Uri(storefront.Address, $"/p/{storefront.Data.Slugs[Hose]}").ToString();
        await page.GotoAsync(product);
        await page.GetByRole(AriaRole.Button, new() { Name = "Ja, personalisieren" }).ClickAsync();
        await Expect(page.GetByTestId("price").First).ToHaveAttributeAsync("data-display", "gross");
        await Expect(page.GetByTestId("price").First).ToContainTextAsync("39,00");

        // Sign in through the identity service: the shop's page, "create an account", back at the product.
        await page.GetByRole(AriaRole.Link, new() { Name = "Anmelden" }).ClickAsync();
        await page.WaitForURLAsync($"**/account/shop/{StorefrontStarter.Shop}/login**");
        await ShotAsync(page, "sign-in");
        await page.GetByRole(AriaRole.Link, new() { Name = "Konto anlegen" }).ClickAsync();
        await page.GetByLabel("E-Mail-Adresse").FillAsync(email);
        await page.GetByLabel("Neues Passwort").FillAsync("Sommerregen-am-Fluss-2026");
        await page.GetByLabel("Passwort wiederholen").FillAsync("Sommerregen-am-Fluss-2026");
        await page.GetByRole(AriaRole.Button, new() { Name = "Konto anlegen" }).ClickAsync();
        await page.WaitForURLAsync(url => url == product || url.Contains("signin=failed", StringComparison.Ordinal), new() { WaitUntil = WaitUntilState.Commit, Timeout = 60_000 });
        Assert.True(page.Url == product, $"back at {page.Url} instead of the product; the storefront said: {storefront.Log}");
        await Expect(page.GetByTestId("signed-in")).ToContainTextAsync(email);

        // The shop files the new account under a trading company with the trade price list.
        using var admin = storefront.Tenant.Admin();
        var profile = await admin.GetFromJsonAsync<JsonElement>($"/api/profiles/profiles/by-email/{Uri.EscapeDataString(email)}");
        var update = new HttpRequestMessage(HttpMethod.Put, $"/api/profiles/profiles/{profile.GetProperty("id").GetGuid()}")
        {
            Content = JsonContent.Create(new
            {
                kind = "company", email, companyName = "Gartenbau Huber GmbH", customerGroup = "fachhandel",
                externalId = profile.GetProperty("externalId").GetString(),
            }),
        };
        update.Headers.IfMatch.Add(new System.Net.Http.Headers.EntityTagHeaderValue($"\"v{profile.GetProperty("version").GetInt32()}\""));
        using (var updated = await admin.SendAsync(update))
        {
            Assert.True(updated.IsSuccessStatusCode, await updated.Content.ReadAsStringAsync());
        }

        // The gateway remembers an account's customer group for a minute (README): the change shows within that.
        var deadline = DateTime.UtcNow.AddSeconds(75);
        do
        {
            await page.ReloadAsync();
        }
        while (await page.GetByTestId("price").First.GetAttributeAsync("data-display") != "net" && DateTime.UtcNow < deadline && await Delay(2000));

        await Expect(page.GetByTestId("price").First).ToContainTextAsync("Ihr Nettopreis");
        await Expect(page.GetByTestId("price").First).ToContainTextAsync("27,50");
        await Expect(page.GetByTestId("b2b-note")).ToBeVisibleAsync();
        await Expect(page.GetByTestId("signed-in")).ToContainTextAsync("Gartenbau Huber GmbH");
        await ShotAsync(page, "product-trade-customer");

        // My data: the profile, and the export as a file with everything the platform holds.
        await page.GetByRole(AriaRole.Link, new() { Name = "Meine Daten" }).First.ClickAsync();
        await Expect(page.GetByTestId("profile-email")).ToHaveTextAsync(email);
        await ShotAsync(page, "my-data");
        await AssertAccessibleAsync(page);
        var download = await page.RunAndWaitForDownloadAsync(() => page.GetByTestId("export").ClickAsync());
        var exported = JsonDocument.Parse(await File.ReadAllTextAsync(await download.PathAsync())).RootElement;
        Assert.Equal(email, exported.GetProperty("profile").GetProperty("email").GetString());
        Assert.True(exported.GetProperty("services").TryGetProperty("personalization", out _), exported.ToString());

        // Erasure: asked once more, then the profile is gone and the shopper signed out.
        await page.GetByRole(AriaRole.Button, new() { Name = "Mein Konto und alle Daten löschen" }).ClickAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Ja, endgültig löschen" }).ClickAsync();
        await Expect(page.GetByTestId("erased")).ToBeVisibleAsync();
        using var gone = await admin.GetAsync($"/api/profiles/profiles/by-email/{Uri.EscapeDataString(email)}");
        Assert.Equal(HttpStatusCode.NotFound, gone.StatusCode);
        await page.ReloadAsync();
        await Expect(page.GetByRole(AriaRole.Link, new() { Name = "Anmelden" })).ToBeVisibleAsync();
    }

    [Fact]
    public async Task Storefront_customer_of_a_cooperatives_member_shares_their_contact_with_the_cooperative_and_takes_it_back()
    {
        var storefront = await platform.StorefrontStarterAsync();
        var cooperative = "starter-verbund-" + Guid.NewGuid().ToString("N")[..6];
        using var operatorClient = platform.Client(PlatformFixture.PlatformKey);
        (await operatorClient.PostAsJsonAsync("/api/admin/cooperatives", new { id = cooperative, name = "Starterverbund eG" })).EnsureSuccessStatusCode();
        (await operatorClient.PutAsJsonAsync($"/api/admin/cooperatives/{cooperative}/members/{StorefrontStarter.Shop}", new { postcode = "83022", city = "Rosenheim" })).EnsureSuccessStatusCode();
        try
        {
            var email = $"verbund-{Guid.NewGuid():N}"[..16] + "@kunde.example";
            var page = await NewPageAsync();
            await page.GotoAsync(storefront.Address.ToString());
            await page.GetByRole(AriaRole.Link, new() { Name = "Anmelden" }).ClickAsync();
            await page.GetByRole(AriaRole.Link, new() { Name = "Konto anlegen" }).ClickAsync();
            await page.GetByLabel("E-Mail-Adresse").FillAsync(email);
            await page.GetByLabel("Neues Passwort").FillAsync("Sommerregen-am-Fluss-2026");
            await page.GetByLabel("Passwort wiederholen").FillAsync("Sommerregen-am-Fluss-2026");
            await page.GetByRole(AriaRole.Button, new() { Name = "Konto anlegen" }).ClickAsync();
            await Expect(page.GetByTestId("signed-in")).ToContainTextAsync(email);

            // A member shop's customer is asked about sharing with the cooperative (the gateway knows the membership within seconds).
            await page.GotoAsync(new Uri(storefront.Address, "/my-data").ToString());
            var deadline = DateTime.UtcNow.AddSeconds(30);
            while (await page.GetByTestId("cooperative").CountAsync() == 0 && DateTime.UtcNow < deadline && await Delay(2000))
            {
                await page.ReloadAsync();
            }

            await Expect(page.GetByText("Weitergabe an den Verbund: nein")).ToBeVisibleAsync();
            await page.GetByRole(AriaRole.Button, new() { Name = "Kontakt an den Verbund weitergeben" }).ClickAsync();
            await Expect(page.GetByText("Weitergabe an den Verbund: ja")).ToBeVisibleAsync();
            await ShotAsync(page, "my-data-cooperative");
            await AssertAccessibleAsync(page);

            using var admin = storefront.Tenant.Admin();
            var profile = await admin.GetFromJsonAsync<JsonElement>($"/api/profiles/profiles/by-email/{Uri.EscapeDataString(email)}");
            var id = profile.GetProperty("id").GetGuid();
            var shared = Assert.Single((await admin.GetFromJsonAsync<JsonElement>($"/api/profiles/profiles/{id}/export")).GetProperty("sharedWithCooperative").EnumerateArray());
            Assert.Equal((cooperative, email), (shared.GetProperty("cooperative_id").GetString(), shared.GetProperty("email").GetString()));

            // Taken back as easily: the cooperative's copy is gone, the history keeps both answers.
            await page.GetByRole(AriaRole.Button, new() { Name = "Nicht mehr an den Verbund weitergeben" }).ClickAsync();
            await Expect(page.GetByText("Weitergabe an den Verbund: nein")).ToBeVisibleAsync();
            Assert.Empty((await admin.GetFromJsonAsync<JsonElement>($"/api/profiles/profiles/{id}/export")).GetProperty("sharedWithCooperative").EnumerateArray());
            var history = await admin.GetFromJsonAsync<JsonElement>($"/api/profiles/profiles/{id}/consents/history");
            Assert.Equal([true, false], history.EnumerateArray().Where(c => c.GetProperty("purpose").GetString() == "cooperative").Select(c => c.GetProperty("granted").GetBoolean()));
        }
        finally
        {
            (await operatorClient.DeleteAsync($"/api/admin/cooperatives/{cooperative}/members/{StorefrontStarter.Shop}")).EnsureSuccessStatusCode();
        }
    }

    [Fact]
    public async Task Storefront_product_page_of_a_cooperatives_member_shows_the_member_shops_that_sell_it_nearest_first()
    {
        var storefront = await platform.StorefrontStarterAsync();
        var neighbour = await platform.NewTenantAsync();
        var cooperative = "starter-verbund-" + Guid.NewGuid().ToString("N")[..6];
        using var operatorClient = platform.Client(PlatformFixture.PlatformKey);
        (await operatorClient.PostAsJsonAsync("/api/admin/cooperatives", new { id = cooperative, name = "Starterverbund eG" })).EnsureSuccessStatusCode();
        (await operatorClient.PutAsJsonAsync($"/api/admin/cooperatives/{cooperative}/members/{StorefrontStarter.Shop}",
            new { street = "Münchener Straße 12", postcode = "83022", city = "Rosenheim", productUrl = "https://starter.example/p/{slug}" })).EnsureSuccessStatusCode();
        (await operatorClient.PutAsJsonAsync($"/api/admin/cooperatives/{cooperative}/members/{neighbour.Id}",
            new { postcode = "84028", city = "Landshut", productUrl = "https://landshut.example/artikel/{slug}" })).EnsureSuccessStatusCode();
        try
        {
            // The neighbour sells the same hose (same SKU) of its own.
            var hoseSku = storefront.Data.Skus[Hose][..^2];
            using var neighbourAdmin = neighbour.Admin();
            (await neighbourAdmin.PostAsJsonAsync("/api/catalog/products", new
            {
                sku = hoseSku, slug = "schlauch-classic", status = "published", brand = "Gardena", name = new { de = Hose },
                variants = new[] { new { sku = "N-" + hoseSku, priceGross = 36.50m, taxRate = 0.19m, stockQuantity = 3 } },
            })).EnsureSuccessStatusCode();

            var page = await NewPageAsync();
            await page.GotoAsync(new Uri(storefront.Address, $"/p/{storefront.Data.Slugs[Hose]}?plz=84034").ToString());
            var shops = page.GetByTestId("member-shops").Locator("li");
            await Expect(shops).ToHaveCountAsync(2);
            await Expect(shops.Nth(0)).ToContainTextAsync("Landshut");
            await Expect(shops.Nth(0)).ToContainTextAsync("km entfernt");
            Assert.Equal("https://landshut.example/artikel/schlauch-classic", await shops.Nth(0).GetByRole(AriaRole.Link, new() { Name = "Zum Shop" }).GetAttributeAsync("href"));
            await Expect(shops.Nth(1)).ToContainTextAsync("Rosenheim");
            await AssertAccessibleAsync(page);
            await ShotAsync(page, "member-shops");

            // The shopper's own postcode reorders them.
            await page.GetByLabel("Ihre Postleitzahl").FillAsync("83024");
            await page.GetByRole(AriaRole.Button, new() { Name = "Nach Entfernung ordnen" }).ClickAsync();
            await Expect(page.GetByTestId("member-shops").Locator("li").Nth(0)).ToContainTextAsync("Rosenheim");

            // The shop's own search points to the cooperative's: one hit per product with every shop that sells it.
            await page.GotoAsync(new Uri(storefront.Address, "/search?q=gartenschlauch").ToString());
            await page.GetByTestId("joint-link").GetByRole(AriaRole.Link).ClickAsync();
            await page.WaitForURLAsync("**/joint?q=gartenschlauch");
            await page.GetByLabel("Ihre Postleitzahl").FillAsync("84034");
            await page.GetByRole(AriaRole.Button, new() { Name = "Suchen", Exact = true }).Last.ClickAsync();
            var hose = page.GetByTestId("joint-results").Locator($"li[data-sku='{hoseSku}']");
            await Expect(hose).ToContainTextAsync("bei 2 Geschäften");
            await Expect(hose.Locator("li").Nth(0)).ToContainTextAsync("Landshut");
            await Expect(hose.Locator("li").Nth(1)).ToContainTextAsync("Rosenheim");
            Assert.Equal("https://landshut.example/artikel/schlauch-classic", await hose.Locator("li").Nth(0).GetByRole(AriaRole.Link, new() { Name = "Zum Shop" }).GetAttributeAsync("href"));
            await AssertAccessibleAsync(page);
            await ShotAsync(page, "joint-search");
        }
        finally
        {
            // The starter shop leaves the cooperative again, as the other tests know it.
            (await operatorClient.DeleteAsync($"/api/admin/cooperatives/{cooperative}/members/{StorefrontStarter.Shop}")).EnsureSuccessStatusCode();
        }
    }

    [Fact]
    public async Task Storefront_types_generated_by_graphql_codegen_from_the_live_schema_match_the_committed_ones()
    {
        var storefront = await platform.StorefrontStarterAsync();
        var output = Directory.CreateTempSubdirectory("codegen-");
        try
        {
            var result = await ProcessRunner.RunAsync("npm", ["run", "codegen", "--prefix", StorefrontStarter.Folder], new Dictionary<string, string>
            {
                ["MACH_PLATFORM_URL"] = platform.Gateway.Address.ToString(),
                ["MACH_STOREFRONT_KEY"] = storefront.StorefrontKey,
                ["MACH_CODEGEN_OUT"] = output.FullName + "/",
            }, TimeSpan.FromMinutes(2));
            Assert.True(result.ExitCode == 0, result.Output);
            foreach (var file in new[] { "gql.ts", "graphql.ts", "index.ts" })
            {
                Assert.True(
                    await File.ReadAllTextAsync(Path.Combine(StorefrontStarter.Folder, "src", "gql", file)) == await File.ReadAllTextAsync(Path.Combine(output.FullName, file)),
                    $"src/gql/{file} differs from what codegen makes of the live schema now: run npm run codegen in frontends/storefront (README) and commit it.");
            }
        }
        finally
        {
            output.Delete(recursive: true);
        }
    }

    /// <summary>Rows that would say who a shopper is or what they did: visitors, models, impressions, exposures, and events at all.</summary>
    private async Task<string> PersonalRowsAsync()
    {
        var counts = new List<long>();
        foreach (var table in new[] { "visitors", "subject_models", "impressions", "exposures", "events" })
        {
            counts.Add(await Sql.ScalarAsync<long>(platform.PersonalizationDatabase, $"SELECT count(*) FROM personalization.{table} WHERE tenant_id = $1", StorefrontStarter.Shop));
        }

        return string.Join(", ", counts);
    }

    private static async Task ShotAsync(IPage page, string name) =>
        await page.ScreenshotAsync(new() { Path = Path.Combine(AppContext.BaseDirectory, $"storefront-{name}.png"), FullPage = true });

    private static async Task<bool> Delay(int milliseconds = 500)
    {
        await Task.Delay(milliseconds);
        return true;
    }

    private static ILocatorAssertions Expect(ILocator locator) => Assertions.Expect(locator);
}
