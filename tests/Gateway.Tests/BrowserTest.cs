using Microsoft.Playwright;

namespace MachCommerce.Gateway.Tests;

/// <summary>
/// A test class that drives Debian's chromium through Playwright, headless: one browser for the class, a fresh
/// context (cookies and all) per page, in German as the demo shops' visitors are.
/// </summary>
public abstract class BrowserTest : IAsyncLifetime
{
    private IPlaywright _playwright = null!;
    private IBrowser _browser = null!;

    public async Task InitializeAsync()
    {
        _playwright = await Playwright.CreateAsync();
        _browser = await _playwright.Chromium.LaunchAsync(new() { ExecutablePath = "/usr/bin/chromium", Headless = true, Args = ["--no-sandbox"] });
    }

    public async Task DisposeAsync()
    {
        await _browser.DisposeAsync();
        _playwright.Dispose();
    }

    protected async Task<IPage> NewPageAsync()
    {
        var context = await _browser.NewContextAsync(new() { Locale = "de-DE", ExtraHTTPHeaders = new Dictionary<string, string> { ["Accept-Language"] = "de-DE" } });
        return await context.NewPageAsync();
    }

    /// <summary>A browser in another language (sent as Accept-Language) that carries the cookies of <paramref name="signedIn"/>: the same person, signed in.</summary>
    protected async Task<IPage> SameSessionAsync(IPage signedIn, string locale)
    {
        var context = await _browser.NewContextAsync(new() { Locale = locale, ExtraHTTPHeaders = new Dictionary<string, string> { ["Accept-Language"] = locale } });
        await context.AddCookiesAsync((await signedIn.Context.CookiesAsync()).Select(c => new Cookie
        {
            Name = c.Name, Value = c.Value, Domain = c.Domain, Path = c.Path, Expires = c.Expires, HttpOnly = c.HttpOnly, Secure = c.Secure, SameSite = c.SameSite,
        }));
        return await context.NewPageAsync();
    }

    /// <summary>Opens an invitation's link and sets the password.</summary>
    protected static async Task AcceptInvitationAsync(IPage page, PlatformFixture platform, System.Text.Json.JsonElement invited, string password)
    {
        await page.GotoAsync(platform.InvitationUrl(invited));
        await page.GetByLabel("Neues Passwort").FillAsync(password);
        await page.GetByLabel("Passwort wiederholen").FillAsync(password);
        await page.GetByRole(AriaRole.Button, new() { Name = "Passwort festlegen" }).ClickAsync();
        await page.GetByText("Ihr Passwort ist gesetzt").WaitForAsync();
    }

    /// <summary>axe-core's check of the page as it is now: no serious or critical violation of WCAG 2.1 A/AA (each one named if there is).</summary>
    protected static async Task AssertAccessibleAsync(IPage page)
    {
        var result = await Deque.AxeCore.Playwright.PageExtensions.RunAxe(page, new Deque.AxeCore.Commons.AxeRunOptions
        {
            RunOnly = new Deque.AxeCore.Commons.RunOnlyOptions { Type = "tag", Values = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"] },
        });
        var serious = result.Violations.Where(v => v.Impact is "serious" or "critical").ToList();
        Assert.True(serious.Count == 0, $"{page.Url}: " + string.Join("; ", serious.Select(v => $"{v.Id} ({v.Impact}): {v.Help} at {string.Join(", ", v.Nodes.Select(n => n.Target?.ToString()))}")));
    }

    /// <summary>Sends a sign-in form with these credentials and returns its error message (the page must answer with one).</summary>
    protected static async Task<string> FailedSignInTextAsync(IPage page, string email, string password)
    {
        await page.GetByLabel("E-Mail-Adresse").FillAsync(email);
        await page.GetByLabel("Passwort").FillAsync(password);
        await page.GetByRole(AriaRole.Button, new() { Name = "Anmelden" }).ClickAsync();
        return await page.GetByRole(AriaRole.Alert).InnerTextAsync();
    }
}
