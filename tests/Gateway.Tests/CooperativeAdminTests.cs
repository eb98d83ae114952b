using System.Net;

namespace MachCommerce.Gateway.Tests;

/// <summary>The cooperative level's registry: the platform operator creates cooperatives and attaches and detaches member shops.</summary>
[Collection(WholePlatform.Name)]
public sealed class CooperativeAdminTests(PlatformFixture platform)
{
    private static string NewId() => $"coop-{Guid.NewGuid():N}"[..20];

    [Fact]
    public async Task The_platform_operator_creates_a_cooperative_attaches_members_and_detaches_one_that_stays_a_tenant_of_its_own()
    {
        using var operatorClient = platform.Client(PlatformFixture.PlatformKey);
        var id = NewId();
        var created = await operatorClient.PostAsJsonAsync("/api/admin/cooperatives", new { id, name = "EinkaufsVerbund Test eG" });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        Assert.Equal($"/api/admin/cooperatives/{id}", created.Headers.Location!.OriginalString);

        var berger = await platform.NewTenantAsync();
        var lindner = await platform.NewTenantAsync();
        Assert.Equal(HttpStatusCode.OK, (await operatorClient.PutAsync($"/api/admin/cooperatives/{id}/members/{berger.Id}", null)).StatusCode);
        var attached = await operatorClient.PutAsync($"/api/admin/cooperatives/{id}/members/{lindner.Id}", null);
        Assert.Equal(HttpStatusCode.OK, attached.StatusCode);
        var view = await attached.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(new[] { berger.Id, lindner.Id }.Order(), view.GetProperty("members").EnumerateArray().Select(m => m.GetProperty("tenantId").GetString()!).Order());
        // Attaching again changes nothing.
        Assert.Equal(HttpStatusCode.OK, (await operatorClient.PutAsync($"/api/admin/cooperatives/{id}/members/{berger.Id}", null)).StatusCode);
        Assert.Equal(2, (await operatorClient.GetFromJsonAsync<JsonElement>($"/api/admin/cooperatives/{id}")).GetProperty("members").GetArrayLength());

        // A member stays a tenant of its own: its keys work as before.
        using var bergerAdmin = berger.Admin();
        Assert.Equal(HttpStatusCode.OK, (await bergerAdmin.GetAsync("/api/admin/keys")).StatusCode);

        Assert.Equal(HttpStatusCode.NoContent, (await operatorClient.DeleteAsync($"/api/admin/cooperatives/{id}/members/{berger.Id}")).StatusCode);
        var after = await operatorClient.GetFromJsonAsync<JsonElement>($"/api/admin/cooperatives/{id}");
        Assert.Equal([lindner.Id], after.GetProperty("members").EnumerateArray().Select(m => m.GetProperty("tenantId").GetString()));
        Assert.Equal(HttpStatusCode.OK, (await bergerAdmin.GetAsync("/api/admin/keys")).StatusCode);

        var listing = await operatorClient.GetFromJsonAsync<JsonElement>("/api/admin/cooperatives?limit=100");
        Assert.Contains(listing.GetProperty("items").EnumerateArray(), c => c.GetProperty("id").GetString() == id);
    }

    [Fact]
    public async Task A_shop_belongs_to_one_cooperative_at_most_and_mistakes_get_clear_answers()
    {
        using var operatorClient = platform.Client(PlatformFixture.PlatformKey);
        var first = NewId();
        var second = NewId();
        Assert.Equal(HttpStatusCode.Created, (await operatorClient.PostAsJsonAsync("/api/admin/cooperatives", new { id = first, name = "Erste eG" })).StatusCode);
        Assert.Equal(HttpStatusCode.Created, (await operatorClient.PostAsJsonAsync("/api/admin/cooperatives", new { id = second, name = "Zweite eG" })).StatusCode);
        var shop = await platform.NewTenantAsync();
        Assert.Equal(HttpStatusCode.OK, (await operatorClient.PutAsync($"/api/admin/cooperatives/{first}/members/{shop.Id}", null)).StatusCode);

        var elsewhere = await operatorClient.PutAsync($"/api/admin/cooperatives/{second}/members/{shop.Id}", null);
        Assert.Equal(HttpStatusCode.Conflict, elsewhere.StatusCode);
        Assert.Contains($"member of the cooperative \"{first}\"", (await elsewhere.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("detail").GetString(), StringComparison.Ordinal);

        var noShop = await operatorClient.PutAsync($"/api/admin/cooperatives/{first}/members/no-such-shop", null);
        Assert.Equal(HttpStatusCode.NotFound, noShop.StatusCode);
        Assert.Contains("no shop (tenant) \"no-such-shop\"", (await noShop.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("detail").GetString(), StringComparison.Ordinal);
        var noCooperative = await operatorClient.PutAsync($"/api/admin/cooperatives/no-such-coop/members/{shop.Id}", null);
        Assert.Equal(HttpStatusCode.NotFound, noCooperative.StatusCode);
        Assert.Contains("no cooperative \"no-such-coop\"", (await noCooperative.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("detail").GetString(), StringComparison.Ordinal);
        var notMember = await operatorClient.DeleteAsync($"/api/admin/cooperatives/{second}/members/{shop.Id}");
        Assert.Equal(HttpStatusCode.NotFound, notMember.StatusCode);
        Assert.Contains("is not a member", (await notMember.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("detail").GetString(), StringComparison.Ordinal);

        var twice = await operatorClient.PostAsJsonAsync("/api/admin/cooperatives", new { id = first, name = "Nochmal" });
        Assert.Equal(HttpStatusCode.Conflict, twice.StatusCode);
        var bad = await operatorClient.PostAsJsonAsync("/api/admin/cooperatives", new { id = "Not Valid!", name = "" });
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        var errors = (await bad.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors");
        Assert.Contains("lowercase letters", errors.GetProperty("id")[0].GetString(), StringComparison.Ordinal);
        Assert.Contains("1 to 200 characters", errors.GetProperty("name")[0].GetString(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.BadRequest, (await operatorClient.PutAsJsonAsync($"/api/admin/cooperatives/{first}", new { name = new string('x', 201) })).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await operatorClient.PutAsJsonAsync($"/api/admin/cooperatives/{first}", new { name = "Erste Genossenschaft eG" })).StatusCode);
        Assert.Equal("Erste Genossenschaft eG", (await operatorClient.GetFromJsonAsync<JsonElement>($"/api/admin/cooperatives/{first}")).GetProperty("name").GetString());
    }

    [Fact]
    public async Task Only_the_platform_operator_manages_cooperatives_not_a_member_shops_admin()
    {
        var shop = await platform.NewTenantAsync();
        using var admin = shop.Admin();
        Assert.Equal(HttpStatusCode.Forbidden, (await admin.GetAsync("/api/admin/cooperatives")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await admin.PostAsJsonAsync("/api/admin/cooperatives", new { id = NewId(), name = "Eigene eG" })).StatusCode);
        using var anonymous = platform.Client(null);
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync("/api/admin/cooperatives")).StatusCode);
    }
}
