using static MachCommerce.Personalization.Tests.PersonalizationRequests;

namespace MachCommerce.Personalization.Tests;

/// <summary>Two shops on one platform, the same visitor id in both: neither sees or moves anything of the other's.</summary>
public sealed class TenantIsolationTests(PersonalizationFixture fixture) : IClassFixture<PersonalizationFixture>
{
    [Fact]
    public async Task Definitions_behaviour_and_decisions_stay_inside_their_tenant()
    {
        var (a, b) = (PersonalizationFixture.NewTenant(), PersonalizationFixture.NewTenant());
        var (shopA, shopB) = (fixture.Client(a), fixture.Client(b));
        var catalogA = await fixture.CatalogAsync(a);
        var catalogB = await fixture.CatalogAsync(b);
        var offerA = await shopA.CreateAsync("/offers", Offer("Nur bei A", categories: [catalogA.Garden]));
        var segmentA = await shopA.CreateAsync("/segments", new { name = "A-Kunden", conditions = new { field = "known", op = "eq", value = false } });
        var offerB = await shopB.CreateAsync("/offers", Offer("Nur bei B", categories: [catalogB.Tools]));
        const string visitor = "v-shared-between-shops";

        await shopA.TrackAsync([.. catalogA.In(catalogA.Garden).Select(p => Event("product_viewed", visitor, p.ProductId, consent: true))]);
        // B names A's products: they do not exist in B's read model, so they change nothing there.
        var inB = await shopB.TrackAsync([.. catalogA.In(catalogA.Garden).Select(p => Event("product_viewed", visitor, p.ProductId))]);
        var decisionA = await shopA.DecideAsync(visitor, maxOffers: 10);
        var decisionB = await shopB.DecideAsync(visitor, maxOffers: 10);
        var subjectB = await shopB.GetFromJsonAsync<JsonElement>($"/subjects?visitorId={visitor}");

        Assert.Equal([offerA.GetProperty("id").GetGuid()], decisionA.OfferIds());
        Assert.Equal([offerB.GetProperty("id").GetGuid()], decisionB.OfferIds());
        Assert.True(decisionA.GetProperty("personalized").GetBoolean());
        Assert.False(decisionB.GetProperty("personalized").GetBoolean()); // no consent was given in B
        Assert.Equal(0, inB.GetProperty("personal").GetInt32());
        Assert.False(subjectB.GetProperty("consent").GetBoolean());
        Assert.All(decisionB.GetProperty("offers")[0].ProductIds(), id => Assert.Contains(id, catalogB.Products.Select(p => p.ProductId)));
        Assert.Equal(HttpStatusCode.NotFound, (await shopB.GetAsync($"/offers/{offerA.GetProperty("id")}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await shopB.GetAsync($"/segments/{segmentA.GetProperty("id")}/members")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await shopB.DeleteAsync($"/offers/{offerA.GetProperty("id")}")).StatusCode);
        Assert.Equal(["Nur bei B"], (await shopB.GetFromJsonAsync<JsonElement>("/offers")).GetProperty("items").EnumerateArray().Select(o => o.GetProperty("name").GetString()));
        Assert.Null(await fixture.ScalarAsync<double?>("SELECT max(trend) FROM personalization.products WHERE tenant_id = $1", b));
    }

    [Fact]
    public async Task Row_level_security_hides_other_tenants_rows_even_from_a_query_that_forgets_the_filter()
    {
        var (a, b) = (PersonalizationFixture.NewTenant(), PersonalizationFixture.NewTenant());
        await fixture.Client(a).CreateAsync("/segments", new { name = "A", conditions = new { field = "known", op = "exists" } });
        await fixture.Client(b).CreateAsync("/segments", new { name = "B", conditions = new { field = "known", op = "exists" } });
        var database = (PersonalizationDatabase)fixture.Services.GetService(typeof(PersonalizationDatabase))!;

        await using var scope = await database.BeginAsync(a, CancellationToken.None);
        await using var command = new Npgsql.NpgsqlCommand("SELECT string_agg(name, ',') FROM segments WHERE name IN ('A', 'B')", scope.Connection, scope.Transaction);

        Assert.Equal("A", await command.ExecuteScalarAsync());
    }
}
