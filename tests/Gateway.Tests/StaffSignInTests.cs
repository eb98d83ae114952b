using Microsoft.Playwright;
using System.Net;

namespace MachCommerce.Gateway.Tests;

/// <summary>
/// People of a shop's staff, end to end through the gateway in Debian's chromium (Playwright): the owner invites, the
/// invitee sets a password on the invitation page, then a front end signs them in with authorization code + PKCE and
/// uses the token against REST with exactly their role's rights. Screenshots go to the test output folder.
/// </summary>
[Collection(WholePlatform.Name)]
public sealed class StaffSignInTests(PlatformFixture platform) : BrowserTest
{
    private const string Password = "Rasensprenger im Juli";

    private readonly OAuthFlow _flow = new(platform, PlatformFixture.ConsoleClient);

    [Fact]
    public async Task A_marketing_person_accepts_the_invitation_signs_in_with_authorization_code_and_PKCE_and_may_read_but_not_edit_products()
    {
        var tenant = await platform.NewTenantAsync();
        using var admin = tenant.Admin();
        var shop = await ShopData.CreateAsync(admin);
        var email = $"anna-{tenant.Id}@shop.example";
        var page = await NewPageAsync();
        await AcceptInvitationAsync(page, await InviteAsync(admin, email, "marketing"));

        var (code, _) = await SignInAsync(page, email, Password);
        var tokens = await _flow.RedeemAsync(code.Code, code.Verifier);
        var access = new JsonWebToken(tokens.GetProperty("access_token").GetString());
        Assert.Equal(tenant.Id, access.GetPayloadValue<string>("ten"));
        Assert.Equal("marketing", access.GetPayloadValue<string>("role"));
        Assert.False(string.IsNullOrEmpty(tokens.GetProperty("refresh_token").GetString()));

        using var marketing = platform.Client(access.EncodedToken);
        Assert.Equal(HttpStatusCode.OK, (await marketing.GetAsync($"/api/catalog/products/{shop.Products.Values.First()}")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await marketing.GetAsync("/api/personalization/offers")).StatusCode);
        using var edit = await marketing.PostAsJsonAsync("/api/catalog/products", new { sku = "X-1", name = new { de = "X" } });
        Assert.Equal(HttpStatusCode.Forbidden, edit.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await marketing.GetAsync("/api/admin/keys")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await marketing.GetAsync("/api/identity/clients")).StatusCode);
    }

    /// <summary>What each role may do, write by write: allowed means the service took the request up (a 400 for the empty body is fine), refused is a 403.</summary>
    [Theory]
    [InlineData("catalog", new[] { "POST /api/catalog/products" }, new[] { "GET /api/profiles/profiles" })]
    [InlineData("marketing", new[] { "POST /api/personalization/offers", "POST /api/personalization/segments", "GET /api/profiles/profiles" }, new string[0])]
    [InlineData("support", new[] { "POST /api/profiles/profiles", "GET /api/profiles/profiles" }, new[] { "POST /api/personalization/offers" })]
    [InlineData("read-only", new[] { "GET /api/profiles/profiles" }, new string[0])]
    public async Task Each_role_may_do_its_work_and_is_refused_everything_else(string role, string[] allowed, string[] alsoRefused)
    {
        var tenant = await platform.NewTenantAsync();
        using var admin = tenant.Admin();
        var email = $"{role}-{tenant.Id}@shop.example";
        var page = await NewPageAsync();
        await AcceptInvitationAsync(page, await InviteAsync(admin, email, role));
        var (code, _) = await SignInAsync(page, email, Password);
        using var person = platform.Client((await _flow.RedeemAsync(code.Code, code.Verifier)).GetProperty("access_token").GetString());

        string[] writes = ["POST /api/catalog/products", "POST /api/personalization/offers", "POST /api/personalization/segments", "POST /api/profiles/profiles",
            "POST /api/identity/staff", "POST /api/identity/clients", "POST /api/admin/keys"];
        foreach (var request in writes.Union(allowed).Union(alsoRefused))
        {
            var parts = request.Split(' ');
            using var message = new HttpRequestMessage(new HttpMethod(parts[0]), parts[1]);
            if (parts[0] == "POST")
            {
                message.Content = JsonContent.Create(new { });
            }

            using var response = await person.SendAsync(message);
            if (allowed.Contains(request))
            {
                Assert.True(response.StatusCode is not (HttpStatusCode.Forbidden or HttpStatusCode.Unauthorized), $"{role}: {request} answered {(int)response.StatusCode}");
            }
            else
            {
                Assert.True(response.StatusCode == HttpStatusCode.Forbidden, $"{role}: {request} answered {(int)response.StatusCode}, not 403");
            }
        }

        Assert.Equal(HttpStatusCode.OK, (await person.GetAsync("/api/catalog/products")).StatusCode);
    }

    [Fact]
    public async Task A_refresh_token_rotates_and_a_reused_one_is_refused_and_a_removed_person_gets_no_new_token()
    {
        var tenant = await platform.NewTenantAsync();
        using var admin = tenant.Admin();
        var email = $"ben-{tenant.Id}@shop.example";
        var page = await NewPageAsync();
        var invited = await InviteAsync(admin, email, "catalog");
        await AcceptInvitationAsync(page, invited);
        var (code, _) = await SignInAsync(page, email, Password);
        var first = (await _flow.RedeemAsync(code.Code, code.Verifier)).GetProperty("refresh_token").GetString()!;

        var second = await _flow.RefreshAsync(first);
        Assert.Equal(HttpStatusCode.OK, second.Status);
        var reused = await _flow.RefreshAsync(first);
        Assert.Equal(HttpStatusCode.BadRequest, reused.Status);
        Assert.Equal("invalid_grant", reused.Body.GetProperty("error").GetString());

        var third = await _flow.RefreshAsync(await FreshRefreshTokenAsync(page));
        Assert.Equal(HttpStatusCode.OK, third.Status);
        var staffId = invited.GetProperty("staff").GetProperty("id").GetString();
        Assert.Equal(HttpStatusCode.NoContent, (await admin.DeleteAsync($"/api/identity/staff/{staffId}")).StatusCode);
        var afterRemoval = await _flow.RefreshAsync(third.Body.GetProperty("refresh_token").GetString()!);
        Assert.Equal("invalid_grant", afterRemoval.Body.GetProperty("error").GetString());
    }

    [Fact]
    public async Task Five_wrong_passwords_lock_the_account_and_every_failure_reads_the_same_as_an_unknown_address()
    {
        var tenant = await platform.NewTenantAsync();
        using var admin = tenant.Admin();
        var email = $"carla-{tenant.Id}@shop.example";
        var page = await NewPageAsync();
        await AcceptInvitationAsync(page, await InviteAsync(admin, email, "support"));

        await page.GotoAsync(_flow.AuthorizeUrl(Pkce.New()).Url);
        var unknown = await FailedSignInTextAsync(page, $"nobody-{tenant.Id}@shop.example", Password);
        for (var i = 0; i < 5; i++)
        {
            Assert.Equal(unknown, await FailedSignInTextAsync(page, email, "falsches Passwort " + i));
        }

        // Locked: even the right password is refused now, in the same words.
        Assert.Equal(unknown, await FailedSignInTextAsync(page, email, Password));
        await page.ScreenshotAsync(new() { Path = Path.Combine(AppContext.BaseDirectory, "staff-sign-in-locked.png") });
        var audit = await admin.GetFromJsonAsync<JsonElement>("/api/identity/audit?limit=20");
        Assert.Contains(audit.GetProperty("items").EnumerateArray(), e => e.GetProperty("detail").GetString() == "locked out");
    }

    [Fact]
    public async Task The_invitation_page_refuses_a_common_password_and_a_used_or_made_up_link()
    {
        var tenant = await platform.NewTenantAsync();
        using var admin = tenant.Admin();
        var invited = await InviteAsync(admin, $"dora-{tenant.Id}@shop.example", "read-only");
        var page = await NewPageAsync();
        await page.GotoAsync(InvitationUrl(invited));
        await page.GetByLabel("Neues Passwort").FillAsync("passwort1234");
        await page.GetByLabel("Passwort wiederholen").FillAsync("passwort1234");
        await page.GetByRole(AriaRole.Button, new() { Name = "Passwort festlegen" }).ClickAsync();
        Assert.Contains("zu leicht zu erraten", await page.GetByRole(AriaRole.Alert).InnerTextAsync(), StringComparison.Ordinal);

        await AcceptInvitationAsync(page, invited);
        var again = await page.GotoAsync(InvitationUrl(invited));
        Assert.Equal(404, again!.Status);
        var madeUp = await page.GotoAsync(new Uri(platform.Gateway.Address, "/account/invitation?token=erfunden").ToString());
        Assert.Equal(404, madeUp!.Status);
    }

    [Fact]
    public async Task No_shop_can_set_the_password_of_an_account_another_shop_relies_on_and_a_person_with_two_shops_chooses()
    {
        var shopA = await platform.NewTenantAsync();
        var shopB = await platform.NewTenantAsync();
        using var ownerA = shopA.Admin();
        using var ownerB = shopB.Admin();
        var email = $"erik-{shopA.Id}@shop.example";

        // Pending at A: B may not invite (its link could set the password of an account A has invited) ...
        var invitedByA = await InviteAsync(ownerA, email, "catalog");
        using (var pending = await ownerB.PostAsJsonAsync("/api/identity/staff", new { email, role = "marketing" }))
        {
            Assert.Equal(HttpStatusCode.Conflict, pending.StatusCode);
        }

        // ... and once the account is active, B's invitation adds B to it and carries no link at all.
        var page = await NewPageAsync();
        await AcceptInvitationAsync(page, invitedByA);
        var invitedByB = await InviteAsync(ownerB, email, "marketing");
        Assert.Equal(JsonValueKind.Null, invitedByB.GetProperty("invitationUrl").ValueKind);
        // A's old link is dead now that the account has a password.
        Assert.Equal(404, (await page.GotoAsync(InvitationUrl(invitedByA)))!.Status);

        // Signed in, the person with two shops is asked which one; the choice decides the token's shop and role.
        var pkce = Pkce.New();
        var (url, state) = _flow.AuthorizeUrl(pkce);
        await page.GotoAsync(url);
        await page.GetByLabel("E-Mail-Adresse").FillAsync(email);
        await page.GetByLabel("Passwort").FillAsync(Password);
        await page.GetByRole(AriaRole.Button, new() { Name = "Anmelden" }).ClickAsync();
        await page.GetByText("Mit welchem Shop möchten Sie arbeiten?").WaitForAsync();
        await page.ScreenshotAsync(new() { Path = Path.Combine(AppContext.BaseDirectory, "staff-choose-shop.png") });
        await page.GetByRole(AriaRole.Link, new() { Name = shopB.Id }).ClickAsync();
        var callback = await platform.Console.CallbackAsync(state);
        var token = new JsonWebToken((await _flow.RedeemAsync(callback["code"].ToString(), pkce.Verifier)).GetProperty("access_token").GetString());
        Assert.Equal(shopB.Id, token.GetPayloadValue<string>("ten"));
        Assert.Equal("marketing", token.GetPayloadValue<string>("role"));
    }

    [Fact]
    public async Task An_authorization_request_for_an_unregistered_redirect_address_never_leaves_the_platform()
    {
        var pkce = Pkce.New();
        using var anonymous = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = platform.Gateway.Address };
        using var response = await anonymous.GetAsync(_flow.AuthorizeUrl(pkce, redirect: "https://evil.example/steal").Url);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Null(response.Headers.Location);
        Assert.Contains("redirect_uri", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    private static async Task<JsonElement> InviteAsync(HttpClient admin, string email, string role)
    {
        using var response = await admin.PostAsJsonAsync("/api/identity/staff", new { email, role });
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.True(response.StatusCode == HttpStatusCode.Created, body.ToString());
        return body;
    }

    private string InvitationUrl(JsonElement invited) => platform.InvitationUrl(invited);

    private async Task AcceptInvitationAsync(IPage page, JsonElement invited)
    {
        await AcceptInvitationAsync(page, platform, invited, Password);
        await page.ScreenshotAsync(new() { Path = Path.Combine(AppContext.BaseDirectory, "staff-invitation-accepted.png") });
    }

    /// <summary>The front end's sign-in: to the authorization endpoint, the sign-in page, and back to the front end with a code.</summary>
    private async Task<((string Code, string Verifier), string State)> SignInAsync(IPage page, string email, string password)
    {
        var pkce = Pkce.New();
        var (url, state) = _flow.AuthorizeUrl(pkce);
        await page.GotoAsync(url);
        await page.GetByLabel("E-Mail-Adresse").FillAsync(email);
        await page.GetByLabel("Passwort").FillAsync(password);
        await page.ScreenshotAsync(new() { Path = Path.Combine(AppContext.BaseDirectory, "staff-sign-in.png") });
        await page.GetByRole(AriaRole.Button, new() { Name = "Anmelden" }).ClickAsync();
        var callback = await platform.Console.CallbackAsync(state);
        Assert.Equal(state, callback["state"].ToString());
        return ((callback["code"].ToString(), pkce.Verifier), state);
    }

    private async Task<string> FreshRefreshTokenAsync(IPage page)
    {
        // Signed in already (the session cookie): the authorization endpoint answers with a code at once.
        var pkce = Pkce.New();
        var (url, state) = _flow.AuthorizeUrl(pkce);
        await page.GotoAsync(url);
        var callback = await platform.Console.CallbackAsync(state);
        return (await _flow.RedeemAsync(callback["code"].ToString(), pkce.Verifier)).GetProperty("refresh_token").GetString()!;
    }
}
