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

    /// <summary>Sends a sign-in form with these credentials and returns its error message (the page must answer with one).</summary>
    protected static async Task<string> FailedSignInTextAsync(IPage page, string email, string password)
    {
        await page.GetByLabel("E-Mail-Adresse").FillAsync(email);
        await page.GetByLabel("Passwort").FillAsync(password);
        await page.GetByRole(AriaRole.Button, new() { Name = "Anmelden" }).ClickAsync();
        return await page.GetByRole(AriaRole.Alert).InnerTextAsync();
    }
}
