using Microsoft.Playwright;
using System.Net;

namespace MachCommerce.Gateway.Tests;

/// <summary>
/// The merchant console's everyday work beside campaigns, in Debian's chromium against the real platform: a support
/// person answers a customer's GDPR request, a catalog person imports a CSV and fixes a price, the owner hands out
/// access; each role is offered only what it may do.
/// </summary>
[Collection(WholePlatform.Name)]
public sealed class ConsoleWorkTests(PlatformFixture fixture) : ConsoleTest(fixture)
{
    [Fact]
    public async Task A_support_person_finds_a_customer_in_the_console_reads_their_consents_downloads_their_data_and_erases_them_with_each_services_confirmation()
    {
        var tenant = await Platform.NewTenantAsync();
        using var admin = tenant.Admin();
        var erika = await CustomerAsync(admin, "Erika", "Mustermann", "erika.mustermann@example.com");
        var other = await CustomerAsync(admin, "Max", "Beispiel", "max.beispiel@example.com");
        await ConsentAsync(admin, erika, "personalization", true);
        await ConsentAsync(admin, erika, "marketing_email", true);
        await ConsentAsync(admin, erika, "marketing_email", false);

        var (page, _) = await SignedInAsync(admin, tenant.Id, "support");
        await page.Locator("[data-interactive=true]").WaitForAsync();
        await page.GetByRole(AriaRole.Link, new() { Name = "Kunden" }).ClickAsync();
        await Assertions.Expect(page.Locator("#customers tbody tr")).ToHaveCountAsync(2);
        await page.GetByLabel("Name oder E-Mail-Adresse").FillAsync("Muster");
        await page.Locator("#search-button").ClickAsync();
        await Assertions.Expect(page.Locator("#customers tbody tr")).ToHaveCountAsync(1);
        await ScreenshotAsync(page, "console-customers");
        await page.GetByRole(AriaRole.Link, new() { Name = "Erika Mustermann" }).ClickAsync();

        // The consents now and every change, newest first.
        await Assertions.Expect(page.Locator("#consent-history tbody tr")).ToHaveCountAsync(3);
        Assert.Contains("Werbung per E-Mail", await page.Locator("#consent-history tbody tr").First.InnerTextAsync(), StringComparison.Ordinal);
        await page.Locator("[data-interactive=true] #export").WaitForAsync();
        await ScreenshotAsync(page, "console-customer");
        await AssertAccessibleAsync(page);

        // The export as a file: everything, from every service that holds personal data.
        var download = await page.RunAndWaitForDownloadAsync(() => page.Locator("#export").ClickAsync());
        Assert.Equal($"auskunft-{erika}.json", download.SuggestedFilename);
        using (var export = JsonDocument.Parse(await File.ReadAllTextAsync(await download.PathAsync())))
        {
            Assert.Equal("erika.mustermann@example.com", export.RootElement.GetProperty("profile").GetProperty("email").GetString());
            Assert.True(export.RootElement.GetProperty("services").TryGetProperty("personalization", out _));
        }

        // Erasure asks first, then follows each service's confirmation until all have confirmed.
        await page.Locator("#erase").ClickAsync();
        await Assertions.Expect(page.Locator("#erase-confirmation")).ToContainTextAsync("nicht rückgängig");
        await page.Locator("#erase-confirm").ClickAsync();
        await Assertions.Expect(page.Locator("#erasure-state")).ToContainTextAsync("Abgeschlossen", new() { Timeout = 60_000 });
        Assert.Equal(2, await page.Locator("#erasure-services tbody tr").CountAsync());
        Assert.DoesNotContain("noch nicht", await page.Locator("#erasure-services").InnerTextAsync(), StringComparison.Ordinal);
        await ScreenshotAsync(page, "console-customer-erased");
        Assert.Equal(HttpStatusCode.NotFound, (await admin.GetAsync($"/api/profiles/profiles/{erika}")).StatusCode);

        // Read-only: the customer, but neither export nor erasure, and no shop settings.
        var (readOnly, _) = await SignedInAsync(admin, tenant.Id, "read-only");
        await OpenAsync(readOnly, $"customers/{other}");
        await Assertions.Expect(readOnly.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("Max Beispiel");
        Assert.Equal(0, await readOnly.Locator("#export, #erase").CountAsync());
        Assert.Equal(0, await readOnly.GetByRole(AriaRole.Link, new() { Name = "Einstellungen" }).CountAsync());
    }

    [Fact]
    public async Task A_catalog_person_imports_a_CSV_with_error_rows_in_the_console_and_then_changes_a_price()
    {
        var tenant = await Platform.NewTenantAsync();
        using var admin = tenant.Admin();
        using (var category = await admin.PostAsJsonAsync("/api/catalog/categories", new { slug = "garten", name = new { de = "Garten" } }))
        {
            Assert.Equal(HttpStatusCode.Created, category.StatusCode);
        }

        // Line 2 and 3–4: good (one product, then one with two variants); 5: no number; 6: no such category; 7–8: the platform refuses the second variant's stock.
        var csv = """
            sku;name_de;name_en;brand;status;categories;variant_sku;option_size;price_gross;tax_rate;stock
            HOSE-20;Gartenschlauch 20 m;Garden hose 20 m;Gardena;published;garten;HOSE-20;;39,99;19;120
            SHIRT-1;Arbeitshemd;Work shirt;Engelbert;published;;SHIRT-1-M;M;29,90;19;8
            SHIRT-1;Arbeitshemd;Work shirt;Engelbert;published;;SHIRT-1-L;L;29,90;19;5
            SPADE-1;Spaten;Spade;Fiskars;published;garten;SPADE-1;;zwölf;19;3
            CHAIR-1;Gartenstuhl;Garden chair;Kettler;published;moebel;CHAIR-1;;89,00;19;2
            CAN-1;Gießkanne;Watering can;Gardena;published;garten;CAN-1-5;5 l;9,99;19;40
            CAN-1;Gießkanne;Watering can;Gardena;published;garten;CAN-1-10;10 l;14,99;19;-5
            """;

        var (page, _) = await SignedInAsync(admin, tenant.Id, "catalog");
        await page.Locator("[data-interactive=true]").WaitForAsync();
        await page.GetByRole(AriaRole.Link, new() { Name = "Katalog" }).ClickAsync();
        await page.GetByRole(AriaRole.Link, new() { Name = "CSV importieren" }).ClickAsync();
        await page.Locator("[data-interactive=true] #csv-file").WaitForAsync();
        await page.Locator("#csv-file").SetInputFilesAsync(new FilePayload { Name = "produkte.csv", MimeType = "text/csv", Buffer = Encoding.UTF8.GetBytes(csv) });
        await Assertions.Expect(page.Locator("#file-summary")).ToContainTextAsync("7 Zeilen gelesen: 3 Produkte mit 5 Varianten zu importieren, 2 Zeilen mit Fehlern");
        await page.Locator("#import").ClickAsync();
        await Assertions.Expect(page.Locator("#outcome")).ToContainTextAsync("2 neu angelegt, 0 aktualisiert, 1 von der Plattform abgelehnt");
        var errors = await page.Locator("#row-errors tbody tr").AllInnerTextsAsync();
        Assert.Equal(3, errors.Count);
        Assert.StartsWith("5", errors[0], StringComparison.Ordinal);
        Assert.Contains("„zwölf“ ist keine Zahl", errors[0], StringComparison.Ordinal);
        Assert.StartsWith("6", errors[1], StringComparison.Ordinal);
        Assert.Contains("moebel", errors[1], StringComparison.Ordinal);
        Assert.StartsWith("8", errors[2], StringComparison.Ordinal);
        Assert.Contains("variants[1].stockQuantity", errors[2], StringComparison.Ordinal); // the platform's field, on its variant's line
        Assert.Equal(100, double.Parse(await page.Locator("#progress").GetAttributeAsync("aria-valuenow") ?? "0", System.Globalization.CultureInfo.InvariantCulture));
        await ScreenshotAsync(page, "console-catalog-import");
        await AssertAccessibleAsync(page);

        var shirt = await admin.GetFromJsonAsync<JsonElement>("/api/catalog/products/by-sku/SHIRT-1");
        Assert.Equal(2, shirt.GetProperty("variants").GetArrayLength());
        Assert.Equal(HttpStatusCode.NotFound, (await admin.GetAsync("/api/catalog/products/by-sku/SPADE-1")).StatusCode);

        // Found with the brand facet; the price changed on the product's page, against the version read.
        await page.GetByRole(AriaRole.Link, new() { Name = "Katalog", Exact = true }).First.ClickAsync();
        await Assertions.Expect(page.Locator("#products tbody tr")).ToHaveCountAsync(2);
        await page.Locator("[data-interactive=true] #brand-facet").GetByText("Gardena (1)").ClickAsync();
        await Assertions.Expect(page.Locator("#products tbody tr")).ToHaveCountAsync(1);
        await ScreenshotAsync(page, "console-catalog");
        await page.GetByRole(AriaRole.Link, new() { Name = "Gartenschlauch 20 m" }).ClickAsync();
        await page.Locator("[data-interactive=true] #save").WaitForAsync();
        await page.GetByLabel("Preis brutto HOSE-20").FillAsync("34,99");
        await page.Locator("#save").ClickAsync();
        await Assertions.Expect(page.Locator("#saved")).ToContainTextAsync("Fassung 2");
        await ScreenshotAsync(page, "console-product");
        var hose = await admin.GetFromJsonAsync<JsonElement>("/api/catalog/products/by-sku/HOSE-20");
        Assert.Equal(34.99m, hose.GetProperty("variants")[0].GetProperty("price").GetProperty("gross").GetDecimal());
        Assert.Single(hose.GetProperty("categoryIds").EnumerateArray());
    }

    [Fact]
    public async Task An_owner_invites_staff_creates_and_revokes_a_partner_key_and_makes_a_partner_client_in_the_console_and_a_marketing_person_is_offered_no_settings()
    {
        var tenant = await Platform.NewTenantAsync();
        using var admin = tenant.Admin();
        var (page, _) = await SignedInAsync(admin, tenant.Id, "owner");
        await page.Locator("[data-interactive=true]").WaitForAsync();
        await page.GetByRole(AriaRole.Link, new() { Name = "Einstellungen" }).ClickAsync();
        await Assertions.Expect(page.Locator("#staff tbody tr")).ToHaveCountAsync(1);

        // An address that is none: the platform's field error; then a real invitation, whose link is shown (no mail server here).
        await page.GetByLabel("E-Mail-Adresse").FillAsync("lager");
        await page.Locator("#invite").ClickAsync();
        await Assertions.Expect(page.Locator("#staff-problem")).ToContainTextAsync("email");
        await page.GetByLabel("E-Mail-Adresse").FillAsync($"lager-{tenant.Id}@shop.example");
        await page.Locator("#invite").ClickAsync();
        await Assertions.Expect(page.Locator("#invited")).ToContainTextAsync($"lager-{tenant.Id}@shop.example");
        await Assertions.Expect(page.Locator("#staff tbody tr")).ToHaveCountAsync(2);
        await ScreenshotAsync(page, "console-settings-staff");
        await AssertAccessibleAsync(page);

        await page.GetByRole(AriaRole.Tab, new() { Name = "API-Schlüssel" }).ClickAsync();
        await page.GetByLabel("Name (wofür)").FillAsync("Warenwirtschaft");
        await page.Locator("#create-key").ClickAsync();
        await Assertions.Expect(page.Locator("#keys-problem")).ToContainTextAsync("scopes"); // a partner key needs rights
        await page.GetByLabel("Rechte").ClickAsync();
        await page.GetByRole(AriaRole.Option, new() { Name = "catalog:read", Exact = true }).ClickAsync();
        await page.Keyboard.PressAsync("Escape");
        await page.Locator("#create-key").ClickAsync();
        var shown = await page.Locator("#created-key code").InnerTextAsync();
        await ScreenshotAsync(page, "console-settings-keys");

        // The key works at once, with the rights chosen (reading, not writing); revoked in the console, it stops at once.
        using var partner = Platform.Client(shown);
        Assert.Equal(HttpStatusCode.OK, (await partner.GetAsync("/api/catalog/products")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await partner.PostAsJsonAsync("/api/catalog/categories", new { slug = "x", name = new { de = "X" } })).StatusCode);
        await page.GetByRole(AriaRole.Button, new() { Name = "Schlüssel Warenwirtschaft sperren" }).ClickAsync();
        await Assertions.Expect(page.Locator("#keys")).ToContainTextAsync("gesperrt");
        Assert.Equal(HttpStatusCode.Unauthorized, (await partner.GetAsync("/api/catalog/products")).StatusCode);

        // A partner client: its id and secret shown once; with them the partner's system gets tokens with the rights chosen.
        await page.GetByRole(AriaRole.Tab, new() { Name = "Partner-Clients" }).ClickAsync();
        await page.GetByLabel("Name des Partners oder Systems").FillAsync("PIM Nord");
        await page.GetByLabel("Rechte des Clients").ClickAsync();
        await page.GetByRole(AriaRole.Option, new() { Name = "catalog:read", Exact = true }).ClickAsync();
        await page.Keyboard.PressAsync("Escape");
        await page.Locator("#create-client").ClickAsync();
        var clientId = await page.Locator("#client-secret code").First.InnerTextAsync();
        var secret = await page.Locator("#client-secret code").Nth(1).InnerTextAsync();
        await ScreenshotAsync(page, "console-settings-clients");
        using (var pim = Platform.Client(await ClientCredentialsTests.TokenAsync(Platform, clientId, secret)))
        {
            Assert.Equal(HttpStatusCode.OK, (await pim.GetAsync("/api/catalog/products")).StatusCode);
            Assert.Equal(HttpStatusCode.Forbidden, (await pim.GetAsync("/api/profiles/profiles")).StatusCode);
        }

        var (marketing, _) = await SignedInAsync(admin, tenant.Id, "marketing");
        Assert.Equal(0, await marketing.GetByRole(AriaRole.Link, new() { Name = "Einstellungen" }).CountAsync());
        await OpenAsync(marketing, "settings");
        Assert.Contains("Das darf Ihre Rolle nicht", await marketing.Locator("#problem").InnerTextAsync(), StringComparison.Ordinal);
        Assert.Equal(0, await marketing.Locator("#invite, #create-key, #subscribe").CountAsync());
    }

    private static async Task<Guid> CustomerAsync(HttpClient admin, string firstName, string lastName, string email)
    {
        using var created = await admin.PostAsJsonAsync("/api/profiles/profiles", new { kind = "person", firstName, lastName, email });
        var body = await created.Content.ReadFromJsonAsync<JsonElement>();
        Assert.True(created.StatusCode == HttpStatusCode.Created, body.ToString());
        return body.GetProperty("id").GetGuid();
    }

    private static async Task ConsentAsync(HttpClient admin, Guid profile, string purpose, bool granted)
    {
        using var answered = await admin.PutAsJsonAsync($"/api/profiles/profiles/{profile}/consents/{purpose}", new { granted, source = "storefront", policyVersion = "2026-11" });
        Assert.True(answered.IsSuccessStatusCode, await answered.Content.ReadAsStringAsync());
    }
}
