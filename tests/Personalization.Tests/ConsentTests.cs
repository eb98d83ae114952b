using MachCommerce.Contracts.Profiles.V1;
using static MachCommerce.Personalization.Tests.PersonalizationRequests;

namespace MachCommerce.Personalization.Tests;

public sealed class ConsentTests(PersonalizationFixture fixture) : IClassFixture<PersonalizationFixture>
{
    private readonly string _tenant = PersonalizationFixture.NewTenant();

    private HttpClient Shop => fixture.Client(_tenant);

    private Task<long> PersonalRowsAsync(string subjectKey) => fixture.ScalarAsync<long>("""
        SELECT (SELECT count(*) FROM personalization.subject_models WHERE tenant_id = $1 AND subject_key = $2)
             + (SELECT count(*) FROM personalization.events WHERE tenant_id = $1 AND subject_key = $2)
             + (SELECT count(*) FROM personalization.impressions WHERE tenant_id = $1 AND subject_key = $2)
             + (SELECT count(*) FROM personalization.exposures WHERE tenant_id = $1 AND subject_key = $2)
        """, _tenant, subjectKey);

    private Task<long> RowsNamingVisitorAsync(string visitorId) => fixture.ScalarAsync<long>(
        "SELECT count(*) FROM personalization.events WHERE tenant_id = $1 AND (visitor_id = $2 OR subject_key = 'v:' || $2)", _tenant, visitorId);

    [Fact]
    public async Task Without_consent_nothing_personal_is_stored_but_popularity_still_counts()
    {
        var catalog = await fixture.CatalogAsync(_tenant);
        var visitor = PersonalizationFixture.NewVisitor();
        var mower = catalog.Named("Akku-Rasenmäher");

        var result = await Shop.TrackAsync(
            Event("product_viewed", visitor, mower.ProductId),
            Event("searched", visitor, query: "rasenmäher akku"),
            Event("purchased", visitor, mower.ProductId, price: 349m, quantity: 1));

        Assert.Equal(3, result.GetProperty("accepted").GetInt32());
        Assert.Equal(0, result.GetProperty("personal").GetInt32());
        Assert.Equal(0, await PersonalRowsAsync("v:" + visitor));
        Assert.Equal(0, await RowsNamingVisitorAsync(visitor));
        Assert.Equal(0L, await fixture.ScalarAsync<long>("SELECT count(*) FROM personalization.visitors WHERE tenant_id = $1 AND visitor_id = $2", _tenant, visitor));
        Assert.Equal(0L, await fixture.ScalarAsync<long>("SELECT count(*) FROM personalization.events WHERE tenant_id = $1 AND query IS NOT NULL", _tenant));
        await PersonalizationFixture.EventuallyAsync(
            async () => await fixture.ScalarAsync<double?>("SELECT trend FROM personalization.products WHERE tenant_id = $1 AND product_id = $2", _tenant, mower.ProductId) is not null,
            "the anonymous views count towards the mower's popularity");
    }

    [Fact]
    public async Task A_customer_without_consent_gets_no_model_even_when_named_in_the_event()
    {
        var catalog = await fixture.CatalogAsync(_tenant);
        var visitor = PersonalizationFixture.NewVisitor();
        var customer = await fixture.CustomerAsync(_tenant, consent: false, visitorId: visitor);

        // Even a consent-banner "yes" does not override the customer's own "no".
        await Shop.TrackAsync(Event("product_viewed", visitor, catalog.Products[0].ProductId, consent: true),
            Event("product_viewed", PersonalizationFixture.NewVisitor(), catalog.Products[1].ProductId, profileId: customer));

        Assert.Equal(0, await PersonalRowsAsync($"p:{customer:N}"));
        Assert.Equal(0, await RowsNamingVisitorAsync(visitor));
    }

    [Fact]
    public async Task With_consent_behaviour_builds_the_model_and_withdrawal_deletes_it()
    {
        var catalog = await fixture.CatalogAsync(_tenant);
        var visitor = PersonalizationFixture.NewVisitor();
        var customer = await fixture.CustomerAsync(_tenant, consent: true, visitorId: visitor);
        var key = $"p:{customer:N}";
        await Shop.TrackAsync([.. catalog.In(catalog.Garden).Select(p => Event("product_viewed", visitor, p.ProductId))]);
        var subject = await Shop.GetFromJsonAsync<System.Text.Json.JsonElement>($"/subjects?profileId={customer}");

        Assert.True(await PersonalRowsAsync(key) > 8);
        Assert.Equal(8, subject.GetProperty("events").GetInt32());
        Assert.Equal($"c:{catalog.Garden:N}", subject.GetProperty("affinities")[0].GetProperty("key").GetString());

        await fixture.PublishAsync(new ConsentChanged
        {
            TenantId = _tenant, OccurredAt = DateTimeOffset.UtcNow, ProfileId = customer, Purpose = "personalization", Granted = false, Source = "storefront", PolicyVersion = "2026-01",
        });
        await PersonalizationFixture.EventuallyAsync(async () => await PersonalRowsAsync(key) == 0, "the withdrawal deleted the personal rows");

        Assert.Equal(0, await RowsNamingVisitorAsync(visitor));
        // The events themselves remain as anonymous statistics.
        Assert.Equal(8L, await fixture.ScalarAsync<long>("SELECT count(*) FROM personalization.events WHERE tenant_id = $1 AND type = 'product_viewed'", _tenant));
    }

    [Fact]
    public async Task An_older_consent_event_arriving_late_does_not_undo_a_newer_withdrawal()
    {
        var customer = await fixture.CustomerAsync(_tenant, consent: false);

        var late = await fixture.PublishAsync(new ConsentChanged
        {
            TenantId = _tenant, OccurredAt = DateTimeOffset.UtcNow.AddMinutes(-10), ProfileId = customer, Purpose = "personalization", Granted = true, Source = "storefront", PolicyVersion = "2026-01",
        });
        var otherPurpose = await fixture.PublishAsync(new ConsentChanged
        {
            TenantId = _tenant, OccurredAt = DateTimeOffset.UtcNow, ProfileId = customer, Purpose = "marketing_email", Granted = true, Source = "storefront", PolicyVersion = "2026-01",
        });
        await fixture.ConsumedAsync(late, otherPurpose);

        Assert.False(await fixture.ScalarAsync<bool>("SELECT consent FROM personalization.profiles WHERE tenant_id = $1 AND profile_id = $2", _tenant, customer));
    }

    [Fact]
    public async Task An_anonymous_visitor_follows_the_consent_banner_and_a_later_no_deletes_what_the_yes_allowed()
    {
        var catalog = await fixture.CatalogAsync(_tenant);
        var visitor = PersonalizationFixture.NewVisitor();

        var result = await Shop.TrackAsync(Event("product_viewed", visitor, catalog.Products[0].ProductId, consent: true),
            Event("product_viewed", visitor, catalog.Products[1].ProductId));

        Assert.Equal(2, result.GetProperty("personal").GetInt32());
        Assert.True(await PersonalRowsAsync("v:" + visitor) >= 3);

        await Shop.TrackAsync(Event("product_viewed", visitor, catalog.Products[2].ProductId, consent: false));

        Assert.Equal(0, await PersonalRowsAsync("v:" + visitor));
        Assert.Equal(0, await RowsNamingVisitorAsync(visitor));
    }

    [Fact]
    public async Task A_linked_visitors_history_folds_into_the_consenting_customers_model()
    {
        var catalog = await fixture.CatalogAsync(_tenant);
        var visitor = PersonalizationFixture.NewVisitor();
        await Shop.TrackAsync([.. catalog.In(catalog.Drills).Select(p => Event("product_viewed", visitor, p.ProductId, consent: true))]);
        var customer = await fixture.CustomerAsync(_tenant, consent: true);
        await Shop.TrackAsync(Event("product_viewed", PersonalizationFixture.NewVisitor(), catalog.Named("Handkreissäge").ProductId, profileId: customer));

        await fixture.PublishAsync(new VisitorLinked { TenantId = _tenant, OccurredAt = DateTimeOffset.UtcNow, VisitorId = visitor, ProfileId = customer });
        await PersonalizationFixture.EventuallyAsync(async () => await PersonalRowsAsync("v:" + visitor) == 0, "the visitor's rows moved to the profile");

        var subject = await Shop.GetFromJsonAsync<System.Text.Json.JsonElement>($"/subjects?profileId={customer}");
        Assert.Equal(5, subject.GetProperty("events").GetInt32());
        Assert.Equal(5, subject.GetProperty("viewed").GetArrayLength());
        Assert.Equal(5L, await fixture.ScalarAsync<long>("SELECT count(*) FROM personalization.events WHERE tenant_id = $1 AND subject_key = $2", _tenant, $"p:{customer:N}"));
    }
}
