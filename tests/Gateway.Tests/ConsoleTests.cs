using System.Net;
using System.Text.Json;
using MachCommerce.Testing;
using Microsoft.Playwright;

namespace MachCommerce.Gateway.Tests;

/// <summary>
/// The merchant console as a shop's marketing person uses it, in Debian's chromium against the real platform: signed
/// in at the identity service (authorization code + PKCE), the console reads through the gateway with their token.
/// Screenshots of each page go to the test output folder.
/// </summary>
[Collection(WholePlatform.Name)]
public sealed class ConsoleTests(PlatformFixture platform) : BrowserTest
{
    private const string Password = "Gießkanne aus Zink 10 l";

    [Fact]
    public async Task A_marketing_person_signs_in_to_the_console_and_reads_an_experiments_verdict_and_its_chart()
    {
        var tenant = await platform.NewTenantAsync();
        using var admin = tenant.Admin();
        var experiment = await TwoWeekExperimentAsync(admin, tenant.Id);
        var email = $"marketing-{tenant.Id}@shop.example";
        using var invitation = await admin.PostAsJsonAsync("/api/identity/staff", new { email, role = "marketing" });
        Assert.Equal(HttpStatusCode.Created, invitation.StatusCode);
        var page = await NewPageAsync();
        await AcceptInvitationAsync(page, platform, await invitation.Content.ReadFromJsonAsync<JsonElement>(), Password);

        // The console sends the browser to the platform's sign-in and receives it back signed in.
        await page.GotoAsync(platform.MerchantConsole.Address.ToString());
        await page.GetByLabel("E-Mail-Adresse").FillAsync(email);
        await page.GetByLabel("Passwort").FillAsync(Password);
        await page.GetByRole(AriaRole.Button, new() { Name = "Anmelden" }).ClickAsync();
        await page.GetByRole(AriaRole.Heading, new() { Name = "Übersicht" }).WaitForAsync();
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

    /// <summary>A started experiment (broadcast against personalized) with two weeks of a clear uplift behind it.</summary>
    private async Task<Guid> TwoWeekExperimentAsync(HttpClient admin, string tenantId)
    {
        using var created = await admin.PostAsJsonAsync("/api/personalization/experiments", new
        {
            name = "Startseite Herbst",
            placement = "home-hero",
            variants = new object[] { new { key = "broadcast", strategy = "broadcast", weight = 50 }, new { key = "personalized", strategy = "personalized", weight = 50 } },
            controlVariant = "broadcast",
            primaryMetric = "revenuePerSubject",
        });
        var body = await created.Content.ReadFromJsonAsync<JsonElement>();
        Assert.True(created.StatusCode == HttpStatusCode.Created, body.ToString());
        var id = body.GetProperty("id").GetGuid();
        Assert.Equal(HttpStatusCode.OK, (await admin.PostAsync($"/api/personalization/experiments/{id}/start", null)).StatusCode);
        await ExperimentHistory.BackdateAsync(platform.PersonalizationDatabase, id, daysAgo: 14);
        await ExperimentHistory.SimulateAsync(platform.PersonalizationDatabase, tenantId, id, days: 14, perArmPerDay: 300, controlRate: 0.04, treatmentRate: 0.06, seed: 1);
        return id;
    }
}
