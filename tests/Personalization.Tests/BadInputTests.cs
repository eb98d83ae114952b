using System.Text;
using System.Text.Json.Nodes;
using FsCheck;
using FsCheck.Fluent;
using static MachCommerce.Personalization.Tests.PersonalizationRequests;

namespace MachCommerce.Personalization.Tests;

/// <summary>Every refusal is a 400 naming the field and the reason; generated payloads never cause a 500 or a half-written batch.</summary>
public sealed class BadInputTests(PersonalizationFixture fixture) : IClassFixture<PersonalizationFixture>
{
    private readonly string _tenant = PersonalizationFixture.NewTenant();

    private HttpClient Shop => fixture.Client(_tenant);

    private async Task<Dictionary<string, string[]>> RejectedAsync(string path, object body, HttpStatusCode expected = HttpStatusCode.BadRequest)
    {
        var response = await Shop.PostAsync(path, new StringContent(body is string raw ? raw : JsonSerializer.Serialize(body), Encoding.UTF8, "application/json"));
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.True(response.StatusCode == expected, $"{(int)response.StatusCode}: {problem}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        return problem.TryGetProperty("errors", out var errors) ? errors.Deserialize<Dictionary<string, string[]>>()! : [];
    }

    private Task<long> StoredEventsAsync() => fixture.ScalarAsync<long>("SELECT count(*) FROM personalization.events WHERE tenant_id = $1", _tenant);

    [Fact]
    public async Task A_batch_with_one_bad_event_is_refused_whole_with_each_problem_by_its_path()
    {
        var visitor = PersonalizationFixture.NewVisitor();
        var good = Event("product_viewed", visitor, Guid.NewGuid());
        var events = new object?[]
        {
            good,
            new { id = Guid.NewGuid(), type = "product_liked", visitorId = visitor, occurredAt = DateTimeOffset.UtcNow },
            new { id = Guid.NewGuid(), type = "product_viewed", visitorId = visitor, occurredAt = DateTimeOffset.UtcNow.AddHours(2), productId = Guid.NewGuid() },
            new { id = Guid.NewGuid(), type = "product_viewed", occurredAt = DateTimeOffset.UtcNow, productId = Guid.NewGuid() },
            new { id = Guid.NewGuid(), type = "purchased", visitorId = visitor, occurredAt = DateTimeOffset.UtcNow, productId = Guid.NewGuid(), price = -1, quantity = 0 },
            new { id = Guid.NewGuid(), type = "searched", visitorId = "bad visitor id with spaces", occurredAt = DateTimeOffset.UtcNow },
            new { id = Guid.NewGuid(), type = "offer_clicked", visitorId = visitor, occurredAt = DateTimeOffset.UtcNow, placement = "sidebar" },
            null,
        };

        var errors = await RejectedAsync("/events", new { events });

        Assert.Contains("not an event type", errors["events[1].type"][0], StringComparison.Ordinal);
        Assert.Contains("future", errors["events[2].occurredAt"][0], StringComparison.Ordinal);
        Assert.Contains("required", errors["events[3].visitorId"][0], StringComparison.Ordinal);
        Assert.True(errors.ContainsKey("events[4].price") && errors.ContainsKey("events[4].quantity"));
        Assert.True(errors.ContainsKey("events[5].visitorId") && errors.ContainsKey("events[5].query"));
        Assert.True(errors.ContainsKey("events[6].placement") && errors.ContainsKey("events[6].offerId"));
        Assert.True(errors.ContainsKey("events[7]"));
        Assert.DoesNotContain(errors.Keys, k => k.StartsWith("events[0]", StringComparison.Ordinal));
        Assert.Equal(0, await StoredEventsAsync());
    }

    [Fact]
    public async Task Batch_size_duplicates_and_resends()
    {
        var visitor = PersonalizationFixture.NewVisitor();
        var tooMany = Enumerable.Range(0, 501).Select(_ => Event("product_viewed", visitor, Guid.NewGuid())).ToArray();
        var twice = Event("product_viewed", visitor, Guid.NewGuid());

        Assert.Contains("at most 500", (await RejectedAsync("/events", new { events = tooMany }))["events"][0], StringComparison.Ordinal);
        Assert.Contains("required", (await RejectedAsync("/events", new { events = Array.Empty<object>() }))["events"][0], StringComparison.Ordinal);
        Assert.Contains("twice", (await RejectedAsync("/events", new { events = new[] { twice, twice } }))["events[1].id"][0], StringComparison.Ordinal);
        var first = await Shop.TrackAsync(tooMany[..500]);
        var resent = await Shop.TrackAsync(tooMany[..500]);

        Assert.Equal(500, first.GetProperty("accepted").GetInt32());
        Assert.Equal(0, resent.GetProperty("accepted").GetInt32());
        Assert.Equal(500, resent.GetProperty("duplicates").GetInt32());
        Assert.Equal(500, await StoredEventsAsync());
    }

    [Fact]
    public async Task Offers_with_an_invalid_window_unknown_placement_or_malformed_condition_are_refused()
    {
        var now = DateTimeOffset.UtcNow;
        var errors = await RejectedAsync("/offers", new
        {
            name = "",
            placements = new[] { "home-hero", "sidebar" },
            targeting = new { segmentIds = new[] { Guid.NewGuid() }, conditions = new { all = new object[] { new { field = "affinity.category.nope", op = "gte", value = 1 }, new { field = "kind", op = "like", value = "x" }, new { any = Array.Empty<object>() } } } },
            content = new { fr = new { headline = "Bonjour" }, de = new { headline = "" } },
            selection = new { maxProducts = 50 },
            incentive = new { type = "percent", value = 150 },
            validFrom = now,
            validUntil = now.AddDays(-1),
            frequencyCap = new { max = 0, perHours = 1 },
        });

        foreach (var field in new[]
        {
            "name", "placements[1]", "targeting.segmentIds[0]", "targeting.conditions.all[0].field", "targeting.conditions.all[1].op", "targeting.conditions.all[2].any",
            "content.fr", "content.de.headline", "selection.maxProducts", "incentive.value", "validUntil", "frequencyCap.max",
        })
        {
            Assert.True(errors.ContainsKey(field), $"no error for {field}: {string.Join(", ", errors.Keys)}");
        }

        Assert.Equal(0L, await fixture.ScalarAsync<long>("SELECT count(*) FROM personalization.offers WHERE tenant_id = $1", _tenant));
    }

    [Fact]
    public async Task Decisions_and_definitions_refuse_bad_requests_and_stale_or_missing_versions()
    {
        Assert.True((await RejectedAsync("/decisions", new { placement = "nowhere", locale = "fr", maxOffers = 50 })).Keys.Order().SequenceEqual(["locale", "maxOffers", "placement", "visitorId"]));
        Assert.Contains("variants", (await RejectedAsync("/experiments", new { name = "x", placement = "home-hero", variants = new[] { new { key = "a", strategy = "personalized", weight = 1 } } })).Keys);
        Assert.Contains("conditions", (await RejectedAsync("/segments", new { name = "ohne Bedingung" })).Keys);
        await RejectedAsync("/segments", "{\"name\": ", HttpStatusCode.BadRequest);

        var segment = await Shop.CreateAsync("/segments", new { name = "Stammkunden", conditions = new { field = "rfm.frequency", op = "gte", value = 3 } });
        var id = segment.GetProperty("id").GetGuid();
        await RejectedAsync("/segments", new { name = "Stammkunden", conditions = new { field = "known", op = "eq", value = true } }, HttpStatusCode.Conflict);
        var withoutIfMatch = await Shop.PutAsJsonAsync($"/segments/{id}", new { name = "Stammkunden", conditions = new { field = "known", op = "exists" } });
        var stale = new HttpRequestMessage(HttpMethod.Put, $"/segments/{id}") { Content = JsonContent.Create(new { name = "Neu", conditions = new { field = "known", op = "exists" } }) };
        stale.Headers.IfMatch.Add(new System.Net.Http.Headers.EntityTagHeaderValue("\"v7\""));
        var current = new HttpRequestMessage(HttpMethod.Put, $"/segments/{id}") { Content = JsonContent.Create(new { name = "Neu", conditions = new { field = "known", op = "exists" } }) };
        current.Headers.IfMatch.Add(new System.Net.Http.Headers.EntityTagHeaderValue("\"v1\""));
        var missing = await Shop.GetAsync($"/segments/{Guid.NewGuid()}");
        var notModified = new HttpRequestMessage(HttpMethod.Get, $"/segments/{id}");
        notModified.Headers.IfNoneMatch.Add(new System.Net.Http.Headers.EntityTagHeaderValue("\"v2\""));

        Assert.Equal(HttpStatusCode.PreconditionRequired, withoutIfMatch.StatusCode);
        Assert.Equal(HttpStatusCode.PreconditionFailed, (await Shop.SendAsync(stale)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await Shop.SendAsync(current)).StatusCode);
        Assert.Equal(HttpStatusCode.NotModified, (await Shop.SendAsync(notModified)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
    }

    [Fact]
    public async Task A_segment_an_offer_uses_cannot_be_deleted()
    {
        var segment = (await Shop.CreateAsync("/segments", new { name = "Gartenfreunde", conditions = new { field = "known", op = "eq", value = true } })).GetProperty("id").GetGuid();
        await Shop.CreateAsync("/offers", Offer("Nur für Gartenfreunde", targeting: new { segmentIds = new[] { segment } }));

        var response = await Shop.DeleteAsync($"/segments/{segment}");

        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        Assert.Contains("Nur für Gartenfreunde", (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    private static readonly Gen<JsonNode?> AnyValue = Gen.OneOf(
        Gen.Constant<JsonNode?>(null),
        Gen.Choose(-5, 5).Select(n => (JsonNode?)JsonValue.Create(n)),
        Gen.Elements(true, false).Select(b => (JsonNode?)JsonValue.Create(b)),
        Gen.Elements("", " ", "product_viewed", "purchased", "offer_clicked", "home-hero", "v-1", "2026-01-01T00:00:00Z", "9999-12-31T00:00:00Z", "😀", "'; --",
                "00000000-0000-0000-0000-000000000000", Guid.NewGuid().ToString(), new string('x', 3000))
            .Select(s => (JsonNode?)JsonValue.Create(s)),
        Gen.Constant<JsonNode?>(new JsonArray(1, "a", null)),
        Gen.Constant<JsonNode?>(new JsonObject { ["all"] = new JsonArray(new JsonObject { ["field"] = "kind" }) }));

    private static readonly Gen<JsonObject> GeneratedEvent =
        from id in Gen.OneOf(Gen.Fresh(() => (JsonNode?)JsonValue.Create(Guid.NewGuid())), AnyValue)
        from type in Gen.OneOf(Gen.Elements("product_viewed", "purchased", "searched", "offer_clicked").Select(t => (JsonNode?)JsonValue.Create(t)), AnyValue)
        from visitor in Gen.OneOf(Gen.Constant<JsonNode?>(JsonValue.Create("v-fuzz")), AnyValue)
        from at in Gen.OneOf(Gen.Constant<JsonNode?>(JsonValue.Create(DateTimeOffset.UtcNow.AddMinutes(-1))), AnyValue)
        from product in Gen.OneOf(Gen.Fresh(() => (JsonNode?)JsonValue.Create(Guid.NewGuid())), AnyValue)
        from price in AnyValue
        from query in AnyValue
        select new JsonObject
        {
            ["id"] = id?.DeepClone(), ["type"] = type?.DeepClone(), ["visitorId"] = visitor?.DeepClone(), ["occurredAt"] = at?.DeepClone(),
            ["productId"] = product?.DeepClone(), ["price"] = price?.DeepClone(), ["query"] = query?.DeepClone(), ["consent"] = true,
        };

    private static readonly Gen<JsonObject> GeneratedOffer =
        from name in AnyValue
        from placement in Gen.OneOf(Gen.Constant<JsonNode?>(JsonValue.Create("home-hero")), AnyValue)
        from conditions in AnyValue
        from headline in Gen.OneOf(Gen.Constant<JsonNode?>(JsonValue.Create("Angebot")), AnyValue)
        from value in AnyValue
        from cap in AnyValue
        select new JsonObject
        {
            ["name"] = name?.DeepClone(), ["status"] = "active", ["placements"] = new JsonArray(placement?.DeepClone()),
            ["targeting"] = new JsonObject { ["conditions"] = conditions?.DeepClone() },
            ["content"] = new JsonObject { ["de"] = new JsonObject { ["headline"] = headline?.DeepClone() } },
            ["incentive"] = new JsonObject { ["type"] = "amount", ["value"] = value?.DeepClone() },
            ["frequencyCap"] = new JsonObject { ["max"] = cap?.DeepClone(), ["perHours"] = 24 },
        };

    [Fact]
    public async Task Generated_events_and_offers_never_cause_a_500_and_nothing_is_half_written()
    {
        var accepted = 0;
        foreach (var batch in GeneratedEvent.ListOf().Select(l => new JsonObject { ["events"] = new JsonArray([.. l]) }).Sample(60, 20))
        {
            var response = await Shop.PostAsync("/events", new StringContent(batch.ToJsonString(), Encoding.UTF8, "application/json"));
            await ProblemAssertions.NotServerErrorAsync(response, batch);
            if (response.StatusCode == HttpStatusCode.Accepted)
            {
                accepted += (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("accepted").GetInt32();
            }
        }

        var created = 0;
        foreach (var offer in GeneratedOffer.Sample(80, 20))
        {
            var response = await Shop.PostAsync("/offers", new StringContent(offer.ToJsonString(), Encoding.UTF8, "application/json"));
            await ProblemAssertions.NotServerErrorAsync(response, offer);
            created += response.StatusCode == HttpStatusCode.Created ? 1 : 0;
        }

        foreach (var raw in new[] { "{", "[]", "null", "{\"events\": {}}", "{\"events\": [1, 2]}", new string('[', 3000) })
        {
            await ProblemAssertions.NotServerErrorAsync(await Shop.PostAsync("/events", new StringContent(raw, Encoding.UTF8, "application/json")), raw);
            await ProblemAssertions.NotServerErrorAsync(await Shop.PostAsync("/offers", new StringContent(raw, Encoding.UTF8, "application/json")), raw);
        }

        await ProblemAssertions.NotServerErrorAsync(await Shop.DecideAsyncRaw(), "decision after fuzzing");
        Assert.Equal(accepted, await StoredEventsAsync());
        Assert.Equal(created, await fixture.ScalarAsync<long>("SELECT count(*) FROM personalization.offers WHERE tenant_id = $1", _tenant));
    }
}

internal static class RawRequests
{
    /// <summary>A decision for a fresh visitor, whatever the fuzzed offers hold.</summary>
    public static Task<HttpResponseMessage> DecideAsyncRaw(this HttpClient client) =>
        client.PostAsJsonAsync("/decisions", new { visitorId = PersonalizationFixture.NewVisitor(), placement = "home-hero", maxOffers = 10 });
}
