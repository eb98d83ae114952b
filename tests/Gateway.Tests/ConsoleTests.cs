using Microsoft.Playwright;
using System.Net;

namespace MachCommerce.Gateway.Tests;

/// <summary>
/// The merchant console as a shop's marketing person uses it, in Debian's chromium against the real platform: signed
/// in at the identity service (authorization code + PKCE), the console reads through the gateway with their token.
/// Screenshots of each page go to the test output folder.
/// </summary>
[Collection(WholePlatform.Name)]
public sealed partial class ConsoleTests(PlatformFixture fixture) : ConsoleTest(fixture)
{
    [Fact]
    public async Task A_marketing_person_signs_in_to_the_console_and_reads_an_experiments_verdict_and_its_chart()
    {
        var tenant = await Platform.NewTenantAsync();
        using var admin = tenant.Admin();
        var experiment = await TwoWeekExperimentAsync(admin, tenant.Id);
        var (page, email) = await SignedInAsync(admin, tenant.Id, "marketing");
        Assert.Contains($"{email} · {tenant.Id} · marketing", await page.Locator("#signed-in-as").InnerTextAsync(), StringComparison.Ordinal);
        await page.Locator("#extra-revenue").WaitForAsync();
        await page.ScreenshotAsync(new() { Path = Path.Combine(AppContext.BaseDirectory, "console-overview.png"), FullPage = true });
        await AssertAccessibleAsync(page);

        await page.GetByRole(AriaRole.Link, new() { Name = "Experimente" }).ClickAsync();
        await page.GetByRole(AriaRole.Link, new() { Name = "Startseite Herbst" }).ClickAsync();
        var verdict = await page.Locator("#verdict").InnerTextAsync();
        Assert.Matches(@"Persönliche Angebote bringen [\d,]+ % mehr Umsatz pro Besucher", verdict);
        Assert.Contains("belastbar", verdict, StringComparison.Ordinal);
        Assert.Equal(1, await page.Locator("#uplift-chart svg").CountAsync());
        Assert.Equal(0, await page.Locator("#srm-warning").CountAsync());
        await page.Locator("#cuped-note").WaitForAsync();
        await page.ScreenshotAsync(new() { Path = Path.Combine(AppContext.BaseDirectory, "console-experiment.png"), FullPage = true });
        await AssertAccessibleAsync(page);
        Assert.EndsWith($"/experiments/{experiment}", page.Url, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_marketing_person_plans_and_starts_a_draft_experiment_in_the_console_and_a_read_only_person_is_offered_neither()
    {
        var tenant = await Platform.NewTenantAsync();
        using var admin = tenant.Admin();
        var experiment = await DraftExperimentAsync(admin, "Startseite Winter");

        var (page, _) = await SignedInAsync(admin, tenant.Id, "marketing");
        await page.GotoAsync(new Uri(Platform.MerchantConsole.Address, $"experiments/{experiment}").ToString());
        await page.Locator("[data-interactive=true] #planner").WaitForAsync();
        await page.GetByLabel("Kleinster Unterschied, der erkannt werden soll (in %)").FillAsync("20");
        // A new shop has no traffic on the placement yet: the planner says which figures it needs, in its field's words.
        await page.Locator("#plan-button").ClickAsync();
        Assert.Contains("baselineRevenuePerSubject", await page.Locator("#action-problem").InnerTextAsync(), StringComparison.Ordinal);
        await page.GetByLabel("Besucher pro Tag").FillAsync("800");
        await page.GetByLabel("Umsatz je Besucher (EUR)").FillAsync("2.5");
        await page.GetByLabel("Standardabweichung des Umsatzes (EUR)").FillAsync("15");
        await page.Locator("#plan-button").ClickAsync();
        // The first attempt's message stays until this attempt answers: waiting for "plan or message" could end on the stale one.
        await page.Locator("#plan").Or(page.Locator("#action-problem:not(:has-text('baselineRevenuePerSubject'))")).First.WaitForAsync();
        Assert.True(await page.Locator("#action-problem").CountAsync() == 0, await page.Locator("#action-problem").AllInnerTextsAsync() is var shown ? string.Join(" ", shown) : "");
        Assert.Contains("Tage", await page.Locator("#plan").InnerTextAsync(), StringComparison.Ordinal);
        await AssertAccessibleAsync(page);
        await page.ScreenshotAsync(new() { Path = Path.Combine(AppContext.BaseDirectory, "console-experiment-planner.png"), FullPage = true });
        await page.Locator("#start").ClickAsync();
        await page.Locator("#stop").WaitForAsync();
        var started = await admin.GetFromJsonAsync<JsonElement>($"/api/personalization/experiments/{experiment}");
        Assert.Equal("running", started.GetProperty("status").GetString());

        // Read-only (catalog and customers only today): the page says the role may not read experiments, and offers nothing to plan, start or stop.
        var (readOnly, _) = await SignedInAsync(admin, tenant.Id, "read-only");
        await readOnly.GotoAsync(new Uri(Platform.MerchantConsole.Address, $"experiments/{experiment}").ToString());
        await readOnly.Locator("[data-interactive=true]").WaitForAsync();
        await readOnly.ScreenshotAsync(new() { Path = Path.Combine(AppContext.BaseDirectory, "console-experiment-read-only.png"), FullPage = true });
        Assert.Contains("Das darf Ihre Rolle nicht", await readOnly.Locator("#problem").InnerTextAsync(), StringComparison.Ordinal);
        Assert.Equal(0, await readOnly.Locator("#stop, #start, #planner").CountAsync());
    }

    [Fact]
    public async Task A_marketing_person_builds_a_segment_in_the_console_with_a_live_count_and_sees_its_members()
    {
        var tenant = await Platform.NewTenantAsync();
        using var admin = tenant.Admin();
        var shop = await ShopData.CreateForPersonalizationAsync(admin);
        // Six consenting visitors: three bought twice, three once.
        var events = Enumerable.Range(0, 6).SelectMany(v => Enumerable.Range(0, v < 3 ? 2 : 1).Select(n => new
        {
            id = Guid.NewGuid(), type = "purchased", visitorId = $"v-segment-{v}", productId = shop["Gartenschlauch Classic 20 m"], quantity = 1, price = 39m,
            orderId = $"O-{v}-{n}", occurredAt = DateTimeOffset.UtcNow.AddDays(-n - 1), consent = true,
        })).ToList();
        using (var sent = await admin.PostAsJsonAsync("/api/personalization/events", new { events }))
        {
            Assert.True(sent.IsSuccessStatusCode, await sent.Content.ReadAsStringAsync());
        }

        var (page, _) = await SignedInAsync(admin, tenant.Id, "marketing");
        await page.Locator("[data-interactive=true]").WaitForAsync(); // a click before the page is live can be lost
        await page.GetByRole(AriaRole.Link, new() { Name = "Segmente" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("Segmente");
        await page.ScreenshotAsync(new() { Path = Path.Combine(AppContext.BaseDirectory, "console-segments.png"), FullPage = true });
        await page.GetByRole(AriaRole.Link, new() { Name = "Neues Segment" }).ClickAsync();
        await page.Locator("[data-interactive=true] #live-count #matching").WaitForAsync();
        await page.GetByLabel("Name").FillAsync("Stammkunden");

        // The default rule (at least three purchases) matches nobody here; two purchases match three visitors, counted live.
        Assert.Equal("0", await page.Locator("#matching").InnerTextAsync());
        await page.GetByLabel("Bedingung 1: Wert").FillAsync("2");
        await Assertions.Expect(page.Locator("#matching")).ToHaveTextAsync("3");
        await page.ScreenshotAsync(new() { Path = Path.Combine(AppContext.BaseDirectory, "console-segment-builder.png"), FullPage = true });
        await AssertAccessibleAsync(page);

        // A value that is no number: the platform's field error, in its words, where the count was.
        await page.GetByLabel("Bedingung 1: Wert").FillAsync("viele");
        await Assertions.Expect(page.Locator("#live-count")).ToContainTextAsync("conditions");
        await page.GetByLabel("Bedingung 1: Wert").FillAsync("2");
        await Assertions.Expect(page.Locator("#matching")).ToHaveTextAsync("3");

        await page.GetByRole(AriaRole.Button, new() { Name = "Speichern" }).ClickAsync();
        await page.WaitForURLAsync(new System.Text.RegularExpressions.Regex("/segments/[0-9a-f-]{36}$"));
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("Stammkunden");
        await Assertions.Expect(page.Locator("#members tbody tr")).ToHaveCountAsync(3);
        await page.ScreenshotAsync(new() { Path = Path.Combine(AppContext.BaseDirectory, "console-segment.png"), FullPage = true });

        var saved = (await admin.GetFromJsonAsync<JsonElement>("/api/personalization/segments")).GetProperty("items")[0];
        Assert.Equal("Stammkunden", saved.GetProperty("name").GetString());
        var rule = saved.GetProperty("conditions");
        Assert.Equal(("rfm.frequency", "gte", 2), (rule.GetProperty("field").GetString(), rule.GetProperty("op").GetString(), rule.GetProperty("value").GetInt32()));

        // The list says it in words; a read-only person (no personalization rights today) is offered no new segment.
        await page.GetByRole(AriaRole.Link, new() { Name = "Segmente" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Cell, new() { Name = "Anzahl Käufe mindestens 2" })).ToBeVisibleAsync();
        var (readOnly, _) = await SignedInAsync(admin, tenant.Id, "read-only");
        await readOnly.GotoAsync(new Uri(Platform.MerchantConsole.Address, "segments").ToString());
        await readOnly.Locator("[data-interactive=true] #problem").WaitForAsync();
        Assert.Equal(0, await readOnly.GetByRole(AriaRole.Link, new() { Name = "Neues Segment" }).CountAsync());
    }

    [Fact]
    public async Task A_marketing_person_creates_an_offer_in_the_console_previews_it_and_sees_what_a_visitor_would_get_without_counting_it()
    {
        var tenant = await Platform.NewTenantAsync();
        using var admin = tenant.Admin();
        await ShopData.CreateForPersonalizationAsync(admin);

        var (page, _) = await SignedInAsync(admin, tenant.Id, "marketing");
        await page.Locator("[data-interactive=true]").WaitForAsync(); // a click before the page is live can be lost
        await page.GetByRole(AriaRole.Link, new() { Name = "Angebote" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("Angebote");
        await page.GetByRole(AriaRole.Link, new() { Name = "Neues Angebot" }).ClickAsync();
        await page.Locator("[data-interactive=true] #preview-de").WaitForAsync();

        // Saved without a name: the platform's field error, by its field.
        await page.GetByRole(AriaRole.Button, new() { Name = "Speichern" }).ClickAsync();
        await Assertions.Expect(page.Locator("#problem")).ToContainTextAsync("name");

        await page.GetByLabel("Name", new() { Exact = true }).FillAsync("Gartenwochen");
        await page.GetByLabel("Überschrift (de)").FillAsync("Gartenwochen: 10 % auf Schläuche");
        await page.GetByLabel("Text (de)").FillAsync("Nur diese Woche");
        await page.GetByLabel("Schaltfläche (de)").FillAsync("Jetzt ansehen");
        await Assertions.Expect(page.Locator("#preview-de")).ToContainTextAsync("Gartenwochen: 10 % auf Schläuche");
        await Assertions.Expect(page.Locator("#preview-de")).ToContainTextAsync("Jetzt ansehen");
        await page.GetByLabel("Status").ClickAsync();
        await page.GetByRole(AriaRole.Option, new() { Name = "aktiv" }).ClickAsync();
        await page.ScreenshotAsync(new() { Path = Path.Combine(AppContext.BaseDirectory, "console-offer-editor.png"), FullPage = true });
        await page.GetByRole(AriaRole.Button, new() { Name = "Speichern" }).ClickAsync();
        await page.WaitForURLAsync(new System.Text.RegularExpressions.Regex("/offers/[0-9a-f-]{36}$"));
        var offerId = Guid.Parse(page.Url[^36..]);
        var saved = await admin.GetFromJsonAsync<JsonElement>($"/api/personalization/offers/{offerId}");
        Assert.Equal(("active", "Gartenwochen: 10 % auf Schläuche"), (saved.GetProperty("status").GetString(), saved.GetProperty("content").GetProperty("de").GetProperty("headline").GetString()));

        // What a visitor would see on the home page now, with the reason; a preview counts no impression.
        await page.Locator("[data-interactive=true] #decide").WaitForAsync();
        await page.GetByLabel("Besucherkennung").FillAsync("v-console-preview");
        await page.Locator("#decide").ClickAsync();
        await Assertions.Expect(page.Locator("#decision")).ToContainTextAsync("Gartenwochen");
        await Assertions.Expect(page.Locator("#decision")).ToContainTextAsync("Warum:");
        await page.ScreenshotAsync(new() { Path = Path.Combine(AppContext.BaseDirectory, "console-offer.png"), FullPage = true });
        await AssertAccessibleAsync(page);
        var stats = await admin.GetFromJsonAsync<JsonElement>($"/api/personalization/offers/{offerId}/stats?days=30");
        Assert.Equal(0, stats.GetProperty("days").EnumerateArray().Sum(d => d.GetProperty("impressions").GetInt64()));
        await Assertions.Expect(page.GetByRole(AriaRole.Link, new() { Name = "Angebote" })).ToBeVisibleAsync();
    }

    /// <summary>A started experiment (broadcast against personalized) with two weeks of a clear uplift behind it.</summary>
    [Fact]
    public async Task The_console_speaks_english_to_an_english_browser_on_every_page_and_german_once_chosen()
    {
        var tenant = await Platform.NewTenantAsync();
        using var admin = tenant.Admin();
        var experiment = await TwoWeekExperimentAsync(admin, tenant.Id);
        var (german, _) = await SignedInAsync(admin, tenant.Id, "owner");
        Assert.Equal("de", await german.Locator("html").GetAttributeAsync("lang"));

        // The same person in a browser that asks for English (the sign-in page is the identity service's, in its own languages).
        var page = await SameSessionAsync(german, "en-US");
        await OpenAsync(page, "/");
        Assert.Equal("en", await page.Locator("html").GetAttributeAsync("lang"));

        string[][] pages =
        [
            ["/", "Overview", "overview"], ["/segments", "Segments", "segments"], ["/segments/new", "New segment", "segment-builder"],
            ["/offers", "Offers", "offers"], ["/offers/new", "New offer", "offer-editor"], ["/experiments", "Experiments", "experiments"],
            [$"/experiments/{experiment}", "Startseite Herbst", "experiment"], ["/catalog", "Catalog", "catalog"], ["/catalog/categories", "Categories and price lists", "categories"],
            ["/catalog/import", "Import products from a CSV file", "catalog-import"], ["/customers", "Customers", "customers"], ["/settings", "Shop settings", "settings"],
            ["/cooperative/campaigns", "Cooperative campaigns", "campaigns"],
        ];
        foreach (var (path, heading, name) in pages.Select(p => (p[0], p[1], p[2])))
        {
            await OpenAsync(page, path);
            await page.GetByRole(AriaRole.Heading, new() { Name = heading, Level = 1 }).WaitForAsync();
            await page.Locator(".mud-progress-linear-indeterminate").WaitForAsync(new() { State = WaitForSelectorState.Detached });
            var text = await page.Locator("body").InnerTextAsync();
            Assert.True(!GermanWords().IsMatch(text), $"{path} still speaks German: \"{GermanWords().Match(text).Value}\" in {text}");
            await ScreenshotAsync(page, $"console-en-{name}");
        }

        // The experiment's own words come from the platform, in English; numbers with English separators.
        await OpenAsync(page, $"/experiments/{experiment}");
        Assert.Matches(@"Personal offers bring [\d.]+ % more revenue per visitor", await page.Locator("#verdict").InnerTextAsync());
        Assert.Matches(@"\d,\d{3}", await page.Locator("[aria-label='Variants and their figures']").InnerTextAsync());
        await AssertAccessibleAsync(page);

        // Chosen German stays German, even for an English browser, page after page.
        await page.Locator("#languages").GetByRole(AriaRole.Link, new() { Name = "Deutsch" }).ClickAsync();
        await page.Locator("#verdict").GetByText("Das Ergebnis ist belastbar").WaitForAsync();
        Assert.Equal("de", await page.Locator("html").GetAttributeAsync("lang"));
        Assert.EndsWith($"/experiments/{experiment}", page.Url, StringComparison.Ordinal);
        await OpenAsync(page, "/settings");
        await page.GetByRole(AriaRole.Heading, new() { Name = "Einstellungen des Shops" }).WaitForAsync();
        Assert.Equal("true", await page.Locator("#languages").GetByRole(AriaRole.Link, new() { Name = "Deutsch" }).GetAttributeAsync("aria-current"));

        // The language link goes back only to a page of the console.
        using var console = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = Platform.MerchantConsole.Address };
        using var elsewhere = await console.GetAsync("/language/en?returnUrl=//evil.example/");
        Assert.Equal("/", elsewhere.Headers.Location?.OriginalString);
        using var unknown = await console.GetAsync("/language/fr");
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
    }

    /// <summary>Words of the console's German that no English page should show (the test shop's own data has none of them).</summary>
    [System.Text.RegularExpressions.GeneratedRegex(@"\b(Übersicht|Einstellungen|Speichern|Kunden|Segmente|Angebote?|Experimente|Abmelden|geladen|Noch keine|Bedingung|Zustellungen|Mitarbeiter|Besucher|Varianten|Bestand|Ergebnis|Platzierung|Rechte|Zeile|Verbund\w*|Vorlage|Einwilligung|Schlüssel|Suche|Marke|seit|oder|nicht|für)\b")]
    private static partial System.Text.RegularExpressions.Regex GermanWords();

    private async Task<Guid> TwoWeekExperimentAsync(HttpClient admin, string tenantId)
    {
        var id = await DraftExperimentAsync(admin, "Startseite Herbst");
        Assert.Equal(HttpStatusCode.OK, (await admin.PostAsync($"/api/personalization/experiments/{id}/start", null)).StatusCode);
        await ExperimentHistory.BackdateAsync(Platform.PersonalizationDatabase, id, daysAgo: 14);
        await ExperimentHistory.SimulateAsync(Platform.PersonalizationDatabase, tenantId, id, days: 14, perArmPerDay: 300, controlRate: 0.04, treatmentRate: 0.06, seed: 1);
        return id;
    }

    private static async Task<Guid> DraftExperimentAsync(HttpClient admin, string name)
    {
        using var created = await admin.PostAsJsonAsync("/api/personalization/experiments", new
        {
            name,
            placement = "home-hero",
            variants = new object[] { new { key = "broadcast", strategy = "broadcast", weight = 50 }, new { key = "personalized", strategy = "personalized", weight = 50 } },
            controlVariant = "broadcast",
            primaryMetric = "revenuePerSubject",
        });
        var body = await created.Content.ReadFromJsonAsync<JsonElement>();
        Assert.True(created.StatusCode == HttpStatusCode.Created, body.ToString());
        return body.GetProperty("id").GetGuid();
    }
}
