using System.Net;
using System.Text.Json;
using MachCommerce.Api.Catalog;
using MachCommerce.Api.Profiles;
using MachCommerce.Api.Webhooks;
using MachCommerce.Client;
using MachCommerce.Client.Catalog;
using MachCommerce.Client.Webhooks;
using MachCommerce.Hosting.Identity;

namespace MachCommerce.Gateway.Tests;

/// <summary>The typed .NET client (MachCommerce.Client) against the real gateway and services, as a partner uses it.</summary>
[Collection(WholePlatform.Name)]
public sealed class ClientLibraryTests(PlatformFixture platform)
{
    [Fact]
    public async Task With_an_admin_key_the_client_writes_reads_pages_and_turns_refusals_into_exceptions_with_the_fields()
    {
        var tenant = await platform.NewTenantAsync();
        using var client = MachCommerceClient.Create(o => { o.BaseAddress = platform.Gateway.Address; o.ApiKey = tenant.AdminKey; });

        var created = await client.Catalog.CreateProductAsync(Product("CL-1", "Rasenmäher"));
        Assert.Equal("CL-1", created.Sku);
        var read = await client.Catalog.GetProductAsync(created.Id);
        Assert.Equal("Rasenmäher", read.Name["de"]);
        var replaced = await client.Catalog.ReplaceProductAsync(created.Id, Product("CL-1", "Rasenmäher 2000"), ETags.Of(read.Version));
        Assert.Equal(read.Version + 1, replaced.Version);

        // A stale version and bad input come back as exceptions carrying what the platform said.
        var stale = await Assert.ThrowsAsync<MachCommerceApiException>(() => client.Catalog.ReplaceProductAsync(created.Id, Product("CL-1", "alt"), ETags.Of(read.Version)));
        Assert.Equal(HttpStatusCode.PreconditionFailed, stale.Status);
        var invalid = await Assert.ThrowsAsync<MachCommerceApiException>(() => client.Catalog.CreateProductAsync(new ProductInput { Sku = "CL-2" }));
        Assert.Equal(HttpStatusCode.BadRequest, invalid.Status);
        Assert.Contains("name", invalid.Errors.Keys);
        var missing = await Assert.ThrowsAsync<MachCommerceApiException>(() => client.Catalog.GetProductAsync(Guid.NewGuid()));
        Assert.Equal(HttpStatusCode.NotFound, missing.Status);

        for (var i = 0; i < 5; i++)
        {
            await client.Profiles.CreateProfileAsync(new ProfileInput { Email = $"kunde{i}@example.com", FirstName = "Kundin", LastName = $"Nr. {i}" });
        }

        // Cursor pages as one sequence: five profiles, two to a page.
        var emails = new List<string?>();
        await foreach (var profile in Pages.ReadAllAsync((cursor, ct) => client.Profiles.ListProfilesAsync(cursor, 2, ct), p => p.Items, p => p.NextCursor))
        {
            emails.Add(profile.Email);
        }

        Assert.Equal(5, emails.Distinct().Count());
        Assert.Contains(created.Id, await client.Catalog.AllProductsAsync().Select(p => p.Id).ToListAsync());
    }

    [Fact]
    public async Task With_client_credentials_a_partner_subscribes_to_webhooks_and_verifies_what_arrives_and_a_write_it_may_not_make_is_refused()
    {
        using var receiver = PartnerReceiver.Start();
        var tenant = await platform.NewTenantAsync();
        using var admin = tenant.Admin();
        var (clientId, secret) = await ClientCredentialsTests.CreateClientAsync(admin, Scopes.CatalogRead, Scopes.WebhooksManage);
        using var partner = MachCommerceClient.Create(o => { o.BaseAddress = platform.Gateway.Address; o.ClientId = clientId; o.ClientSecret = secret; });

        var subscription = await partner.Webhooks.CreateSubscriptionAsync(new SubscriptionInput(receiver.Url + "/hooks", ["product.published"], "ERP", true));
        Assert.StartsWith("whsec_", subscription.Secret, StringComparison.Ordinal);
        Assert.Contains(await partner.Webhooks.ListEventTypesAsync(), t => t.Name == "product.published");

        using var shop = MachCommerceClient.Create(o => { o.BaseAddress = platform.Gateway.Address; o.ApiKey = tenant.AdminKey; });
        await shop.Catalog.CreateProductAsync(Product("HOOK-1", "Schlauchwagen"));
        var request = await receiver.OnlyDeliveryAsync();
        var verifier = new WebhookVerifier(subscription.Secret);
        Assert.True(verifier.IsValid(name => request.Headers!.TryGetValue(name, out var values) ? values.ToString() : null, request.Body!));
        Assert.False(verifier.IsValid(name => request.Headers!.TryGetValue(name, out var values) ? values.ToString() : null, request.Body!.Replace("HOOK-1", "HOOK-2", StringComparison.Ordinal)));
        Assert.False(new WebhookVerifier(Dispatch.NewSecret()).IsValid(name => request.Headers!.TryGetValue(name, out var values) ? values.ToString() : null, request.Body!));

        // The outcome is recorded just after the receiver answered.
        var delivered = await partner.Webhooks.AllDeliveriesAsync(subscription.Subscription.Id).ToListAsync();
        for (var wait = DateTime.UtcNow.AddSeconds(10); delivered is not [{ Status: "delivered" }] && DateTime.UtcNow < wait; await Task.Delay(100))
        {
            delivered = await partner.Webhooks.AllDeliveriesAsync(subscription.Subscription.Id).ToListAsync();
        }

        Assert.Equal("delivered", Assert.Single(delivered).Status);

        // The token carries the client's scopes: reading the catalog works, writing it does not.
        Assert.NotEmpty((await partner.Catalog.ListProductsAsync()).Items);
        var refused = await Assert.ThrowsAsync<MachCommerceApiException>(() => partner.Catalog.CreateProductAsync(Product("NOPE", "Nein")));
        Assert.Equal(HttpStatusCode.Forbidden, refused.Status);
        Assert.Contains(Scopes.CatalogWrite, refused.Detail ?? refused.Body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_rate_limited_read_is_retried_after_the_gateways_Retry_After_and_succeeds()
    {
        var tenant = await platform.NewTenantAsync();
        var slowKey = await tenant.KeyAsync(new { kind = "partner", name = "slow erp", scopes = new[] { Scopes.CatalogRead }, ratePerSecond = 1, burst = 1 });
        using var client = MachCommerceClient.Create(o => { o.BaseAddress = platform.Gateway.Address; o.ApiKey = slowKey; });
        for (var i = 0; i < 3; i++)
        {
            await client.Catalog.ListProductsAsync(limit: 1); // the 2nd and 3rd are answered 429 first, then retried
        }
    }

    [Fact]
    public void Options_that_name_no_credential_or_two_are_refused_before_any_request()
    {
        Assert.Throws<ArgumentException>(() => MachCommerceClient.Create(o => o.BaseAddress = new Uri("https://api.shop.example/")));
        Assert.Throws<ArgumentException>(() => MachCommerceClient.Create(o => { o.BaseAddress = new Uri("https://api.shop.example/"); o.ApiKey = "k"; o.ClientId = "c"; o.ClientSecret = "s"; }));
        Assert.Throws<ArgumentException>(() => MachCommerceClient.Create(o => o.ApiKey = "k"));
    }

    private static ProductInput Product(string sku, string name) => new()
    {
        Sku = sku, Status = "published", Brand = "Gardena", Name = new Dictionary<string, string> { ["de"] = name },
        Variants = [new VariantInput { Sku = sku + "-V", PriceGross = 199m, TaxRate = 0.19m, StockQuantity = 3 }],
    };

    private static class Dispatch
    {
        public static string NewSecret() => "whsec_" + Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32));
    }
}
