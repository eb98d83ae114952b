using System.Net;

namespace MachCommerce.Gateway.Tests;

/// <summary>Tenants (platform key) and keys (a tenant's admin key): created, listed, read, revoked; bad input answered field by field.</summary>
[Collection(WholePlatform.Name)]
public sealed class KeyManagementTests(PlatformFixture platform)
{
    [Fact]
    public async Task An_admin_creates_lists_and_revokes_keys_and_the_secret_is_shown_only_once()
    {
        var tenant = await platform.NewTenantAsync();
        using var admin = tenant.Admin();
        var created = await admin.PostAsJsonAsync("/api/admin/keys", new { kind = "partner", name = "ERP Anbindung", scopes = new[] { Scopes.CatalogRead, Scopes.CatalogWrite } });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var body = await created.Content.ReadFromJsonAsync<JsonElement>();
        var key = body.GetProperty("key").GetString()!;
        var details = body.GetProperty("details");
        Assert.StartsWith("mc_pt_", key, StringComparison.Ordinal);
        Assert.Equal(key[..12], details.GetProperty("prefix").GetString());
        Assert.Equal("active", details.GetProperty("status").GetString());
        Assert.Equal([Scopes.CatalogRead, Scopes.CatalogWrite], details.GetProperty("scopes").EnumerateArray().Select(s => s.GetString()));

        var id = details.GetProperty("id").GetString();
        var listing = await admin.GetStringAsync("/api/admin/keys");
        Assert.DoesNotContain(key, listing, StringComparison.Ordinal);
        Assert.Contains(id!, listing, StringComparison.Ordinal);
        var one = await admin.GetStringAsync($"/api/admin/keys/{id}");
        Assert.DoesNotContain(key, one, StringComparison.Ordinal);

        using var partner = platform.Client(key);
        Assert.Equal(HttpStatusCode.OK, (await partner.GetAsync("/api/catalog/products")).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await admin.DeleteAsync($"/api/admin/keys/{id}")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await partner.GetAsync("/api/catalog/products")).StatusCode);
        var revoked = await admin.GetFromJsonAsync<JsonElement>($"/api/admin/keys/{id}");
        Assert.Equal("revoked", revoked.GetProperty("status").GetString());
        Assert.Equal(HttpStatusCode.NoContent, (await admin.DeleteAsync($"/api/admin/keys/{id}")).StatusCode); // again: no harm
    }

    [Fact]
    public async Task Keys_are_listed_page_by_page()
    {
        var tenant = await platform.NewTenantAsync();
        for (var i = 0; i < 4; i++)
        {
            await tenant.PartnerKeyAsync(Scopes.CatalogRead);
        }

        using var admin = tenant.Admin();
        var seen = await AllIdsAsync(admin, "/api/admin/keys?limit=2");
        Assert.Equal(5, seen.Distinct().Count()); // the admin key and four partner keys
        Assert.Equal(HttpStatusCode.BadRequest, (await admin.GetAsync("/api/admin/keys?limit=500")).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await admin.GetAsync("/api/admin/keys?cursor=nope")).StatusCode);
    }

    [Fact]
    public async Task Bad_key_requests_are_400_with_every_field_named()
    {
        var tenant = await platform.NewTenantAsync();
        using var admin = tenant.Admin();
        var cases = new (object Input, string[] Fields)[]
        {
            (new { kind = "superuser", name = "" }, ["kind", "name"]),
            (new { kind = "partner", name = "no scopes" }, ["scopes"]),
            (new { kind = "partner", name = "bad scope", scopes = new[] { "catalog:everything" } }, ["scopes"]),
            (new { kind = "storefront", name = "scoped", scopes = new[] { Scopes.CatalogWrite } }, ["scopes"]),
            (new { kind = "storefront", name = "paths", allowedOrigins = new[] { "https://shop.example/path", "ftp://x" } }, ["allowedOrigins"]),
            (new { kind = "admin", name = "origins", allowedOrigins = new[] { "https://shop.example" } }, ["allowedOrigins"]),
            (new { kind = "partner", name = "rates", scopes = new[] { Scopes.CatalogRead }, ratePerSecond = 0, burst = 999999 }, ["ratePerSecond", "burst"]),
            (new { kind = "partner", name = "past", scopes = new[] { Scopes.CatalogRead }, expiresAt = DateTimeOffset.UtcNow.AddDays(-1) }, ["expiresAt"]),
        };
        foreach (var (input, fields) in cases)
        {
            var response = await admin.PostAsJsonAsync("/api/admin/keys", input);
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            var errors = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors");
            Assert.Equal(fields.Order(), errors.EnumerateObject().Select(e => e.Name).Order());
        }

        using var malformed = new StringContent("{\"kind\": \"partner\", ", System.Text.Encoding.UTF8, "application/json");
        Assert.Equal(HttpStatusCode.BadRequest, (await admin.PostAsync("/api/admin/keys", malformed)).StatusCode);
    }

    [Fact]
    public async Task The_platform_manages_tenants_and_a_suspended_tenant_is_locked_out()
    {
        using var platformClient = platform.Client(PlatformFixture.PlatformKey);
        var tenant = await platform.NewTenantAsync();
        var again = await platformClient.PostAsJsonAsync("/api/admin/tenants", new { id = tenant.Id, name = "twice" });
        Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);
        var invalid = await platformClient.PostAsJsonAsync("/api/admin/tenants", new { id = "Not Valid!", name = "", defaultLanguage = "fr" });
        Assert.Equal(HttpStatusCode.BadRequest, invalid.StatusCode);
        Assert.Equal(["defaultLanguage", "id", "name"], (await invalid.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").EnumerateObject().Select(e => e.Name).Order());
        Assert.Equal(HttpStatusCode.NotFound, (await platformClient.GetAsync("/api/admin/tenants/no-such-shop")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await platformClient.PostAsJsonAsync("/api/admin/tenants/no-such-shop/keys", new { kind = "admin", name = "x" })).StatusCode);

        var read = await platformClient.GetFromJsonAsync<JsonElement>($"/api/admin/tenants/{tenant.Id}");
        Assert.Equal("active", read.GetProperty("status").GetString());
        using var admin = tenant.Admin();
        Assert.Equal(HttpStatusCode.OK, (await admin.GetAsync("/api/catalog/products")).StatusCode);

        var suspended = await platformClient.PutAsJsonAsync($"/api/admin/tenants/{tenant.Id}", new { name = "Testladen (gesperrt)", status = "suspended" });
        Assert.Equal(HttpStatusCode.OK, suspended.StatusCode);
        var locked = await admin.GetAsync("/api/catalog/products");
        Assert.Equal(HttpStatusCode.Unauthorized, locked.StatusCode);
        Assert.Contains("suspended", (await locked.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("detail").GetString(), StringComparison.Ordinal);

        await platformClient.PutAsJsonAsync($"/api/admin/tenants/{tenant.Id}", new { name = "Testladen", status = "active" });
        Assert.Equal(HttpStatusCode.OK, (await admin.GetAsync("/api/catalog/products")).StatusCode);

        Assert.Contains(tenant.Id, await AllIdsAsync(platformClient, "/api/admin/tenants?limit=50"));
    }

    /// <summary>Follows a listing's cursors to the end and returns every item's id.</summary>
    private static async Task<List<string>> AllIdsAsync(HttpClient client, string firstPage)
    {
        var ids = new List<string>();
        string? cursor = null;
        do
        {
            var page = await client.GetFromJsonAsync<JsonElement>(firstPage + (cursor is null ? "" : $"&cursor={cursor}"));
            ids.AddRange(page.GetProperty("items").EnumerateArray().Select(item => item.GetProperty("id").GetString()!));
            cursor = page.GetProperty("nextCursor").GetString();
        }
        while (cursor is not null);
        return ids;
    }
}
