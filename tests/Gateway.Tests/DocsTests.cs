using System.Net;
using System.Text.Json;

namespace MachCommerce.Gateway.Tests;

[Collection(WholePlatform.Name)]
public sealed class DocsTests(PlatformFixture platform)
{
    [Theory]
    [InlineData("catalog", "/products")]
    [InlineData("profiles", "/profiles")]
    [InlineData("personalization", "/decisions")]
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
        foreach (var service in new[] { "catalog", "profiles", "personalization" })
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
}
