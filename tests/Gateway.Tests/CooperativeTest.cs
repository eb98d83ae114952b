using Microsoft.Playwright;
using System.Net;

namespace MachCommerce.Gateway.Tests;

/// <summary>A test of a cooperative: a new one with two member shops, its staff invited and signed in through the browser (or the console).</summary>
public abstract class CooperativeTest(PlatformFixture platform) : ConsoleTest(platform)
{
    protected const string Password = "Verbundtreffen in Freising";

    protected OAuthFlow Flow { get; } = new(platform, PlatformFixture.ConsoleClient);


    /// <summary>A new cooperative with two new member shops.</summary>
    protected async Task<(string Id, TestTenant A, TestTenant B)> CooperativeAsync()
    {
        var id = "verbund-" + Guid.NewGuid().ToString("N")[..8];
        var (a, b) = (await Platform.NewTenantAsync(), await Platform.NewTenantAsync());
        using var operatorClient = Platform.Client(PlatformFixture.PlatformKey);
        (await operatorClient.PostAsJsonAsync("/api/admin/cooperatives", new { id, name = "Testverbund eG" })).EnsureSuccessStatusCode();
        foreach (var member in new[] { a, b })
        {
            (await operatorClient.PutAsync($"/api/admin/cooperatives/{id}/members/{member.Id}", null)).EnsureSuccessStatusCode();
        }

        return (id, a, b);
    }

    protected static async Task<JsonElement> InviteAsync(HttpClient operatorClient, string cooperative, string email, string role)
    {
        using var response = await operatorClient.PostAsJsonAsync($"/api/admin/cooperatives/{cooperative}/staff", new { email, role });
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.True(response.StatusCode == HttpStatusCode.Created, body.ToString());
        return body;
    }

    /// <summary>Invites a person into the cooperative's staff in a role, sets their password and signs them in: their access token.</summary>
    protected async Task<string> StaffTokenAsync(string cooperative, string role)
    {
        var (page, email) = await NewStaffAsync(cooperative, role);
        return (await SignInAsync(page, email)).GetProperty("access_token").GetString()!;
    }

    /// <summary>A new person of the cooperative's staff in <paramref name="role"/>, signed in to the merchant console (their start page open).</summary>
    protected async Task<IPage> ConsoleAsCooperativeStaffAsync(string cooperative, string role)
    {
        var (page, email) = await NewStaffAsync(cooperative, role);
        await page.GotoAsync(Platform.MerchantConsole.Address.ToString());
        await page.GetByLabel("E-Mail-Adresse").FillAsync(email);
        await page.GetByLabel("Passwort").FillAsync(Password);
        await page.GetByRole(AriaRole.Button, new() { Name = "Anmelden" }).ClickAsync();
        await page.GetByRole(AriaRole.Heading, new() { Name = "Testverbund eG" }).WaitForAsync();
        return page;
    }

    /// <summary>Invites a person into the cooperative's staff and accepts the invitation in a browser page (their password set).</summary>
    private async Task<(IPage Page, string Email)> NewStaffAsync(string cooperative, string role)
    {
        var email = $"{role}-{Guid.NewGuid():N}@verbund.example";
        using var operatorClient = Platform.Client(PlatformFixture.PlatformKey);
        var invited = await InviteAsync(operatorClient, cooperative, email, role);
        var page = await NewPageAsync();
        await AcceptInvitationAsync(page, Platform, invited, Password);
        return (page, email);
    }

    protected async Task<JsonElement> SignInAsync(IPage page, string email)
    {
        var pkce = Pkce.New();
        var (url, state) = Flow.AuthorizeUrl(pkce);
        await page.GotoAsync(url);
        await page.GetByLabel("E-Mail-Adresse").FillAsync(email);
        await page.GetByLabel("Passwort").FillAsync(Password);
        await page.GetByRole(AriaRole.Button, new() { Name = "Anmelden" }).ClickAsync();
        var callback = await Platform.Console.CallbackAsync(state);
        return await Flow.RedeemAsync(callback["code"].ToString(), pkce.Verifier);
    }

    /// <summary>A request of a cooperative's staff member in a member shop (X-Tenant), or in the central level without one.</summary>
    protected static async Task<(HttpStatusCode Status, JsonElement Body)> SendAsync(HttpClient staff, string? tenant, HttpMethod method, string path, object? body = null)
    {
        using var request = new HttpRequestMessage(method, path) { Content = body is null ? null : JsonContent.Create(body) };
        if (tenant is not null)
        {
            request.Headers.Add("X-Tenant", tenant);
        }

        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        using var response = await staff.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        return (response.StatusCode, text.Length > 0 ? JsonDocument.Parse(text).RootElement.Clone() : default);
    }

    /// <summary>The refusal's problem, after checking its status and that it names no .NET type.</summary>
    protected static async Task<JsonElement> RefusedAsync(HttpResponseMessage response, HttpStatusCode status)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == status, $"{(int)response.StatusCode}: {text}");
        Assert.DoesNotContain("Exception", text, StringComparison.Ordinal);
        return text.Length > 0 ? JsonDocument.Parse(text).RootElement.Clone() : default;
    }

    protected static Task<(HttpStatusCode Status, JsonElement Body)> GetAsync(HttpClient staff, string tenant, string path) => SendAsync(staff, tenant, HttpMethod.Get, path);
}
