using MachCommerce.Contracts.Gdpr.V1;
using MachCommerce.Hosting.Identity;
using RabbitMQ.Client;
using static MachCommerce.Personalization.Tests.PersonalizationRequests;

namespace MachCommerce.Personalization.Tests;

public sealed class GdprTests(PersonalizationFixture fixture) : IClassFixture<PersonalizationFixture>
{
    private readonly string _tenant = PersonalizationFixture.NewTenant();

    private HttpClient Shop => fixture.Client(_tenant);

    /// <summary>A consenting customer with two visitor ids, behaviour, offers shown and an experiment exposure.</summary>
    private async Task<(Guid Customer, string Linked, string Anonymous)> CustomerWithHistoryAsync()
    {
        var catalog = await fixture.CatalogAsync(_tenant);
        await Shop.CreateAsync("/offers", Offer("Gartenwochen", categories: [catalog.Garden]));
        var experiment = (await Shop.CreateAsync("/experiments", new
        {
            name = "GDPR-Test", placement = "home-hero",
            variants = new object[] { new { key = "a", strategy = "broadcast", weight = 1 }, new { key = "b", strategy = "personalized", weight = 1 } },
        })).GetProperty("id").GetGuid();
        await Shop.PostAsync($"/experiments/{experiment}/start", null);
        var linked = PersonalizationFixture.NewVisitor();
        var anonymous = PersonalizationFixture.NewVisitor();
        var customer = await fixture.CustomerAsync(_tenant, consent: true, visitorId: linked);
        await Shop.TrackAsync([.. catalog.In(catalog.Garden).Select(p => Event("product_viewed", linked, p.ProductId)),
            Event("searched", linked, query: "rasensprenger"), Event("purchased", linked, catalog.Products[0].ProductId, price: 349m),
            Event("product_viewed", anonymous, catalog.Products[9].ProductId, consent: true)]);
        await Shop.DecideAsync(linked);
        await Shop.DecideAsync(anonymous);
        return (customer, linked, anonymous);
    }

    private Task<long> RowsAboutAsync(Guid customer, params string[] visitors) => fixture.ScalarAsync<long>("""
        SELECT (SELECT count(*) FROM personalization.subject_models WHERE tenant_id = $1 AND (profile_id = $2 OR subject_key = ANY($3)))
             + (SELECT count(*) FROM personalization.events WHERE tenant_id = $1 AND (profile_id = $2 OR visitor_id = ANY($4) OR subject_key = ANY($3)))
             + (SELECT count(*) FROM personalization.impressions WHERE tenant_id = $1 AND subject_key = ANY($3))
             + (SELECT count(*) FROM personalization.exposures WHERE tenant_id = $1 AND subject_key = ANY($3))
             + (SELECT count(*) FROM personalization.visitors WHERE tenant_id = $1 AND (profile_id = $2 OR visitor_id = ANY($4)))
             + (SELECT count(*) FROM personalization.profiles WHERE tenant_id = $1 AND profile_id = $2)
        """, _tenant, customer, new[] { $"p:{customer:N}" }.Concat(visitors.Select(v => "v:" + v)).ToArray(), visitors);

    [Fact]
    public async Task The_export_holds_the_customers_consent_visitors_model_events_offers_and_experiments()
    {
        var (customer, linked, _) = await CustomerWithHistoryAsync();

        var export = await fixture.Client(_tenant, Scopes.GdprExport).GetFromJsonAsync<JsonElement>($"/gdpr/profiles/{customer}/export");

        Assert.True(export.GetProperty("profile")[0].GetProperty("personalizationConsent").GetBoolean());
        Assert.Equal([linked], export.GetProperty("visitorIds").EnumerateArray().Select(v => v.GetString()));
        Assert.Equal(10, export.GetProperty("events").GetArrayLength());
        Assert.Contains(export.GetProperty("events").EnumerateArray(), e => e.GetProperty("query").GetString() == "rasensprenger");
        Assert.Equal(1, export.GetProperty("models").GetArrayLength());
        Assert.Equal(1, export.GetProperty("offersShown").GetArrayLength());
        Assert.Equal(1, export.GetProperty("experiments").GetArrayLength());
    }

    [Fact]
    public async Task The_export_needs_the_gdpr_export_scope()
    {
        var response = await fixture.Client(_tenant, Scopes.PersonalizationManage).GetAsync($"/gdpr/profiles/{Guid.NewGuid()}/export");

        Assert.Equal(System.Net.HttpStatusCode.Forbidden, response.StatusCode);
    }

    [Fact]
    public async Task Erasure_removes_every_row_of_the_profile_and_its_visitors_and_is_confirmed()
    {
        var (customer, linked, anonymous) = await CustomerWithHistoryAsync();
        var bystander = PersonalizationFixture.NewVisitor();
        await Shop.TrackAsync(Event("product_viewed", bystander, Guid.NewGuid(), consent: true));
        await using var connection = await new ConnectionFactory { Uri = fixture.Broker }.CreateConnectionAsync();
        await using var channel = await connection.CreateChannelAsync();
        var queue = await channel.ListenAsync<ErasureConfirmed>();
        Assert.True(await RowsAboutAsync(customer, linked, anonymous) > 15);

        var erasureId = Guid.NewGuid();
        await fixture.PublishAsync(new ErasureRequested { TenantId = _tenant, OccurredAt = DateTimeOffset.UtcNow, ErasureId = erasureId, ProfileId = customer, VisitorIds = [linked, anonymous] });
        var confirmation = await channel.NextEventAsync(queue, e => e.GetProperty("erasureId").GetGuid() == erasureId, TimeSpan.FromSeconds(15));

        Assert.Equal("personalization", confirmation.GetProperty("service").GetString());
        Assert.Equal(_tenant, confirmation.GetProperty("tenantId").GetString());
        Assert.Equal(0, await RowsAboutAsync(customer, linked, anonymous));
        Assert.Equal(0L, await fixture.ScalarAsync<long>("SELECT count(*) FROM personalization.events WHERE tenant_id = $1 AND query IS NOT NULL", _tenant));
        Assert.True(await RowsAboutAsync(Guid.NewGuid(), bystander) > 0, "another visitor's data is untouched");
    }
}
