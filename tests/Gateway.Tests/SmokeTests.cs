using System.Net;

namespace MachCommerce.Gateway.Tests;

[Collection(WholePlatform.Name)]
public sealed class SmokeTests(PlatformFixture platform)
{
    [Fact]
    public async Task A_tenant_admin_reads_the_catalog_through_the_gateway()
    {
        var tenant = await platform.NewTenantAsync();
        using var admin = tenant.Admin();
        var response = await admin.GetAsync("/api/catalog/products");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var storefront = platform.Client(await tenant.StorefrontKeyAsync());
        var data = await storefront.DataAsync("{ products(first: 5) { nodes { id name } pageInfo { hasNextPage } } categories { id } }");
        Assert.Equal(0, data.GetProperty("products").GetProperty("nodes").GetArrayLength());
    }
}
