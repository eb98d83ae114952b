using System.Net;
using System.Net.Sockets;

namespace MachCommerce.Gateway.Tests;

/// <summary>One service down: the rest of a GraphQL answer still arrives, and REST says plainly that the service is unavailable.</summary>
[Collection(WholePlatform.Name)]
public sealed class ResilienceTests(PlatformFixture platform)
{
    [Fact]
    public async Task With_personalization_down_the_storefront_still_gets_its_products_and_a_field_error_for_the_offers()
    {
        await using var gateway = await platform.StartGatewayAsync(new Dictionary<string, string?>
        {
            ["ReverseProxy:Clusters:personalization:Destinations:primary:Address"] = $"http://127.0.0.1:{ClosedPort()}/",
        });
        var tenant = await platform.NewTenantAsync(gateway.Address);
        using var admin = tenant.Admin();
        var shop = await ShopData.CreateAsync(admin);
        using var storefront = platform.Client(await tenant.StorefrontKeyAsync(), gateway.Address);

        var (response, body) = await storefront.GraphQLAsync("""
            { products(first: 3, sort: PRICE_ASC) { nodes { name price { amount } } } offers(placement: "home-hero") { decisionId } }
            """, visitorId: "v-resilience");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(3, body.GetProperty("data").GetProperty("products").GetProperty("nodes").GetArrayLength());
        Assert.Equal(JsonValueKind.Null, body.GetProperty("data").GetProperty("offers").ValueKind);
        var error = body.GetProperty("errors").EnumerateArray().Single();
        Assert.Equal("offers", error.GetProperty("path")[0].GetString());
        Assert.Contains("personalization", error.GetProperty("message").GetString(), StringComparison.Ordinal);

        var rest = await admin.GetAsync("/api/personalization/read-models");
        Assert.True(rest.StatusCode is HttpStatusCode.BadGateway or HttpStatusCode.ServiceUnavailable, rest.StatusCode.ToString());
        var problem = await rest.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal((int)rest.StatusCode, problem.GetProperty("status").GetInt32());
        _ = shop;
    }

    private static int ClosedPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }
}
