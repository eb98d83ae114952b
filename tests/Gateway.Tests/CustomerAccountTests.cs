using Microsoft.Playwright;
using System.Net;

namespace MachCommerce.Gateway.Tests;

/// <summary>
/// Shoppers of a shop without a login of its own: they register and sign in at the identity service from the shop's
/// storefront (authorization code + PKCE, in Debian's chromium), and the storefront sends their access token as the
/// customer token beside its key; the gateway links the account to a profile of the shop. Screenshots go to the test
/// output folder.
/// </summary>
[Collection(WholePlatform.Name)]
public sealed class CustomerAccountTests(PlatformFixture platform) : BrowserTest
{
    private const string Password = "Hochbeet aus Lärchenholz";

    private readonly OAuthFlow _flow = new(platform, PlatformFixture.StorefrontClient);

    [Fact]
    public async Task A_customer_registers_from_the_storefront_and_GraphQL_knows_them_and_gives_them_personal_offers()
    {
        var tenant = await platform.StorefrontShopAsync();
        using var admin = tenant.Admin();
        var shop = await ShopData.CreateForPersonalizationAsync(admin);
        var gardenOffer = await StorefrontJourneyTests.OfferAsync(admin, "Gartenwochen", shop.Garden, priority: 10);
        var email = $"lena-{Guid.NewGuid():N}"[..13] + "@kunde.example";

        var page = await NewPageAsync();
        var tokens = await RegisterAsync(page, email);
        var access = new JsonWebToken(tokens.GetProperty("access_token").GetString());
        Assert.Equal(tenant.Id, access.GetPayloadValue<string>("ten"));
        Assert.Equal("customer", access.GetPayloadValue<string>("role"));
        Assert.Equal(["offline_access", "openid"], access.GetPayloadValue<string>("scope").Split(' ').Order());

        using var storefront = platform.Client(await tenant.StorefrontKeyAsync());
        var me = (await storefront.DataAsync("{ me { profile { id email } } }", customerToken: access.EncodedToken)).GetProperty("me").GetProperty("profile");
        Assert.Equal(email, me.GetProperty("email").GetString());
        // The shop sees the new customer as a profile of its own, named after the account.
        var profile = await admin.GetFromJsonAsync<JsonElement>($"/api/profiles/profiles/by-external-id/account:{access.Subject}");
        Assert.Equal(me.GetProperty("id").GetString(), profile.GetProperty("id").GetString());

        // Personal: what the signed-in customer looked at (with consent) decides the offer.
        var events = new[] { new { type = "PRODUCT_VIEWED", productId = shop["Gartenschlauch Classic 20 m"].ToString(), consent = true } };
        var tracked = await storefront.DataAsync("mutation ($events: [EventInput!]!) { trackEvents(events: $events) { accepted } }", new { events }, customerToken: access.EncodedToken);
        Assert.Equal(1, tracked.GetProperty("trackEvents").GetProperty("accepted").GetInt32());
        var offers = await storefront.DataAsync("""{ offers(placement: "home-hero") { offers { id reason { text } } } }""", customerToken: access.EncodedToken);
        Assert.Contains(offers.GetProperty("offers").GetProperty("offers").EnumerateArray(), o => o.GetProperty("id").GetString() == gardenOffer.ToString());

        // A refresh gives the same customer a new token.
        var refreshed = await _flow.RefreshAsync(tokens.GetProperty("refresh_token").GetString()!);
        Assert.Equal(HttpStatusCode.OK, refreshed.Status);
        var again = (await storefront.DataAsync("{ me { profile { id } } }", customerToken: refreshed.Body.GetProperty("access_token").GetString())).GetProperty("me");
        Assert.Equal(me.GetProperty("id").GetString(), again.GetProperty("profile").GetProperty("id").GetString());
    }

    [Fact]
    public async Task A_customer_token_works_only_at_its_shops_storefront_and_never_as_an_API_credential()
    {
        await platform.StorefrontShopAsync();
        var other = await platform.NewTenantAsync();
        var page = await NewPageAsync();
        var token = (await RegisterAsync(page, $"max-{Guid.NewGuid():N}"[..12] + "@kunde.example")).GetProperty("access_token").GetString()!;

        using var otherStorefront = platform.Client(await other.StorefrontKeyAsync());
        var (atOther, body) = await otherStorefront.GraphQLAsync("{ me { profile { id } } }", customerToken: token);
        Assert.Equal(HttpStatusCode.Unauthorized, atOther.StatusCode);
        Assert.Contains("another tenant", body.GetProperty("detail").GetString(), StringComparison.Ordinal);

        // As the bearer credential itself it opens nothing, not even the shop's own catalog.
        using var asKey = platform.Client(token);
        using var products = await asKey.GetAsync("/api/catalog/products");
        Assert.Equal(HttpStatusCode.Unauthorized, products.StatusCode);
        Assert.Contains("X-Customer-Token", await products.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        // Shops without a storefront registered for customer accounts have no customer pages.
        Assert.Equal(404, (await page.GotoAsync(new Uri(platform.Gateway.Address, $"/account/shop/{other.Id}/register").ToString()))!.Status);
    }

    [Fact]
    public async Task An_address_registers_once_per_shop_wrong_passwords_lock_the_account_and_customers_are_not_staff()
    {
        var tenant = await platform.StorefrontShopAsync();
        var email = $"ida-{Guid.NewGuid():N}"[..12] + "@kunde.example";
        await RegisterAsync(await NewPageAsync(), email);

        // The same address again at the same shop: told to sign in instead.
        var page = await NewPageAsync();
        await page.GotoAsync(new Uri(platform.Gateway.Address, $"/account/shop/{tenant.Id}/register").ToString());
        await FillRegistrationAsync(page, email);
        Assert.Contains("schon ein Konto", await page.GetByRole(AriaRole.Alert).InnerTextAsync(), StringComparison.Ordinal);

        // A customer's password does not open the staff sign-in.
        Assert.Equal(HttpStatusCode.Unauthorized, await StaffSignInStatusAsync(email, Password));

        // Five wrong passwords lock the account; the right one is then refused in the same words as an unknown address.
        await page.GotoAsync(_flow.AuthorizeUrl(Pkce.New()).Url);
        var unknown = await FailedSignInTextAsync(page, "niemand-" + email, Password);
        for (var i = 0; i < 5; i++)
        {
            Assert.Equal(unknown, await FailedSignInTextAsync(page, email, "falsches Passwort " + i));
        }

        Assert.Equal(unknown, await FailedSignInTextAsync(page, email, Password));
        await page.ScreenshotAsync(new() { Path = Path.Combine(AppContext.BaseDirectory, "customer-sign-in-locked.png") });
    }

    [Fact]
    public async Task A_trade_customers_account_linked_to_the_company_profile_the_shop_keeps_gets_its_customer_group()
    {
        var tenant = await platform.StorefrontShopAsync();
        using var admin = tenant.Admin();
        var tokens = await RegisterAsync(await NewPageAsync(), $"einkauf-{Guid.NewGuid():N}"[..16] + "@huber.example");
        var access = new JsonWebToken(tokens.GetProperty("access_token").GetString());

        // Before the account is first used, the shop files it under the company (external id account:{sub}).
        using var created = await admin.PostAsJsonAsync("/api/profiles/profiles", new
        {
            kind = "company", companyName = "Gartenbau Huber GmbH", customerGroup = "fachhandel", externalId = $"account:{access.Subject}",
        });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);

        using var storefront = platform.Client(await tenant.StorefrontKeyAsync());
        var me = (await storefront.DataAsync("{ me { profile { companyName customerGroup } } }", customerToken: access.EncodedToken)).GetProperty("me").GetProperty("profile");
        Assert.Equal("Gartenbau Huber GmbH", me.GetProperty("companyName").GetString());
        Assert.Equal("fachhandel", me.GetProperty("customerGroup").GetString());
    }

    /// <summary>From the storefront's sign-in: the shop's sign-in page, on to "create an account", back to the storefront with a code, redeemed.</summary>
    private async Task<JsonElement> RegisterAsync(IPage page, string email)
    {
        var pkce = Pkce.New();
        var (url, state) = _flow.AuthorizeUrl(pkce);
        await page.GotoAsync(url);
        Assert.Contains($"/account/shop/{PlatformFixture.StorefrontShop}/login", page.Url, StringComparison.Ordinal);
        await page.ScreenshotAsync(new() { Path = Path.Combine(AppContext.BaseDirectory, "customer-sign-in.png") });
        await page.GetByRole(AriaRole.Link, new() { Name = "Konto anlegen" }).ClickAsync();
        await FillRegistrationAsync(page, email);
        var callback = await platform.Console.CallbackAsync(state);
        return await _flow.RedeemAsync(callback["code"].ToString(), pkce.Verifier);
    }

    private static async Task FillRegistrationAsync(IPage page, string email)
    {
        await page.GetByLabel("E-Mail-Adresse").FillAsync(email);
        await page.GetByLabel("Neues Passwort").FillAsync(Password);
        await page.GetByLabel("Passwort wiederholen").FillAsync(Password);
        await page.ScreenshotAsync(new() { Path = Path.Combine(AppContext.BaseDirectory, "customer-register.png") });
        await page.GetByRole(AriaRole.Button, new() { Name = "Konto anlegen" }).ClickAsync();
    }

    private async Task<HttpStatusCode> StaffSignInStatusAsync(string email, string password)
    {
        var page = await NewPageAsync();
        var response = await page.GotoAsync(new Uri(platform.Gateway.Address, "/account/login").ToString());
        Assert.Equal(200, response!.Status);
        await page.GetByLabel("E-Mail-Adresse").FillAsync(email);
        await page.GetByLabel("Passwort").FillAsync(password);
        var answer = await page.RunAndWaitForResponseAsync(() => page.GetByRole(AriaRole.Button, new() { Name = "Anmelden" }).ClickAsync(),
            r => r.Url.EndsWith("/account/login", StringComparison.Ordinal) && r.Request.Method == "POST");
        return (HttpStatusCode)answer.Status;
    }
}
