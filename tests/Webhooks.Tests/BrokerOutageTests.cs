using MachCommerce.Catalog;

namespace MachCommerce.Webhooks.Tests;

/// <summary>End to end on a broker of its own (stopping it disturbs no other test): catalog → outbox → RabbitMQ → webhooks → partner.</summary>
public sealed class BrokerOutageTests
{
    [Fact]
    public async Task Products_published_while_RabbitMQ_is_down_all_reach_the_partner_after_it_restarts()
    {
        const int products = 20;
        var catalogDatabase = await TestServers.CreateDatabaseAsync("catalog_outage");
        var webhooksDatabase = await TestServers.CreateDatabaseAsync("webhooks_outage");
        await using var broker = await OwnBroker.StartAsync("webhooks-outage");
        using var receiver = WebhooksFixture.NewReceiver();
        receiver.Given(Request.Create().UsingPost()).RespondWith(Response.Create().WithStatusCode(200));
        try
        {
            await using var catalog = ServiceUnderTest.Start<CatalogOptions>("services/catalog", catalogDatabase, broker.Uri);
            await using var webhooks = ServiceUnderTest.Start<WebhooksDatabase>("services/webhooks", webhooksDatabase, broker.Uri,
                settings: WebhooksFixture.ShortTimes(allowLoopback: true));
            await webhooks.AnonymousClient().WaitUntilBusHealthyAsync();
            var tenant = WebhooksFixture.NewTenant();
            using (var subscribed = await webhooks.Client(tenant).PostAsJsonAsync("/subscriptions", new { url = receiver.Url + "/hooks", eventTypes = new[] { "product.published" } }))
            {
                Assert.Equal(HttpStatusCode.Created, subscribed.StatusCode);
            }

            var shop = catalog.Client(tenant);
            await CreateAsync(shop, "WARM-UP");
            await WebhooksFixture.EventuallyAsync(() => Task.FromResult(receiver.LogEntries.Count >= 1), "the warm-up product arrived", TimeSpan.FromSeconds(60));

            await broker.StopAsync();
            for (var i = 0; i < products; i++)
            {
                await CreateAsync(shop, $"OUTAGE-{i:D2}");
            }

            await broker.RestartAsync();
            // At least once: a slow answer (the attempt timeout is 1 s here) is sent again under the same webhook-id,
            // so the test counts products and ids, not requests.
            await WebhooksFixture.EventuallyAsync(() => Task.FromResult(Delivered(receiver).Select(d => d.Sku).Distinct().Count() >= products + 1), "every product arrived",
                TimeSpan.FromSeconds(120));

            var delivered = Delivered(receiver);
            var skus = delivered.Select(d => d.Sku).ToHashSet();
            Assert.Equal(products + 1, skus.Count);
            Assert.True(skus.Count == delivered.Select(d => d.WebhookId).Distinct().Count(),
                "one webhook-id per product expected, got: " + string.Join(", ", delivered.Select(d => $"{d.Sku}={d.WebhookId}")));
            Assert.All(Enumerable.Range(0, products), i => Assert.Contains($"OUTAGE-{i:D2}", skus));
        }
        finally
        {
            await TestServers.DropDatabaseAsync(catalogDatabase);
            await TestServers.DropDatabaseAsync(webhooksDatabase);
        }
    }

    /// <summary>Each request the partner received: its webhook-id and the product's SKU.</summary>
    private static List<(string WebhookId, string? Sku)> Delivered(WireMock.Server.WireMockServer receiver) => receiver.LogEntries
        .Select(e => (
            e.RequestMessage.Headers!.First(h => string.Equals(h.Key, "webhook-id", StringComparison.OrdinalIgnoreCase)).Value.ToString(),
            JsonDocument.Parse(e.RequestMessage.Body!).RootElement.GetProperty("data").GetProperty("product").GetProperty("sku").GetString()))
        .ToList();

    private static async Task CreateAsync(HttpClient shop, string sku)
    {
        using var response = await shop.PostAsJsonAsync("/products", new
        {
            sku, status = "published", brand = "Gardena", name = new { de = $"Schlauch {sku}" },
            variants = new[] { new { sku = sku + "-V", priceGross = 19.99m, taxRate = 0.19m, stockQuantity = 5 } },
        });
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
    }
}
