using MachCommerce.Api.Catalog;
using MachCommerce.Api.Gateway;
using MachCommerce.Api.Personalization;
using MachCommerce.Api.Profiles;
using MachCommerce.Api.Webhooks;
using MachCommerce.Client.Admin;
using MachCommerce.Client.Catalog;
using MachCommerce.Client.Personalization;
using MachCommerce.Client.Webhooks;
using System.Net;

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
        await foreach (var profile in Pages.ReadAllAsync((cursor, ct) => client.Profiles.ListProfilesAsync(cursor, 2, cancellationToken: ct), p => p.Items, p => p.NextCursor))
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
    public async Task A_merchant_runs_a_campaign_through_the_client_segment_offer_decision_events_experiment_and_its_report()
    {
        var tenant = await platform.NewTenantAsync();
        using var admin = tenant.Admin();
        var shop = await ShopData.CreateForPersonalizationAsync(admin);
        using var client = MachCommerceClient.Create(o => { o.BaseAddress = platform.Gateway.Address; o.ApiKey = tenant.AdminKey; });
        var personalization = client.Personalization;

        // A segment: written, read, replaced against its version, listed.
        var conditions = JsonSerializer.SerializeToElement(new { field = "rfm.frequency", op = "gte", value = 2 });
        var segment = await personalization.CreateSegmentAsync(new SegmentInput("Stammkunden", "kaufen öfter", "active", conditions));
        Assert.Equal(1, segment.Version);
        var renamed = await personalization.ReplaceSegmentAsync(segment.Id, new SegmentInput("Stammkundschaft", "kaufen öfter", "active", conditions), ETags.Of(segment.Version));
        Assert.Equal(("Stammkundschaft", 2), (renamed.Name, renamed.Version));
        Assert.Equal(2, (await personalization.GetSegmentAsync(segment.Id)).Conditions.GetProperty("value").GetInt32());
        Assert.Contains(segment.Id, await personalization.AllSegmentsAsync().Select(s => s.Id).ToListAsync());

        // An offer for everybody on the home page, with the garden's products.
        var offer = await personalization.CreateOfferAsync(new OfferInput(
            "Gartenwochen", "active", ["home-hero", "home-hero"], null,
            new Dictionary<string, OfferContent> { ["de"] = new("Gartenwochen", "Nur diese Woche", null, "Jetzt ansehen", null) },
            new OfferSelection([shop.Garden], null, null, null), new OfferIncentive("percent", 10, "GARTEN10"), null, null, null, null));
        Assert.Equal(["home-hero"], offer.Placements);
        Assert.Equal(4, offer.Selection!.MaxProducts); // the default, filled in
        Assert.Equal(0, offer.Priority);

        // Bad input comes back with each field's path.
        var invalid = await Assert.ThrowsAsync<MachCommerceApiException>(() => personalization.CreateOfferAsync(new OfferInput(
            "", "active", ["nowhere"], null, null, null, new OfferIncentive("percent", 150, null), null, null, null, null)));
        Assert.Equal(HttpStatusCode.BadRequest, invalid.Status);
        Assert.Contains("name", invalid.Errors.Keys);
        Assert.Contains("placements[0]", invalid.Errors.Keys);
        Assert.Contains("incentive.value", invalid.Errors.Keys);

        // A shopper's decision names the offer, its reason and its products; the shopper's events are taken in.
        var visitor = "v-" + Guid.NewGuid().ToString("N")[..12];
        var decision = await personalization.DecideAsync(new DecisionRequest(visitor, null, "home-hero", null, "de", 1));
        var shown = Assert.Single(decision.Offers);
        Assert.Equal(offer.Id, shown.OfferId);
        Assert.False(string.IsNullOrEmpty(shown.Reason.Text));
        Assert.NotEmpty(shown.Products);
        Assert.All(shown.Products, p => Assert.False(string.IsNullOrEmpty(p.Reason.Text)));
        var ingested = await personalization.TrackEventsAsync(new EventBatchInput([
            new BehaviourEventInput(Guid.NewGuid(), "offer_shown", visitor, null, DateTimeOffset.UtcNow, "web", "home-hero", null, null, null, null, null, null, null,
                offer.Id, decision.DecisionId, true),
            new BehaviourEventInput(Guid.NewGuid(), "product_viewed", visitor, null, DateTimeOffset.UtcNow, "web", null, shown.Products[0].ProductId, null, null, null, null,
                null, null, null, null, true),
        ]));
        Assert.Equal(2, ingested.Accepted);
        var popular = await personalization.RecommendAsync("popular", visitor, limit: 3);
        Assert.Equal("popular", popular.Requested);
        var stats = await personalization.GetOfferStatsAsync(offer.Id, days: 7);
        Assert.Equal(offer.Id, stats.OfferId);

        // An experiment: planned, created, started, reported on (too early for a verdict), stopped.
        var plan = await personalization.PlanExperimentAsync(new PlanInput("home-hero", 0.1, "conversionRate", 2, 0.8, 0.05, null, null, 500));
        Assert.True(plan.SubjectsPerArm > 0 && plan.Days > 0);
        var experiment = await personalization.CreateExperimentAsync(new ExperimentInput("Persönlich gegen Werbung", null, "home-hero",
            [new ExperimentVariantInput("control", "broadcast", 50), new ExperimentVariantInput("personal", "personalized", 50)], "control", null));
        Assert.Equal(("draft", 168), (experiment.Status, experiment.AttributionWindowHours));
        var started = await personalization.StartExperimentAsync(experiment.Id);
        Assert.Equal("running", started.Status);
        Assert.NotNull(started.StartedAt);
        var report = await personalization.GetExperimentReportAsync(experiment.Id);
        Assert.Equal(2, report.Variants.Count);
        Assert.NotEqual("winner", report.Verdict.Status);
        Assert.False(string.IsNullOrEmpty(report.Verdict.De));
        Assert.Equal(experiment.Id, (await personalization.GetExperimentDailySeriesAsync(experiment.Id)).ExperimentId);
        var cannotChange = await Assert.ThrowsAsync<MachCommerceApiException>(() => personalization.ReplaceExperimentAsync(experiment.Id,
            new ExperimentInput("anders", null, "home-hero", [new ExperimentVariantInput("control", "broadcast", 50)], "control", null), ETags.Of(started.Version)));
        Assert.Equal(HttpStatusCode.BadRequest, cannotChange.Status);
        Assert.Equal("stopped", (await personalization.StopExperimentAsync(experiment.Id)).Status);
        var holdout = await personalization.GetHoldoutReportAsync(DateOnly.FromDateTime(DateTime.UtcNow.AddDays(-7)), DateOnly.FromDateTime(DateTime.UtcNow));
        Assert.NotNull(holdout.Verdict);
    }

    [Fact]
    public async Task An_ERP_keeps_categories_and_a_B2B_price_list_and_a_CRM_keeps_consents_and_answers_GDPR_requests_through_the_client()
    {
        var tenant = await platform.NewTenantAsync();
        using var client = MachCommerceClient.Create(o => { o.BaseAddress = platform.Gateway.Address; o.ApiKey = tenant.AdminKey; });

        // Categories: a tree, changed against its version; a missing parent is refused by its field.
        var garden = await client.CatalogStructure.CreateCategoryAsync(new CategoryInput("garten", new() { ["de"] = "Garten" }, null, 1));
        var lawn = await client.CatalogStructure.CreateCategoryAsync(new CategoryInput("rasen", new() { ["de"] = "Rasen" }, garden.Id, 1));
        var renamed = await client.CatalogStructure.ReplaceCategoryAsync(lawn.Id, new CategoryInput("rasen", new() { ["de"] = "Rasen & Wiese" }, garden.Id, 1), ETags.Of(lawn.Version));
        Assert.Equal("Rasen & Wiese", renamed.Name["de"]);
        var tree = await client.CatalogStructure.GetCategoryTreeAsync();
        Assert.Equal("Rasen & Wiese", Assert.Single(Assert.Single(tree).Children).Name["de"]);
        var orphan = await Assert.ThrowsAsync<MachCommerceApiException>(() => client.CatalogStructure.CreateCategoryAsync(new CategoryInput("weg", new() { ["de"] = "Weg" }, Guid.NewGuid(), 1)));
        Assert.Contains("parentId", orphan.Errors.Keys);

        // A product in it, found by search with a typo; a price list for the trade.
        var mower = await client.Catalog.CreateProductAsync(Product("ERP-1", "Rasenmäher Silent") with { CategoryIds = [lawn.Id] });
        var found = await client.CatalogStructure.SearchAsync("rasenmäer");
        Assert.Contains(found.Items, p => p.Id == mower.Id);
        Assert.Contains(found.Facets.Categories, f => f.Value == lawn.Id.ToString());
        var list = await client.CatalogStructure.ReplacePriceListAsync("fachhandel", new PriceListInput("Fachhandel", [new PriceListEntry("ERP-1-V", 120m)]));
        Assert.Equal(120m, Assert.Single(list.Entries).PriceNet);
        Assert.Contains(await client.CatalogStructure.ListPriceListsAsync(), l => l.CustomerGroup == "fachhandel");
        var negative = await Assert.ThrowsAsync<MachCommerceApiException>(() =>
            client.CatalogStructure.ReplacePriceListAsync("fachhandel", new PriceListInput("Fachhandel", [new PriceListEntry("ERP-2-V", 5m), new PriceListEntry("ERP-1-V", -5m)])));
        Assert.Contains("entries[1].priceNet", negative.Errors.Keys);
        Assert.Equal(120m, Assert.Single((await client.CatalogStructure.GetPriceListAsync("fachhandel")).Entries).PriceNet); // nothing half-applied

        // Consents, a linked visitor, the export and the erasure of one customer.
        var customer = await client.Profiles.CreateProfileAsync(new ProfileInput { Email = "crm@example.com", FirstName = "Clara", LastName = "Rehm" });
        await client.ProfileRights.SetConsentAsync(customer.Id, "personalization", new ConsentInput(true, "partner", "2026-01"));
        await client.ProfileRights.SetConsentAsync(customer.Id, "personalization", new ConsentInput(false, "partner", "2026-01"));
        Assert.False((await client.ProfileRights.GetConsentsAsync(customer.Id)).Single(c => c.Purpose == "personalization").Granted);
        Assert.Equal([true, false], (await client.ProfileRights.GetConsentHistoryAsync(customer.Id)).Select(c => c.Granted));
        var badPurpose = await Assert.ThrowsAsync<MachCommerceApiException>(() => client.ProfileRights.SetConsentAsync(customer.Id, "everything", new ConsentInput(true, "partner", "2026-01")));
        Assert.Equal(HttpStatusCode.BadRequest, badPurpose.Status);
        var visitor = "v-" + Guid.NewGuid().ToString("N")[..12];
        Assert.Equal(customer.Id, (await client.ProfileRights.LinkVisitorAsync(customer.Id, new VisitorLinkInput(visitor))).ProfileId);
        Assert.Contains(await client.ProfileRights.ListVisitorsAsync(customer.Id), v => v.VisitorId == visitor);
        var export = await client.ProfileRights.ExportAsync(customer.Id);
        Assert.Contains("crm@example.com", export.GetRawText(), StringComparison.Ordinal);
        var erasure = await client.ProfileRights.EraseAsync(customer.Id);
        Assert.Equal(erasure.ErasureId, (await client.ProfileRights.EraseAsync(customer.Id)).ErasureId); // asking twice is the same erasure
        Assert.Equal(erasure.ErasureId, (await client.ProfileRights.GetErasureAsync(erasure.ErasureId)).ErasureId);
    }

    [Fact]
    public async Task The_shops_admin_makes_a_partner_key_with_the_client_uses_it_and_revokes_it_and_issues_a_customer_token()
    {
        var tenant = await platform.NewTenantAsync();
        using var shop = MachCommerceClient.Create(o => { o.BaseAddress = platform.Gateway.Address; o.ApiKey = tenant.AdminKey; });

        var created = await shop.Admin.CreateKeyAsync(new KeyInput("partner", "ERP", [Scopes.CatalogRead], null, 5, 10, null));
        Assert.Equal(("partner", "active"), (created.Details.Kind, created.Details.Status));
        Assert.StartsWith(created.Details.Prefix, created.Key, StringComparison.Ordinal);
        Assert.Contains(created.Details.Id, await shop.Admin.AllKeysAsync().Select(k => k.Id).ToListAsync());

        using (var erp = MachCommerceClient.Create(o => { o.BaseAddress = platform.Gateway.Address; o.ApiKey = created.Key; }))
        {
            Assert.NotNull(await erp.Catalog.ListProductsAsync(limit: 1));
            await shop.Admin.RevokeKeyAsync(created.Details.Id);
            var revoked = await Assert.ThrowsAsync<MachCommerceApiException>(() => erp.Catalog.ListProductsAsync(limit: 1));
            Assert.Equal(HttpStatusCode.Unauthorized, revoked.Status);
        }

        Assert.Equal("revoked", (await shop.Admin.GetKeyAsync(created.Details.Id)).Status);
        var bad = await Assert.ThrowsAsync<MachCommerceApiException>(() => shop.Admin.CreateKeyAsync(new KeyInput("superuser", null, ["everything"], null, null, null, null)));
        Assert.Contains("kind", bad.Errors.Keys);
        Assert.Contains("name", bad.Errors.Keys);

        var customer = await shop.Profiles.CreateProfileAsync(new ProfileInput { Email = "b2b@example.com", FirstName = "Bea", LastName = "Bau" });
        var token = await shop.Admin.IssueCustomerTokenAsync(new CustomerTokenInput(customer.Id, 15));
        Assert.Equal(customer.Id, token.ProfileId);
        Assert.InRange(token.ExpiresAt, DateTimeOffset.UtcNow.AddMinutes(14), DateTimeOffset.UtcNow.AddMinutes(16));
        var unknown = await Assert.ThrowsAsync<MachCommerceApiException>(() => shop.Admin.IssueCustomerTokenAsync(new CustomerTokenInput(Guid.NewGuid(), 15)));
        Assert.Equal(HttpStatusCode.NotFound, unknown.Status);
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
