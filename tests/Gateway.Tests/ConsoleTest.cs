using Microsoft.Playwright;
using System.Net;

namespace MachCommerce.Gateway.Tests;

/// <summary>A browser test of the merchant console: people of a shop's staff signed in through the platform's sign-in page.</summary>
public abstract class ConsoleTest(PlatformFixture platform) : BrowserTest
{
    private const string Password = "Gießkanne aus Zink 10 l";

    protected PlatformFixture Platform => platform;

    /// <summary>A person of the shop's staff in <paramref name="role"/>, signed in to the console (through the platform's sign-in page), on its overview.</summary>
    protected async Task<(IPage Page, string Email)> SignedInAsync(HttpClient admin, string tenantId, string role)
    {
        var email = $"{role}-{tenantId}@shop.example";
        using var invitation = await admin.PostAsJsonAsync("/api/identity/staff", new { email, role });
        Assert.Equal(HttpStatusCode.Created, invitation.StatusCode);
        var page = await NewPageAsync();
        await AcceptInvitationAsync(page, platform, await invitation.Content.ReadFromJsonAsync<JsonElement>(), Password);
        await page.GotoAsync(platform.MerchantConsole.Address.ToString());
        await page.GetByLabel("E-Mail-Adresse").FillAsync(email);
        await page.GetByLabel("Passwort").FillAsync(Password);
        await page.GetByRole(AriaRole.Button, new() { Name = "Anmelden" }).ClickAsync();
        await page.GetByRole(AriaRole.Heading, new() { Name = "Übersicht" }).WaitForAsync();
        return (page, email);
    }

    /// <summary>Opens a console page and waits until it answers clicks (the first view is rendered before its live connection is up).</summary>
    protected async Task OpenAsync(IPage page, string path)
    {
        await page.GotoAsync(new Uri(platform.MerchantConsole.Address, path).ToString());
        await page.Locator("[data-interactive=true]").WaitForAsync();
    }

    protected static Task ScreenshotAsync(IPage page, string name) =>
        page.ScreenshotAsync(new() { Path = Path.Combine(AppContext.BaseDirectory, $"{name}.png"), FullPage = true });
}
