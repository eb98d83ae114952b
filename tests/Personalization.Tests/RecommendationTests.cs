using static MachCommerce.Personalization.Tests.PersonalizationRequests;

namespace MachCommerce.Personalization.Tests;

public sealed class RecommendationTests(PersonalizationFixture fixture) : IClassFixture<PersonalizationFixture>
{
    private readonly string _tenant = PersonalizationFixture.NewTenant();

    private HttpClient Shop => fixture.Client(_tenant);

    private Task<JsonElement> RecommendAsync(string query) => Shop.GetFromJsonAsync<JsonElement>("/recommendations?" + query);

    [Fact]
    public async Task Viewed_together_and_bought_together_come_from_what_consenting_visitors_did()
    {
        var catalog = await fixture.CatalogAsync(_tenant);
        var (mower, trimmer, sprinkler, drill) = (catalog.Named("Akku-Rasenmäher"), catalog.Named("Rasentrimmer"), catalog.Named("Rasensprenger"), catalog.Named("Akku-Bohrschrauber"));
        var start = DateTimeOffset.UtcNow.AddMinutes(-30);
        for (var i = 0; i < 3; i++)
        {
            var visitor = PersonalizationFixture.NewVisitor();
            await Shop.TrackAsync(Event("product_viewed", visitor, mower.ProductId, at: start, consent: true), Event("product_viewed", visitor, trimmer.ProductId, at: start.AddMinutes(1)),
                Event("purchased", visitor, mower.ProductId, price: 349m, at: start.AddMinutes(2)), Event("purchased", visitor, sprinkler.ProductId, price: 34m, at: start.AddMinutes(2)));
        }

        var once = PersonalizationFixture.NewVisitor();
        await Shop.TrackAsync(Event("product_viewed", once, mower.ProductId, at: start, consent: true), Event("product_viewed", once, drill.ProductId, at: start.AddMinutes(1)));
        // Without consent nothing links one view to the next.
        var anonymous = PersonalizationFixture.NewVisitor();
        for (var i = 0; i < 5; i++)
        {
            await Shop.TrackAsync(Event("product_viewed", anonymous, mower.ProductId), Event("product_viewed", anonymous, catalog.Named("Multimaster").ProductId));
        }

        var viewed = await RecommendAsync($"strategy=viewed-together&productId={mower.ProductId}&visitorId=someone");
        var bought = await RecommendAsync($"strategy=bought-together&productId={mower.ProductId}&visitorId=someone&locale=en");

        Assert.Equal("viewed-together", viewed.GetProperty("strategy").GetString());
        Assert.Equal([trimmer.ProductId, drill.ProductId], viewed.ProductIds("items"));
        Assert.Equal("viewed_together", viewed.GetProperty("items")[0].GetProperty("reason").GetProperty("code").GetString());
        Assert.Equal([sprinkler.ProductId], bought.ProductIds("items"));
        Assert.Equal("Often bought together with Akku-Rasenmäher Rotak 36", bought.GetProperty("items")[0].GetProperty("reason").GetProperty("text").GetString());
    }

    [Fact]
    public async Task For_you_follows_the_visitors_interests_and_falls_back_to_popular_without_them()
    {
        var catalog = await fixture.CatalogAsync(_tenant);
        var fan = PersonalizationFixture.NewVisitor();
        await Shop.TrackAsync(Event("product_viewed", fan, catalog.Named("Bohrhammer").ProductId, consent: true), Event("product_viewed", fan, catalog.Named("Schlagbohrmaschine").ProductId));
        var crowd = PersonalizationFixture.NewVisitor();
        await Shop.TrackAsync([.. Enumerable.Range(0, 20).Select(_ => Event("product_viewed", crowd, catalog.Named("Gartenpumpe").ProductId))]);
        await PersonalizationFixture.EventuallyAsync(async () => await fixture.ScalarAsync<long>(
            "SELECT count(*) FROM personalization.products WHERE tenant_id = $1 AND trend IS NOT NULL", _tenant) == 3, "popularity was folded in");

        var forFan = await RecommendAsync($"strategy=for-you&visitorId={fan}&limit=3");
        var forStranger = await RecommendAsync($"strategy=for-you&visitorId={PersonalizationFixture.NewVisitor()}&limit=3");

        Assert.Equal("for-you", forFan.GetProperty("strategy").GetString());
        Assert.True(forFan.GetProperty("personalized").GetBoolean());
        Assert.All(forFan.ProductIds("items"), id => Assert.Contains(id, catalog.In(catalog.Tools).Select(p => p.ProductId)));
        Assert.All(forFan.ProductIds("items").Take(2), id => Assert.Contains(id, catalog.In(catalog.Drills).Select(p => p.ProductId)));
        Assert.Equal("popular", forStranger.GetProperty("strategy").GetString());
        Assert.Equal(catalog.Named("Gartenpumpe").ProductId, forStranger.ProductIds("items").First());
        Assert.Equal("popular", forStranger.GetProperty("items")[0].GetProperty("reason").GetProperty("code").GetString());
    }

    [Fact]
    public async Task Popular_in_a_category_and_bad_requests()
    {
        var catalog = await fixture.CatalogAsync(_tenant);

        var popular = await RecommendAsync($"strategy=popular&categoryId={catalog.Saws}&visitorId=x&limit=50");
        var missingProduct = await Shop.GetAsync("/recommendations?strategy=bought-together&visitorId=x");
        var badLimit = await Shop.GetAsync("/recommendations?strategy=popular&visitorId=x&limit=0");
        var badStrategy = await Shop.GetAsync("/recommendations?strategy=magic&visitorId=x");

        Assert.Equal(catalog.In(catalog.Saws).Select(p => p.ProductId).Order(), popular.ProductIds("items").Order());
        Assert.Equal(HttpStatusCode.BadRequest, missingProduct.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, badLimit.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, badStrategy.StatusCode);
    }
}
