using System.Net;

namespace MachCommerce.Gateway.Tests;

[Collection(WholePlatform.Name)]
public sealed class DocsTests(PlatformFixture platform)
{
    [Theory]
    [InlineData("catalog", "/products")]
    [InlineData("profiles", "/profiles")]
    [InlineData("personalization", "/decisions")]
    [InlineData("identity", "/clients")]
    [InlineData("webhooks", "/subscriptions")]
    public async Task Each_services_OpenAPI_document_is_served_under_its_route_without_a_key(string service, string path)
    {
        using var anonymous = platform.Client(null);
        var document = await anonymous.GetFromJsonAsync<JsonElement>($"/api/{service}/openapi.json");
        Assert.StartsWith("3.", document.GetProperty("openapi").GetString(), StringComparison.Ordinal);
        Assert.True(document.GetProperty("paths").TryGetProperty(path, out _));
    }

    [Fact]
    public async Task One_Swagger_UI_page_lists_every_service()
    {
        using var anonymous = platform.Client(null);
        var page = await anonymous.GetAsync("/swagger/index.html");
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        var config = await anonymous.GetStringAsync("/swagger/index.js");
        foreach (var service in new[] { "catalog", "profiles", "personalization", "identity", "webhooks" })
        {
            Assert.Contains($"/api/{service}/openapi.json", config, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task The_storefront_schema_answers_introspection_and_health_is_open()
    {
        var tenant = await platform.NewTenantAsync();
        using var storefront = platform.Client(await tenant.StorefrontKeyAsync());
        var schema = await storefront.DataAsync("{ __schema { queryType { name } mutationType { name } types { name } } }");
        var types = schema.GetProperty("__schema").GetProperty("types").EnumerateArray().Select(t => t.GetProperty("name").GetString()).ToList();
        Assert.Contains("ProductConnection", types);
        Assert.Contains("Decimal", types);
        using var anonymous = platform.Client(null);
        Assert.Equal(HttpStatusCode.OK, (await anonymous.GetAsync("/health/ready")).StatusCode);
    }

    [Theory]
    [InlineData("catalog")]
    [InlineData("profiles")]
    [InlineData("personalization")]
    [InlineData("identity")]
    [InlineData("webhooks")]
    public async Task Each_document_names_the_gateway_and_its_prefix_as_server_and_the_key_as_bearer_scheme(string service)
    {
        using var anonymous = platform.Client(null);
        var document = await anonymous.GetFromJsonAsync<JsonElement>($"/api/{service}/openapi.json");

        var server = Assert.Single(document.GetProperty("servers").EnumerateArray()).GetProperty("url").GetString();
        Assert.Equal(new Uri(platform.Gateway.Address, $"/api/{service}").ToString(), server);
        var scheme = document.GetProperty("components").GetProperty("securitySchemes").GetProperty("apiKey");
        Assert.Equal("http", scheme.GetProperty("type").GetString());
        Assert.Equal("bearer", scheme.GetProperty("scheme").GetString());
        Assert.True(document.GetProperty("security")[0].TryGetProperty("apiKey", out _));

        // "Try it out" as Swagger UI does it: the server's URL, the path, the key.
        var tenant = await platform.NewTenantAsync();
        using var admin = new HttpClient();
        admin.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", tenant.AdminKey);
        var path = service switch { "catalog" => "/products", "profiles" => "/profiles", "identity" => "/clients", "webhooks" => "/subscriptions", _ => "/offers" };
        Assert.Equal(HttpStatusCode.OK, (await admin.GetAsync(server + path)).StatusCode);
    }

    [Fact]
    public async Task The_listings_query_parameters_are_documented_and_an_unknown_one_is_a_400_naming_it()
    {
        using var anonymous = platform.Client(null);
        var catalog = await anonymous.GetFromJsonAsync<JsonElement>("/api/catalog/openapi.json");
        var listing = catalog.GetProperty("paths").GetProperty("/products").GetProperty("get").GetProperty("parameters").EnumerateArray()
            .Select(p => p.GetProperty("name").GetString()).ToList();
        foreach (var name in new[] { "cursor", "limit", "sort", "brand", "category", "minPrice", "maxPrice", "available", "locale", "attr.{name}" })
        {
            Assert.Contains(name, listing);
        }

        var tenant = await platform.NewTenantAsync();
        using var admin = tenant.Admin();
        var after = await admin.GetAsync("/api/catalog/products?limit=2&after=abc");
        Assert.Equal(HttpStatusCode.BadRequest, after.StatusCode);
        var errors = (await after.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors");
        Assert.Contains("cursor", errors.GetProperty("after")[0].GetString(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.BadRequest, (await admin.GetAsync("/api/profiles/profiles?page=2")).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await admin.GetAsync("/api/personalization/offers?colour=red")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await admin.GetAsync("/api/catalog/products?limit=2&brand=Bosch&attr.colour=red&locale=en")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await admin.GetAsync("/api/catalog/search?q=akku&facets=attr.colour")).StatusCode);
    }

    [Fact]
    public async Task The_gateways_admin_API_is_documented_beside_the_services()
    {
        using var anonymous = platform.Client(null);
        var document = await anonymous.GetFromJsonAsync<JsonElement>("/api/gateway/openapi.json");
        var paths = document.GetProperty("paths");
        foreach (var path in new[] { "/api/admin/tenants", "/api/admin/tenants/{id}", "/api/admin/tenants/{id}/keys", "/api/admin/keys", "/api/admin/keys/{id}", "/api/admin/customer-tokens" })
        {
            Assert.True(paths.TryGetProperty(path, out _), path);
        }

        Assert.False(paths.TryGetProperty("/graphql", out _));
        Assert.Equal("bearer", document.GetProperty("components").GetProperty("securitySchemes").GetProperty("apiKey").GetProperty("scheme").GetString());
        Assert.Contains("/api/gateway/openapi.json", await anonymous.GetStringAsync("/swagger/index.js"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_Location_header_is_valid_through_the_gateway()
    {
        var tenant = await platform.NewTenantAsync();
        using var admin = tenant.Admin();
        var created = await admin.PostAsJsonAsync("/api/profiles/profiles", new { firstName = "Lea", lastName = "Maier", email = $"lea-{tenant.Id}@example.de" });
        Assert.StartsWith("/api/profiles/profiles/", created.Headers.Location!.OriginalString, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, (await admin.GetAsync(created.Headers.Location)).StatusCode);

        var id = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString();
        var erasure = await admin.PostAsJsonAsync($"/api/profiles/profiles/{id}/erasure", new { });
        Assert.StartsWith("/api/profiles/erasures/", erasure.Headers.Location!.OriginalString, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, (await admin.GetAsync(erasure.Headers.Location)).StatusCode);
    }
}
