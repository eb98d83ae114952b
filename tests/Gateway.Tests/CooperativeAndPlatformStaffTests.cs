using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.Playwright;

namespace MachCommerce.Gateway.Tests;

/// <summary>
/// People above a single shop. A cooperative's staff: the platform operator invites a person into the cooperative,
/// they sign in with authorization code + PKCE (Debian's chromium), and their one token works in each member shop
/// named in X-Tenant, with their role's rights, in no other shop, and no longer in a shop once it leaves the
/// cooperative. The platform's operators: people who do what the platform key does, and nothing inside a shop.
/// </summary>
[Collection(WholePlatform.Name)]
public sealed class CooperativeAndPlatformStaffTests(PlatformFixture platform) : BrowserTest
{
    private const string Password = "Verbundtreffen in Freising";

    private readonly OAuthFlow _flow = new(platform, PlatformFixture.ConsoleClient);

    [Fact]
    public async Task A_cooperatives_marketing_person_works_in_each_member_shop_in_no_other_and_not_in_one_that_left()
    {
        var (cooperative, memberA, memberB) = await CooperativeAsync();
        var outsider = await platform.NewTenantAsync();
        using var adminA = memberA.Admin();
        await ShopData.CreateAsync(adminA);
        var email = $"zentrale-{cooperative}@verbund.example";
        using var operatorClient = platform.Client(PlatformFixture.PlatformKey);
        var invited = await InviteAsync(operatorClient, cooperative, email, "marketing");

        var page = await NewPageAsync();
        await AcceptInvitationAsync(page, platform, invited, Password);
        var tokens = await SignInAsync(page, email);
        var access = new JsonWebToken(tokens.GetProperty("access_token").GetString());
        Assert.Equal(cooperative, access.GetPayloadValue<string>("coop"));
        Assert.False(access.TryGetPayloadValue<string>("ten", out _));
        Assert.Equal("marketing", access.GetPayloadValue<string>("role"));

        using var staff = platform.Client(access.EncodedToken);
        var own = await staff.GetFromJsonAsync<JsonElement>("/api/cooperative");
        Assert.Equal(new[] { memberA.Id, memberB.Id }.Order(), own.GetProperty("members").EnumerateArray().Select(m => m.GetProperty("tenantId").GetString()).Order());

        // No shop named: in none, and told how to name one.
        using (var unnamed = await staff.GetAsync("/api/catalog/products"))
        {
            Assert.Equal(HttpStatusCode.BadRequest, unnamed.StatusCode);
            Assert.Contains("X-Tenant", await unnamed.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }

        // Each member shop's own data, with the role's rights and no more.
        var inA = await GetAsync(staff, memberA.Id, "/api/catalog/products?limit=100");
        Assert.Equal(HttpStatusCode.OK, inA.Status);
        Assert.Equal(ShopData.Items.Length, inA.Body.GetProperty("items").GetArrayLength());
        var inB = await GetAsync(staff, memberB.Id, "/api/catalog/products?limit=100");
        Assert.Equal(HttpStatusCode.OK, inB.Status);
        Assert.Equal(0, inB.Body.GetProperty("items").GetArrayLength());
        Assert.Equal(HttpStatusCode.OK, (await GetAsync(staff, memberB.Id, "/api/personalization/offers")).Status);
        using (var write = new HttpRequestMessage(HttpMethod.Post, "/api/catalog/products") { Content = JsonContent.Create(new { sku = "X-1", name = new { de = "X" } }) })
        {
            write.Headers.Add("X-Tenant", memberA.Id);
            Assert.Equal(HttpStatusCode.Forbidden, (await staff.SendAsync(write)).StatusCode);
        }

        Assert.Equal(HttpStatusCode.Forbidden, (await GetAsync(staff, memberA.Id, "/api/identity/clients")).Status);
        var outside = await GetAsync(staff, outsider.Id, "/api/catalog/products");
        Assert.Equal(HttpStatusCode.Unauthorized, outside.Status);
        Assert.Contains("not a member of your cooperative", outside.Body.GetProperty("detail").GetString(), StringComparison.Ordinal);

        // A shop that leaves the cooperative is closed to its staff at once.
        Assert.Equal(HttpStatusCode.NoContent, (await operatorClient.DeleteAsync($"/api/admin/cooperatives/{cooperative}/members/{memberB.Id}")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await GetAsync(staff, memberB.Id, "/api/catalog/products")).Status);
        Assert.Equal(HttpStatusCode.OK, (await GetAsync(staff, memberA.Id, "/api/catalog/products")).Status);

        // Removed from the cooperative's staff, the person gets no new token.
        var listed = await operatorClient.GetFromJsonAsync<JsonElement>($"/api/admin/cooperatives/{cooperative}/staff");
        var person = Assert.Single(listed.EnumerateArray());
        Assert.Equal(email, person.GetProperty("email").GetString());
        Assert.True(person.GetProperty("active").GetBoolean());
        var refreshed = await _flow.RefreshAsync(tokens.GetProperty("refresh_token").GetString()!);
        Assert.Equal(HttpStatusCode.OK, refreshed.Status);
        Assert.Equal(HttpStatusCode.NoContent, (await operatorClient.DeleteAsync($"/api/admin/cooperatives/{cooperative}/staff/{person.GetProperty("id").GetString()}")).StatusCode);
        var refused = await _flow.RefreshAsync(refreshed.Body.GetProperty("refresh_token").GetString()!);
        Assert.Equal("invalid_grant", refused.Body.GetProperty("error").GetString());
    }

    [Fact]
    public async Task Only_the_platform_operator_invites_a_cooperatives_staff_and_bad_invitations_say_which_field()
    {
        var (cooperative, member, _) = await CooperativeAsync();
        using var operatorClient = platform.Client(PlatformFixture.PlatformKey);
        using var memberOwner = member.Admin();

        using (var byShop = await memberOwner.PostAsJsonAsync($"/api/admin/cooperatives/{cooperative}/staff", new { email = "x@verbund.example", role = "marketing" }))
        {
            Assert.Equal(HttpStatusCode.Forbidden, byShop.StatusCode);
        }

        // The identity service's own route, reached through the proxy with a shop's key: its assertion lacks the scope.
        using (var direct = await memberOwner.PostAsJsonAsync("/api/identity/cooperative-staff", new { email = "x@verbund.example", role = "owner" }))
        {
            Assert.Equal(HttpStatusCode.Forbidden, direct.StatusCode);
        }

        using (var unknown = await operatorClient.PostAsJsonAsync("/api/admin/cooperatives/gibt-es-nicht/staff", new { email = "x@verbund.example", role = "marketing" }))
        {
            Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        }

        using var bad = await operatorClient.PostAsJsonAsync($"/api/admin/cooperatives/{cooperative}/staff", new { email = "keine-adresse", role = "chef" });
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        var errors = (await bad.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors");
        Assert.True(errors.TryGetProperty("email", out _) && errors.TryGetProperty("role", out _), errors.ToString());
    }

    [Fact]
    public async Task A_platform_operator_signs_in_and_manages_tenants_and_cooperatives_but_acts_in_no_shop()
    {
        using var operatorKey = platform.Client(PlatformFixture.PlatformKey);
        var email = $"betrieb-{Guid.NewGuid():N}"[..16] + "@plattform.example";
        using (var invitedByShop = await (await platform.NewTenantAsync()).Admin().PostAsJsonAsync("/api/admin/operators", new { email }))
        {
            Assert.Equal(HttpStatusCode.Forbidden, invitedByShop.StatusCode);
        }

        using (var wrongRole = await operatorKey.PostAsJsonAsync("/api/admin/operators", new { email, role = "owner" }))
        {
            Assert.Equal(HttpStatusCode.BadRequest, wrongRole.StatusCode);
        }

        using var invitation = await operatorKey.PostAsJsonAsync("/api/admin/operators", new { email });
        var invited = await invitation.Content.ReadFromJsonAsync<JsonElement>();
        Assert.True(invitation.StatusCode == HttpStatusCode.Created, invited.ToString());
        var page = await NewPageAsync();
        await AcceptInvitationAsync(page, platform, invited, Password);
        var tokens = await SignInAsync(page, email);
        var access = new JsonWebToken(tokens.GetProperty("access_token").GetString());
        Assert.Equal("operator", access.GetPayloadValue<string>("role"));

        using var person = platform.Client(access.EncodedToken);
        var id = "betrieb-" + Guid.NewGuid().ToString("N")[..8];
        using (var created = await person.PostAsJsonAsync("/api/admin/tenants", new { id, name = "Neuer Laden" }))
        {
            Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        }

        Assert.Equal(HttpStatusCode.OK, (await person.GetAsync("/api/admin/cooperatives")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await person.GetAsync("/api/catalog/products")).StatusCode);

        // Removed, the person's refresh token gets nothing more.
        var listed = await person.GetFromJsonAsync<JsonElement>("/api/admin/operators");
        var me = listed.EnumerateArray().Single(o => o.GetProperty("email").GetString() == email);
        Assert.Equal(HttpStatusCode.NoContent, (await operatorKey.DeleteAsync($"/api/admin/operators/{me.GetProperty("id").GetString()}")).StatusCode);
        var refused = await _flow.RefreshAsync(tokens.GetProperty("refresh_token").GetString()!);
        Assert.Equal("invalid_grant", refused.Body.GetProperty("error").GetString());
    }

    /// <summary>A new cooperative with two new member shops.</summary>
    private async Task<(string Id, TestTenant A, TestTenant B)> CooperativeAsync()
    {
        var id = "verbund-" + Guid.NewGuid().ToString("N")[..8];
        var (a, b) = (await platform.NewTenantAsync(), await platform.NewTenantAsync());
        using var operatorClient = platform.Client(PlatformFixture.PlatformKey);
        (await operatorClient.PostAsJsonAsync("/api/admin/cooperatives", new { id, name = "Testverbund eG" })).EnsureSuccessStatusCode();
        foreach (var member in new[] { a, b })
        {
            (await operatorClient.PutAsync($"/api/admin/cooperatives/{id}/members/{member.Id}", null)).EnsureSuccessStatusCode();
        }

        return (id, a, b);
    }

    private static async Task<JsonElement> InviteAsync(HttpClient operatorClient, string cooperative, string email, string role)
    {
        using var response = await operatorClient.PostAsJsonAsync($"/api/admin/cooperatives/{cooperative}/staff", new { email, role });
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.True(response.StatusCode == HttpStatusCode.Created, body.ToString());
        return body;
    }

    private async Task<JsonElement> SignInAsync(IPage page, string email)
    {
        var pkce = Pkce.New();
        var (url, state) = _flow.AuthorizeUrl(pkce);
        await page.GotoAsync(url);
        await page.GetByLabel("E-Mail-Adresse").FillAsync(email);
        await page.GetByLabel("Passwort").FillAsync(Password);
        await page.GetByRole(AriaRole.Button, new() { Name = "Anmelden" }).ClickAsync();
        var callback = await platform.Console.CallbackAsync(state);
        return await _flow.RedeemAsync(callback["code"].ToString(), pkce.Verifier);
    }

    private static async Task<(HttpStatusCode Status, JsonElement Body)> GetAsync(HttpClient staff, string tenant, string path)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Add("X-Tenant", tenant);
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        using var response = await staff.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        return (response.StatusCode, text.Length > 0 ? JsonDocument.Parse(text).RootElement.Clone() : default);
    }
}
