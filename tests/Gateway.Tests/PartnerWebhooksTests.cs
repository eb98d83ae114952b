using System.Net;
using System.Security.Cryptography;

namespace MachCommerce.Gateway.Tests;

/// <summary>
/// The partner quick start of the README, end to end through the gateway: client credentials → a webhook
/// subscription → the shop publishes a product → the partner's endpoint (WireMock.Net) receives it, signed.
/// </summary>
[Collection(WholePlatform.Name)]
public sealed class PartnerWebhooksTests(PlatformFixture platform)
{
    [Fact]
    public async Task A_partner_with_client_credentials_subscribes_and_receives_the_shops_new_product_signed_and_another_shop_sees_nothing()
    {
        using var receiver = PartnerReceiver.Start();
        var tenant = await platform.NewTenantAsync();
        using var admin = tenant.Admin();
        var (clientId, secret) = await ClientCredentialsTests.CreateClientAsync(admin, Scopes.WebhooksManage, Scopes.CatalogRead);
        using var partner = platform.Client(await ClientCredentialsTests.TokenAsync(platform, clientId, secret));

        using var subscribed = await partner.PostAsJsonAsync("/api/webhooks/subscriptions",
            new { url = receiver.Url + "/erp/webhooks", eventTypes = new[] { "product.published" }, description = "Warenwirtschaft" });
        Assert.Equal(HttpStatusCode.Created, subscribed.StatusCode);
        Assert.StartsWith("/api/webhooks/subscriptions/", subscribed.Headers.Location!.OriginalString, StringComparison.Ordinal);
        var subscription = await subscribed.Content.ReadFromJsonAsync<JsonElement>();
        var signingSecret = subscription.GetProperty("secret").GetString()!;
        var subscriptionId = subscription.GetProperty("subscription").GetProperty("id").GetString();

        // Without profiles:read the partner may not have customers' data sent either.
        using var profiles = await partner.PostAsJsonAsync("/api/webhooks/subscriptions", new { url = receiver.Url + "/erp/webhooks", eventTypes = new[] { "profile.registered" } });
        Assert.Equal(HttpStatusCode.BadRequest, profiles.StatusCode);

        using var created = await admin.PostAsJsonAsync("/api/catalog/products", new
        {
            sku = "HOSE-20", status = "published", brand = "Gardena", name = new { de = "Gartenschlauch 20 m" },
            variants = new[] { new { sku = "HOSE-20-G", priceGross = 29.99m, taxRate = 0.19m, stockQuantity = 5 } },
        });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);

        var request = await receiver.OnlyDeliveryAsync();
        Assert.Equal("/erp/webhooks", request.Path);
        var body = JsonDocument.Parse(request.Body!).RootElement;
        Assert.Equal("product.published", body.GetProperty("type").GetString());
        Assert.Equal("HOSE-20", body.GetProperty("data").GetProperty("product").GetProperty("sku").GetString());
        string Header(string name) => request.Headers![name].ToString()!;
        var expected = Convert.ToBase64String(HMACSHA256.HashData(Convert.FromBase64String(signingSecret["whsec_".Length..]),
            Encoding.UTF8.GetBytes($"{Header("webhook-id")}.{Header("webhook-timestamp")}.{request.Body}")));
        Assert.Equal("v1," + expected, Header("webhook-signature"));

        // The outcome is recorded just after the receiver answered.
        string? status = null;
        for (var wait = DateTime.UtcNow.AddSeconds(10); status != "delivered" && DateTime.UtcNow < wait; await Task.Delay(100))
        {
            var log = await partner.GetFromJsonAsync<JsonElement>($"/api/webhooks/subscriptions/{subscriptionId}/deliveries");
            status = log.GetProperty("items")[0].GetProperty("status").GetString();
        }

        Assert.Equal("delivered", status);

        var otherShop = await platform.NewTenantAsync();
        using var otherAdmin = otherShop.Admin();
        Assert.Equal(HttpStatusCode.NotFound, (await otherAdmin.GetAsync($"/api/webhooks/subscriptions/{subscriptionId}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await otherAdmin.GetAsync($"/api/webhooks/subscriptions/{subscriptionId}/deliveries")).StatusCode);
    }
}
