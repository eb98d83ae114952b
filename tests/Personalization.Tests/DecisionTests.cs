using static MachCommerce.Personalization.Tests.PersonalizationRequests;

namespace MachCommerce.Personalization.Tests;

public sealed class DecisionTests(PersonalizationFixture fixture) : IClassFixture<PersonalizationFixture>
{
    private static readonly string[] TradeBranches = ["Sanitär", "Elektro"];

    private readonly string _tenant = PersonalizationFixture.NewTenant();

    private HttpClient Shop => fixture.Client(_tenant);

    /// <summary>Two offers on the home page, the tool offer with the higher priority: the broadcast favourite.</summary>
    private async Task<(TestCatalog Catalog, Guid GardenOffer, Guid ToolOffer)> TwoOffersAsync()
    {
        var catalog = await fixture.CatalogAsync(_tenant);
        var garden = (await Shop.CreateAsync("/offers", Offer("Gartenwochen", categories: [catalog.Garden], priority: 10))).GetProperty("id").GetGuid();
        var tools = (await Shop.CreateAsync("/offers", Offer("Werkzeug-Deals", categories: [catalog.Tools], priority: 20))).GetProperty("id").GetGuid();
        return (catalog, garden, tools);
    }

    [Fact]
    public async Task A_visitor_who_views_garden_tools_gets_the_garden_offer_with_a_reason_naming_what_they_looked_at()
    {
        var (catalog, gardenOffer, toolOffer) = await TwoOffersAsync();
        var visitor = PersonalizationFixture.NewVisitor();
        await fixture.CustomerAsync(_tenant, consent: true, visitorId: visitor);

        var before = await Shop.DecideAsync(visitor, maxOffers: 1);
        await Shop.TrackAsync(
            Event("product_viewed", visitor, catalog.Named("Schlauchwagen").ProductId, at: DateTimeOffset.UtcNow.AddMinutes(-3)),
            Event("product_viewed", visitor, catalog.Named("Rasensprenger").ProductId, at: DateTimeOffset.UtcNow.AddMinutes(-2)),
            Event("added_to_cart", visitor, catalog.Named("Gartenschlauch").ProductId, at: DateTimeOffset.UtcNow.AddMinutes(-1)));
        var after = await Shop.DecideAsync(visitor, maxOffers: 1);

        Assert.Equal([toolOffer], before.OfferIds());
        Assert.Equal([gardenOffer], after.OfferIds());
        Assert.True(after.GetProperty("personalized").GetBoolean());
        var offer = after.GetProperty("offers")[0];
        var reason = offer.GetProperty("reason");
        Assert.Equal("in_cart", reason.GetProperty("code").GetString());
        Assert.Equal("Weil Gartenschlauch Classic 20 m in deinem Warenkorb liegt", reason.GetProperty("text").GetString());
        Assert.Equal("Gartenwochen", offer.GetProperty("content").GetProperty("headline").GetString());
        var products = offer.ProductIds().ToList();
        Assert.Equal(4, products.Count);
        Assert.All(products, id => Assert.Contains(id, catalog.In(catalog.Garden).Select(p => p.ProductId)));
        Assert.DoesNotContain(catalog.Named("Gartenschlauch").ProductId, products); // already in the cart
        Assert.All(offer.GetProperty("products").EnumerateArray(), p => Assert.False(string.IsNullOrEmpty(p.GetProperty("reason").GetProperty("text").GetString())));
    }

    [Fact]
    public async Task Reasons_speak_english_when_asked_and_say_when_the_visitor_looked()
    {
        var (catalog, _, _) = await TwoOffersAsync();
        var visitor = PersonalizationFixture.NewVisitor();
        await Shop.TrackAsync(Event("product_viewed", visitor, catalog.Named("Schlauchwagen").ProductId, at: DateTimeOffset.UtcNow.AddDays(-3), consent: true));

        var decision = await Shop.DecideAsync(visitor, locale: "en-GB", maxOffers: 1);

        var offer = decision.GetProperty("offers")[0];
        Assert.Equal("Because you looked at Schlauchwagen 2000 this week", offer.GetProperty("reason").GetProperty("text").GetString());
        Assert.Equal("Gartenwochen (en)", offer.GetProperty("content").GetProperty("headline").GetString());
    }

    [Fact]
    public async Task Without_consent_the_answer_is_contextual_and_nothing_is_recorded_about_the_visitor()
    {
        var (catalog, gardenOffer, toolOffer) = await TwoOffersAsync();
        var visitor = PersonalizationFixture.NewVisitor();
        await Shop.TrackAsync([.. catalog.In(catalog.Garden).Select(p => Event("product_viewed", visitor, p.ProductId))]);

        var home = await Shop.DecideAsync(visitor, maxOffers: 1);
        var onGardenPage = await Shop.DecideAsync(visitor, "category-page", context: new { categoryId = catalog.Garden }, maxOffers: 2);

        Assert.False(home.GetProperty("personalized").GetBoolean());
        Assert.Equal([toolOffer], home.OfferIds()); // the merchant's priority, not the hidden behaviour
        Assert.Empty(onGardenPage.OfferIds()); // no offer is placed on category pages
        Assert.Equal(0L, await fixture.ScalarAsync<long>("SELECT count(*) FROM personalization.impressions WHERE tenant_id = $1", _tenant));
        Assert.Equal(0L, await fixture.ScalarAsync<long>("SELECT count(*) FROM personalization.subject_models WHERE tenant_id = $1", _tenant));
        _ = gardenOffer;
    }

    [Fact]
    public async Task The_page_context_steers_offers_and_products_for_anonymous_visitors_too()
    {
        var catalog = await fixture.CatalogAsync(_tenant);
        var garden = (await Shop.CreateAsync("/offers", Offer("Gartenwochen", categories: [catalog.Garden], priority: 10, placement: "product-detail"))).GetProperty("id").GetGuid();
        await Shop.CreateAsync("/offers", Offer("Werkzeug-Deals", categories: [catalog.Tools], priority: 20, placement: "product-detail"));
        var mower = catalog.Named("Akku-Rasenmäher");

        var decision = await Shop.DecideAsync(PersonalizationFixture.NewVisitor(), "product-detail", context: new { productId = mower.ProductId, categoryId = catalog.Lawn }, maxOffers: 1);

        Assert.Equal([garden], decision.OfferIds());
        var products = decision.GetProperty("offers")[0].ProductIds().ToList();
        Assert.DoesNotContain(mower.ProductId, products);
        Assert.Equal(catalog.In(catalog.Lawn).Select(p => p.ProductId).Where(id => id != mower.ProductId).Order(), products.Where(id => catalog.In(catalog.Lawn).Any(p => p.ProductId == id)).Order());
    }

    [Fact]
    public async Task Unavailable_and_archived_products_are_never_shown()
    {
        var (catalog, gardenOffer, _) = await TwoOffersAsync();
        var visitor = PersonalizationFixture.NewVisitor();
        var hidden = catalog.In(catalog.Garden).Take(5).ToList();
        var ids = new List<Guid>();
        foreach (var product in hidden.Take(3))
        {
            ids.Add(await fixture.PublishAsync(new ProductChanged { TenantId = _tenant, OccurredAt = DateTimeOffset.UtcNow, Product = Unavailable(product) }));
        }

        foreach (var product in hidden.Skip(3))
        {
            ids.Add(await fixture.PublishAsync(new ProductArchived { TenantId = _tenant, OccurredAt = DateTimeOffset.UtcNow, ProductId = product.ProductId, Sku = product.Sku, Deleted = product == hidden[^1] }));
        }

        await fixture.ConsumedAsync([.. ids]);
        await Shop.TrackAsync([.. catalog.In(catalog.Garden).Select(p => Event("product_viewed", visitor, p.ProductId, consent: true))]);

        var decision = await Shop.DecideAsync(visitor, maxOffers: 1);

        Assert.Equal([gardenOffer], decision.OfferIds());
        var shown = decision.GetProperty("offers")[0].ProductIds().ToList();
        Assert.Equal(3, shown.Count);
        Assert.Empty(shown.Intersect(hidden.Select(p => p.ProductId)));
    }

    [Fact]
    public async Task A_product_that_goes_out_of_stock_after_the_shelves_were_read_is_not_shown_either()
    {
        var (catalog, _, _) = await TwoOffersAsync();
        var visitor = PersonalizationFixture.NewVisitor();
        await Shop.TrackAsync([.. catalog.In(catalog.Garden).Select(p => Event("product_viewed", visitor, p.ProductId, consent: true))]);
        var first = (await Shop.DecideAsync(visitor, maxOffers: 1)).GetProperty("offers")[0].ProductIds().ToList();

        var soldOut = catalog.Products.First(p => p.ProductId == first[0]);
        await fixture.ConsumedAsync(await fixture.PublishAsync(new ProductChanged { TenantId = _tenant, OccurredAt = DateTimeOffset.UtcNow, Product = Unavailable(soldOut) }),
            await fixture.PublishAsync(new ProductArchived { TenantId = _tenant, OccurredAt = DateTimeOffset.UtcNow, ProductId = first[1], Sku = "gone", Deleted = true }));
        var second = (await Shop.DecideAsync(visitor, maxOffers: 1)).GetProperty("offers")[0].ProductIds().ToList();

        Assert.DoesNotContain(first[0], second);
        Assert.DoesNotContain(first[1], second);
        Assert.Equal(4, second.Count);
    }

    private static ProductSnapshot Unavailable(ProductSnapshot product) => new()
    {
        ProductId = product.ProductId, Sku = product.Sku, Slug = product.Slug, Status = product.Status, Brand = product.Brand, Name = product.Name,
        CategoryIds = product.CategoryIds, CategoryIdsWithAncestors = product.CategoryIdsWithAncestors, Attributes = product.Attributes,
        MinPriceGross = product.MinPriceGross, Currency = product.Currency, Available = false, ImageUrl = product.ImageUrl, Version = product.Version + 1,
    };

    [Fact]
    public async Task The_frequency_cap_holds_per_visitor()
    {
        var (catalog, gardenOffer, toolOffer) = await TwoOffersAsync();
        var capped = (await Shop.CreateAsync("/offers", Offer("Nur zweimal", categories: [catalog.Garden], priority: 500, frequencyCap: new { max = 2, perHours = 24 }))).GetProperty("id").GetGuid();
        var visitor = PersonalizationFixture.NewVisitor();
        var other = PersonalizationFixture.NewVisitor();
        await Shop.TrackAsync(Event("product_viewed", visitor, catalog.Products[0].ProductId, consent: true), Event("product_viewed", other, catalog.Products[0].ProductId, consent: true));

        var shown = new List<bool>();
        for (var i = 0; i < 4; i++)
        {
            shown.Add((await Shop.DecideAsync(visitor)).OfferIds().Contains(capped));
        }

        Assert.Equal([true, true, false, false], shown);
        Assert.Contains(capped, (await Shop.DecideAsync(other)).OfferIds());
        Assert.Equal(2L, await fixture.ScalarAsync<long>("SELECT count(*) FROM personalization.impressions WHERE tenant_id = $1 AND offer_id = $2 AND subject_key = $3", _tenant, capped, "v:" + visitor));
        _ = (gardenOffer, toolOffer);
    }

    [Fact]
    public async Task What_the_visitor_just_bought_is_not_offered_again()
    {
        var (catalog, _, _) = await TwoOffersAsync();
        var visitor = PersonalizationFixture.NewVisitor();
        var bought = catalog.In(catalog.Garden).Take(3).Select(p => p.ProductId).ToList();
        await Shop.TrackAsync([.. bought.Select(id => Event("purchased", visitor, id, price: 50m, orderId: "A-1", consent: true))]);

        var decision = await Shop.DecideAsync(visitor, maxOffers: 1);
        var subject = await Shop.GetFromJsonAsync<JsonElement>($"/subjects?visitorId={visitor}");

        var products = decision.GetProperty("offers")[0].ProductIds().ToList();
        Assert.Empty(products.Intersect(bought));
        Assert.Equal(1, subject.GetProperty("rfm").GetProperty("frequency").GetInt32());
        Assert.Equal(150m, subject.GetProperty("rfm").GetProperty("monetary").GetDecimal());
    }

    [Fact]
    public async Task Segment_targeting_shows_an_offer_only_to_members_and_says_so()
    {
        var catalog = await fixture.CatalogAsync(_tenant);
        var segment = (await Shop.CreateAsync("/segments", new
        {
            name = "Fachhandel",
            conditions = new { all = new object[] { new { field = "kind", op = "eq", value = "company" }, new { field = "trait.branche", op = "in", value = TradeBranches } } },
        })).GetProperty("id").GetGuid();
        var trade = (await Shop.CreateAsync("/offers", Offer("Profi-Rabatt", brands: ["Makita"], priority: 5, targeting: new { segmentIds = new[] { segment } }))).GetProperty("id").GetGuid();
        var member = PersonalizationFixture.NewVisitor();
        var outsider = PersonalizationFixture.NewVisitor();
        await fixture.CustomerAsync(_tenant, consent: true, visitorId: member, kind: "company", traits: new() { ["branche"] = "Elektro" });
        await fixture.CustomerAsync(_tenant, consent: true, visitorId: outsider, kind: "person");

        var forMember = await Shop.DecideAsync(member);
        var forOutsider = await Shop.DecideAsync(outsider);
        var members = await Shop.GetFromJsonAsync<JsonElement>($"/segments/{segment}/members");

        Assert.Equal([trade], forMember.OfferIds());
        Assert.Equal("segment", forMember.GetProperty("offers")[0].GetProperty("reason").GetProperty("code").GetString());
        Assert.All(forMember.GetProperty("offers")[0].GetProperty("products").EnumerateArray(), p => Assert.Equal("Makita", p.GetProperty("brand").GetString()));
        Assert.Empty(forOutsider.OfferIds());
        Assert.Single(members.GetProperty("items").EnumerateArray());
    }

    [Fact]
    public async Task A_preview_decides_as_the_real_thing_but_records_no_impression_and_counts_toward_no_cap()
    {
        var (catalog, _, _) = await TwoOffersAsync();
        var capped = (await Shop.CreateAsync("/offers", Offer("Nur einmal", categories: [catalog.Garden], priority: 500, frequencyCap: new { max = 1, perHours = 24 }))).GetProperty("id").GetGuid();
        var visitor = PersonalizationFixture.NewVisitor();
        await Shop.TrackAsync(Event("product_viewed", visitor, catalog.Products[0].ProductId, consent: true));

        for (var i = 0; i < 3; i++)
        {
            using var preview = await Shop.PostAsJsonAsync("/decisions", new { visitorId = visitor, placement = "home-hero", preview = true });
            var decided = await preview.Content.ReadFromJsonAsync<JsonElement>();
            Assert.True(preview.IsSuccessStatusCode, decided.ToString());
            Assert.Contains(capped, decided.OfferIds());
        }

        Assert.Equal(0L, await fixture.ScalarAsync<long>("SELECT count(*) FROM personalization.impressions WHERE tenant_id = $1 AND subject_key = $2", _tenant, "v:" + visitor));
        Assert.Contains(capped, (await Shop.DecideAsync(visitor)).OfferIds()); // the real first impression
        Assert.DoesNotContain(capped, (await Shop.DecideAsync(visitor)).OfferIds()); // and the cap holds after it
    }

    [Fact]
    public async Task Conditions_are_counted_before_they_are_saved_and_their_mistakes_named_by_path()
    {
        await fixture.CatalogAsync(_tenant);
        var member = PersonalizationFixture.NewVisitor();
        await fixture.CustomerAsync(_tenant, consent: true, visitorId: member, kind: "company", traits: new() { ["branche"] = "Elektro" });
        await fixture.CustomerAsync(_tenant, consent: true, visitorId: PersonalizationFixture.NewVisitor(), kind: "person");
        await fixture.CustomerAsync(_tenant, consent: false, visitorId: PersonalizationFixture.NewVisitor(), kind: "company"); // no consent: never counted

        using var preview = await Shop.PostAsJsonAsync("/segments/preview", new { conditions = new { field = "kind", op = "eq", value = "company" } });
        var counted = await preview.Content.ReadFromJsonAsync<JsonElement>();
        Assert.True(preview.IsSuccessStatusCode, counted.ToString());
        Assert.Equal(1, counted.GetProperty("matching").GetInt32());
        Assert.True(counted.GetProperty("scanned").GetInt32() >= 2, counted.ToString());
        Assert.True(counted.GetProperty("complete").GetBoolean());
        Assert.NotNull(Assert.Single(counted.GetProperty("sample").EnumerateArray()).GetProperty("profileId").GetString());
        Assert.Empty((await Shop.GetFromJsonAsync<JsonElement>("/segments")).GetProperty("items").EnumerateArray()); // nothing saved

        using var wrong = await Shop.PostAsJsonAsync("/segments/preview", new { conditions = new { all = new object[] { new { field = "kind", op = "eq", value = "company" }, new { field = "rfm.frequency", op = "about" } } } });
        Assert.Equal(System.Net.HttpStatusCode.BadRequest, wrong.StatusCode);
        var errors = (await wrong.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors");
        Assert.True(errors.EnumerateObject().Any(e => e.Name.StartsWith("conditions.all[1]", StringComparison.Ordinal)), errors.ToString());
        using var missing = await Shop.PostAsJsonAsync("/segments/preview", new { });
        Assert.Equal(System.Net.HttpStatusCode.BadRequest, missing.StatusCode);
    }

    [Fact]
    public async Task Offers_outside_their_validity_window_or_not_active_are_not_shown()
    {
        var catalog = await fixture.CatalogAsync(_tenant);
        var now = DateTimeOffset.UtcNow;
        await Shop.CreateAsync("/offers", Offer("Entwurf", categories: [catalog.Garden], status: "draft"));
        await Shop.CreateAsync("/offers", Offer("Pausiert", categories: [catalog.Garden], status: "paused"));
        foreach (var (name, from, until) in new[] { ("Vorbei", now.AddDays(-10), now.AddDays(-1)), ("Kommt noch", now.AddDays(1), now.AddDays(10)), ("Läuft", now.AddDays(-1), now.AddDays(1)) })
        {
            var offer = JsonSerializer.SerializeToNode(Offer(name, categories: [catalog.Garden]))!.AsObject();
            offer["validFrom"] = from;
            offer["validUntil"] = until;
            await Shop.CreateAsync("/offers", offer);
        }

        var decision = await Shop.DecideAsync(PersonalizationFixture.NewVisitor(), maxOffers: 10);

        Assert.Equal(["Läuft"], decision.GetProperty("offers").EnumerateArray().Select(o => o.GetProperty("name").GetString()));
    }
}
