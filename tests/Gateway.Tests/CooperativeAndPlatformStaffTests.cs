using Microsoft.Playwright;
using System.Net;

namespace MachCommerce.Gateway.Tests;

/// <summary>
/// People above a single shop. A cooperative's staff: the platform operator invites a person into the cooperative,
/// they sign in with authorization code + PKCE (Debian's chromium), and their one token works in each member shop
/// named in X-Tenant, with their role's rights, in no other shop, and no longer in a shop once it leaves the
/// cooperative. The platform's operators: people who do what the platform key does, and nothing inside a shop.
/// </summary>
[Collection(WholePlatform.Name)]
public sealed class CooperativeAndPlatformStaffTests(PlatformFixture platform) : CooperativeTest(platform)
{
    [Fact]
    public async Task A_cooperatives_marketing_person_works_in_each_member_shop_in_no_other_and_not_in_one_that_left()
    {
        var (cooperative, memberA, memberB) = await CooperativeAsync();
        var outsider = await Platform.NewTenantAsync();
        using var adminA = memberA.Admin();
        await ShopData.CreateAsync(adminA);
        var email = $"zentrale-{cooperative}@verbund.example";
        using var operatorClient = Platform.Client(PlatformFixture.PlatformKey);
        var invited = await InviteAsync(operatorClient, cooperative, email, "marketing");

        var page = await NewPageAsync();
        await AcceptInvitationAsync(page, Platform, invited, Password);
        var tokens = await SignInAsync(page, email);
        var access = new JsonWebToken(tokens.GetProperty("access_token").GetString());
        Assert.Equal(cooperative, access.GetPayloadValue<string>("coop"));
        Assert.False(access.TryGetPayloadValue<string>("ten", out _));
        Assert.Equal("marketing", access.GetPayloadValue<string>("role"));

        using var staff = Platform.Client(access.EncodedToken);
        var own = await staff.GetFromJsonAsync<JsonElement>("/api/cooperative");
        Assert.Equal(new[] { memberA.Id, memberB.Id }.Order(), own.GetProperty("members").EnumerateArray().Select(m => m.GetProperty("tenantId").GetString()).Order());

        // No shop named: in none (only the catalog's routes lead to the cooperative's central assortment), and told how to name one.
        using (var unnamed = await staff.GetAsync("/api/profiles/profiles"))
        {
            Assert.Equal(HttpStatusCode.BadRequest, unnamed.StatusCode);
            Assert.Contains("X-Tenant", await unnamed.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }

        using (var central = await staff.GetAsync("/api/catalog/products"))
        {
            Assert.Equal(HttpStatusCode.OK, central.StatusCode);
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
        var refreshed = await Flow.RefreshAsync(tokens.GetProperty("refresh_token").GetString()!);
        Assert.Equal(HttpStatusCode.OK, refreshed.Status);
        Assert.Equal(HttpStatusCode.NoContent, (await operatorClient.DeleteAsync($"/api/admin/cooperatives/{cooperative}/staff/{person.GetProperty("id").GetString()}")).StatusCode);
        var refused = await Flow.RefreshAsync(refreshed.Body.GetProperty("refresh_token").GetString()!);
        Assert.Equal("invalid_grant", refused.Body.GetProperty("error").GetString());
    }

    [Fact]
    public async Task Only_the_platform_operator_invites_a_cooperatives_staff_and_bad_invitations_say_which_field()
    {
        var (cooperative, member, _) = await CooperativeAsync();
        using var operatorClient = Platform.Client(PlatformFixture.PlatformKey);
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
        using var operatorKey = Platform.Client(PlatformFixture.PlatformKey);
        var email = $"betrieb-{Guid.NewGuid():N}"[..16] + "@plattform.example";
        using (var invitedByShop = await (await Platform.NewTenantAsync()).Admin().PostAsJsonAsync("/api/admin/operators", new { email }))
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
        await AcceptInvitationAsync(page, Platform, invited, Password);
        var tokens = await SignInAsync(page, email);
        var access = new JsonWebToken(tokens.GetProperty("access_token").GetString());
        Assert.Equal("operator", access.GetPayloadValue<string>("role"));

        using var person = Platform.Client(access.EncodedToken);
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
        var refused = await Flow.RefreshAsync(tokens.GetProperty("refresh_token").GetString()!);
        Assert.Equal("invalid_grant", refused.Body.GetProperty("error").GetString());
    }
}
