using MachCommerce.Personalization.Experiments.Statistics;
using static MachCommerce.Personalization.Tests.PersonalizationRequests;

namespace MachCommerce.Personalization.Tests;

/// <summary>
/// A cooperative's central campaigns in the service, with requests signed as the gateway signs them: the
/// cooperative's central level keeps a campaign, member shops opt in and adjust within its limits, a change
/// reaches them, leaving and withdrawing take it back, and the results pool the members' uplifts without showing
/// small groups or one member's numbers to another.
/// </summary>
public sealed class CentralCampaignTests(PersonalizationFixture fixture) : IClassFixture<PersonalizationFixture>
{
    private readonly string _cooperative = "verbund-" + Guid.NewGuid().ToString("N")[..8];

    private HttpClient Central => fixture.CooperativeClient("coop." + _cooperative, _cooperative);

    private HttpClient Member(string tenant) => fixture.CooperativeClient(tenant, _cooperative);

    private static object Campaign(string name, string headline = "Frühjahrsputz im Verbund", decimal? maxIncentive = 20, string[]? locked = null, bool measure = true) => new
    {
        name,
        offer = new
        {
            placements = new[] { "home-hero" },
            content = new { de = new { headline, text = "Bei Ihrem Fachhändler vor Ort" }, en = new { headline = "Spring clean with your cooperative" } },
            selection = new { brands = new[] { "Gardena" }, maxProducts = 3 },
            incentive = new { type = "percent", value = 10, code = "VERBUND10" },
            priority = 50,
        },
        limits = new { maxIncentive, locked = locked ?? ["content"] },
        measure,
    };

    private async Task<Guid> PublishedCampaignAsync(string name, string[]? locked = null)
    {
        var id = (await Central.CreateAsync("/central/campaigns", Campaign(name, locked: locked))).GetProperty("id").GetGuid();
        var published = await Central.PostAsync($"/central/campaigns/{id}/publish", null);
        Assert.Equal(HttpStatusCode.OK, published.StatusCode);
        return id;
    }

    private static async Task<JsonElement> JoinAsync(HttpClient member, Guid campaign, object? adjustments = null, HttpStatusCode expected = HttpStatusCode.Created)
    {
        var response = await member.PutAsJsonAsync($"/central/campaigns/{campaign}/participation", adjustments ?? new { });
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.True(response.StatusCode == expected, $"{(int)response.StatusCode}: {body}");
        return body;
    }

    private static async Task<JsonElement> OfferAsync(HttpClient member, Guid offer) => await member.GetFromJsonAsync<JsonElement>($"/offers/{offer}");

    [Fact]
    public async Task A_cooperative_campaign_reaches_the_members_who_opt_in_with_their_adjustments_within_the_limits()
    {
        var (a, b) = (PersonalizationFixture.NewTenant(), PersonalizationFixture.NewTenant());
        var id = (await Central.CreateAsync("/central/campaigns", Campaign("Frühjahr"))).GetProperty("id").GetGuid();

        // A draft is the cooperative's own: members do not see it and cannot take it.
        Assert.Equal(HttpStatusCode.NotFound, (await Member(a).GetAsync($"/central/campaigns/{id}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await Member(a).PutAsJsonAsync($"/central/campaigns/{id}/participation", new { })).StatusCode);
        Assert.Empty((await Member(a).GetFromJsonAsync<JsonElement>("/central/campaigns")).GetProperty("items").EnumerateArray());
        Assert.Equal(HttpStatusCode.OK, (await Central.PostAsync($"/central/campaigns/{id}/publish", null)).StatusCode);

        // A takes part with a higher incentive than the cooperative's 10 %, up to its maximum of 20 %; B as it is.
        var joinedA = await JoinAsync(Member(a), id, new { incentive = new { value = 15 } });
        var offerA = joinedA.GetProperty("offerId").GetGuid();
        Assert.NotEqual(Guid.Empty, joinedA.GetProperty("experimentId").GetGuid());
        var offerB = (await JoinAsync(Member(b), id)).GetProperty("offerId").GetGuid();
        var copyA = await OfferAsync(Member(a), offerA);
        Assert.Equal("Frühjahr", copyA.GetProperty("name").GetString());
        Assert.Equal(15, copyA.GetProperty("incentive").GetProperty("value").GetDecimal());
        Assert.Equal(id, copyA.GetProperty("central").GetProperty("campaignId").GetGuid());
        Assert.Equal(10, (await OfferAsync(Member(b), offerB)).GetProperty("incentive").GetProperty("value").GetDecimal());
        var listed = (await Member(a).GetFromJsonAsync<JsonElement>("/central/campaigns")).GetProperty("items")[0];
        Assert.Equal(2, listed.GetProperty("participants").GetInt32());
        Assert.Equal(offerA, listed.GetProperty("participation").GetProperty("offerId").GetGuid());

        // The shop's visitors see it in the shop's own decisions (one without consent takes part in no experiment).
        var decided = await Member(a).DecideAsync(PersonalizationFixture.NewVisitor());
        var shown = decided.GetProperty("offers").EnumerateArray().ToList();
        Assert.Contains(shown, o => o.GetProperty("offerId").GetGuid() == offerA && o.GetProperty("incentive").GetProperty("value").GetDecimal() == 15);

        // The copy is the campaign's: not changed or deleted as an offer of the shop's own.
        var put = await Member(a).PutAsJsonAsync($"/offers/{offerA}", Offer("Eigenes"));
        Assert.Equal(HttpStatusCode.Conflict, put.StatusCode);
        Assert.Contains("/participation", await put.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Conflict, (await Member(a).DeleteAsync($"/offers/{offerA}")).StatusCode);

        // Beyond the limits: above the maximum, a locked field, another incentive type, a status of its own.
        var refused = await Member(a).PutAsJsonAsync($"/central/campaigns/{id}/participation", new
        {
            incentive = new { type = "amount", value = 25 },
            content = new { de = new { headline = "Eigene Überschrift" } },
            status = "archived",
        });
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        var errors = (await refused.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors");
        Assert.Contains("locked by your cooperative", errors.GetProperty("content")[0].GetString(), StringComparison.Ordinal);
        Assert.Contains("must stay percent", errors.GetProperty("incentive.type")[0].GetString(), StringComparison.Ordinal);
        Assert.True(errors.TryGetProperty("status", out _));
        var tooMuch = await Member(a).PutAsJsonAsync($"/central/campaigns/{id}/participation", new { incentive = new { value = 25 } });
        var tooMuchBody = await tooMuch.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Contains("at most 20", tooMuchBody.GetProperty("errors").GetProperty("incentive.value")[0].GetString(), StringComparison.Ordinal);
        Assert.Equal(15, (await OfferAsync(Member(a), offerA)).GetProperty("incentive").GetProperty("value").GetDecimal()); // nothing half-applied

        // The cooperative changes the campaign: a new headline and a lower maximum reach both members at once; A's 15 % is capped to 12 %.
        var current = await Central.GetAsync($"/central/campaigns/{id}");
        var changed = new HttpRequestMessage(HttpMethod.Put, $"/central/campaigns/{id}") { Content = JsonContent.Create(Campaign("Frühjahr", "Frühjahrsputz: jetzt", maxIncentive: 12)) };
        changed.Headers.TryAddWithoutValidation("If-Match", current.Headers.ETag!.Tag);
        var replaced = await Central.SendAsync(changed);
        Assert.True(replaced.StatusCode == HttpStatusCode.OK, await replaced.Content.ReadAsStringAsync());
        copyA = await OfferAsync(Member(a), offerA);
        Assert.Equal("Frühjahrsputz: jetzt", copyA.GetProperty("content").GetProperty("de").GetProperty("headline").GetString());
        Assert.Equal(12, copyA.GetProperty("incentive").GetProperty("value").GetDecimal());
        Assert.Equal("Frühjahrsputz: jetzt", (await OfferAsync(Member(b), offerB)).GetProperty("content").GetProperty("de").GetProperty("headline").GetString());

        // A leaves: its copy goes, its experiment stops (its report stays); B keeps it until the cooperative withdraws it.
        var experimentA = joinedA.GetProperty("experimentId").GetGuid();
        Assert.Equal(HttpStatusCode.NoContent, (await Member(a).DeleteAsync($"/central/campaigns/{id}/participation")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await Member(a).GetAsync($"/offers/{offerA}")).StatusCode);
        Assert.Equal("stopped", (await Member(a).GetFromJsonAsync<JsonElement>($"/experiments/{experimentA}")).GetProperty("status").GetString());
        Assert.Equal(HttpStatusCode.OK, (await Member(a).GetAsync($"/experiments/{experimentA}/report")).StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, (await Central.DeleteAsync($"/central/campaigns/{id}")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await Central.PostAsync($"/central/campaigns/{id}/withdraw", null)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await Member(b).GetAsync($"/offers/{offerB}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await Member(b).PutAsJsonAsync($"/central/campaigns/{id}/participation", new { })).StatusCode);
    }

    [Fact]
    public async Task A_cooperative_campaign_is_kept_by_its_central_level_only_and_seen_by_its_own_members_only()
    {
        var id = await PublishedCampaignAsync("Nur für den Verbund");
        var member = PersonalizationFixture.NewTenant();

        // A member keeps no central campaign; the central level takes part in none.
        var created = await Member(member).PostAsJsonAsync("/central/campaigns", Campaign("Eigene"));
        Assert.Equal(HttpStatusCode.Forbidden, created.StatusCode);
        Assert.Contains("participation", await created.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Forbidden, (await Central.PutAsJsonAsync($"/central/campaigns/{id}/participation", new { })).StatusCode);

        // A shop outside any cooperative, and a member of another cooperative, see nothing of it.
        var alone = fixture.Client(PersonalizationFixture.NewTenant());
        var none = await alone.GetAsync("/central/campaigns");
        Assert.Equal(HttpStatusCode.NotFound, none.StatusCode);
        Assert.Contains("not a member of a cooperative", await none.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        var stranger = fixture.CooperativeClient(PersonalizationFixture.NewTenant(), "anderer-verbund");
        Assert.Equal(HttpStatusCode.NotFound, (await stranger.GetAsync($"/central/campaigns/{id}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await stranger.PutAsJsonAsync($"/central/campaigns/{id}/participation", new { })).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await stranger.GetAsync($"/central/campaigns/{id}/results")).StatusCode);
        Assert.Empty((await stranger.GetFromJsonAsync<JsonElement>("/central/campaigns")).GetProperty("items").EnumerateArray());

        // A member that does not take part reads no results.
        Assert.Equal(HttpStatusCode.NotFound, (await Member(member).GetAsync($"/central/campaigns/{id}/results")).StatusCode);
    }

    [Fact]
    public async Task Bad_cooperative_campaigns_are_refused_by_field_and_nothing_is_kept()
    {
        var response = await Central.PostAsJsonAsync("/central/campaigns", new
        {
            name = "",
            offer = new
            {
                placements = new[] { "nowhere" },
                targeting = new { segmentIds = new[] { Guid.NewGuid() } },
                content = new { de = new { headline = "" } },
                selection = new { categoryIds = new[] { Guid.NewGuid() } },
                incentive = new { type = "percent", value = 10 },
            },
            limits = new { maxIncentive = 5, locked = new[] { "placements" } },
        });
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var errors = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors");
        foreach (var field in new[] { "name", "offer.placements[0]", "offer.targeting.segmentIds", "offer.content.de.headline", "offer.selection.categoryIds", "limits.maxIncentive", "limits.locked[0]" })
        {
            Assert.True(errors.TryGetProperty(field, out _), $"no error for {field}: {errors}");
        }

        Assert.DoesNotContain("System.", errors.ToString(), StringComparison.Ordinal);
        var missing = await Central.PostAsJsonAsync("/central/campaigns", new { name = "Ohne Angebot" });
        Assert.Contains("offer", (await missing.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").EnumerateObject().Select(e => e.Name));
        var incentiveless = await Central.PostAsJsonAsync("/central/campaigns", new
        {
            name = "Ohne Rabatt",
            offer = new { placements = new[] { "home-hero" }, content = new { de = new { headline = "Hallo" } } },
            limits = new { maxIncentive = 10 },
        });
        Assert.Equal(HttpStatusCode.BadRequest, incentiveless.StatusCode);
        Assert.Empty((await Central.GetFromJsonAsync<JsonElement>("/central/campaigns")).GetProperty("items").EnumerateArray());

        // A stale If-Match, and a published campaign deleted instead of withdrawn.
        var id = await PublishedCampaignAsync("Veraltet");
        var stale = new HttpRequestMessage(HttpMethod.Put, $"/central/campaigns/{id}") { Content = JsonContent.Create(Campaign("Veraltet")) };
        stale.Headers.TryAddWithoutValidation("If-Match", "\"v0\"");
        Assert.Equal(HttpStatusCode.PreconditionFailed, (await Central.SendAsync(stale)).StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, (await Central.DeleteAsync($"/central/campaigns/{id}")).StatusCode);
    }

    [Fact]
    public async Task Cooperative_results_pool_the_members_uplifts_and_withhold_small_groups()
    {
        var id = await PublishedCampaignAsync("Gemessen");
        var members = Enumerable.Range(0, 4).Select(_ => PersonalizationFixture.NewTenant()).ToList();
        var experiments = new List<Guid>();
        foreach (var member in members)
        {
            experiments.Add((await JoinAsync(Member(member), id)).GetProperty("experimentId").GetGuid());
        }

        // Three members with two weeks of visitors (the offer helps in each, by different amounts); the fourth has four visitors.
        for (var i = 0; i < 3; i++)
        {
            await ExperimentHistory.BackdateAsync(fixture.ConnectionString, experiments[i], 14);
            await ExperimentHistory.SimulateAsync(fixture.ConnectionString, members[i], experiments[i], days: 14, perArmPerDay: 150, controlRate: 0.04,
                treatmentRate: 0.05 + 0.01 * i, seed: 40 + i, treatmentShare: 0.8, control: "without-offer", treatment: "with-offer");
        }

        await ExperimentHistory.SimulateAsync(fixture.ConnectionString, members[3], experiments[3], days: 1, perArmPerDay: 2, controlRate: 0.5, treatmentRate: 0.5, seed: 9,
            treatmentShare: 0.5, control: "without-offer", treatment: "with-offer");

        var results = await Central.GetFromJsonAsync<JsonElement>($"/central/campaigns/{id}/results");
        var rows = results.GetProperty("members").EnumerateArray().ToDictionary(r => r.GetProperty("tenantId").GetString()!);
        Assert.Equal(4, rows.Count);
        var small = rows[members[3]];
        Assert.Contains("Fewer than 10 visitors", small.GetProperty("withheld").GetString(), StringComparison.Ordinal);
        Assert.Equal(JsonValueKind.Null, small.GetProperty("visitorsWithOffer").ValueKind);

        // The pooled uplift is the random-effects combination of the three members' intervals (checked against statsmodels in ReferenceTests).
        var studies = members.Take(3).Select(m => rows[m].GetProperty("uplift")).Select(u =>
            (u.GetProperty("value").GetDouble(), Math.Pow((u.GetProperty("ciHigh").GetDouble() - u.GetProperty("ciLow").GetDouble()) / (2 * Distributions.NormalQuantile(0.975)), 2))).ToList();
        var expected = MetaAnalysis.Combine(studies, 0.95)!;
        var pooled = results.GetProperty("pooled");
        Assert.Equal(3, pooled.GetProperty("members").GetInt32());
        Assert.Equal(expected.Pooled.Estimate, pooled.GetProperty("uplift").GetProperty("value").GetDouble(), 9);
        Assert.Equal(expected.Pooled.Low, pooled.GetProperty("uplift").GetProperty("ciLow").GetDouble(), 9);
        Assert.Equal(expected.Pooled.High, pooled.GetProperty("uplift").GetProperty("ciHigh").GetDouble(), 9);
        Assert.Equal(expected.Tau2, pooled.GetProperty("tau2").GetDouble(), 12);
        Assert.Equal(expected.I2, pooled.GetProperty("i2").GetDouble(), 9);
        Assert.Matches(@"^Across 3 member shops the campaign( brings|'s effect is not clear yet)", results.GetProperty("en").GetString());
        Assert.StartsWith("Über 3 Mitgliedsbetrieben", results.GetProperty("de").GetString(), StringComparison.Ordinal);

        // A member sees its own row and the pooled result, never another member's row.
        var own = await Member(members[0]).GetFromJsonAsync<JsonElement>($"/central/campaigns/{id}/results");
        Assert.Equal([members[0]], own.GetProperty("members").EnumerateArray().Select(r => r.GetProperty("tenantId").GetString()));
        Assert.Equal(pooled.GetProperty("uplift").GetProperty("value").GetDouble(), own.GetProperty("pooled").GetProperty("uplift").GetProperty("value").GetDouble(), 9);
    }
}
