using MachCommerce.Hosting.Identity;
using Npgsql;
using static MachCommerce.Personalization.Tests.PersonalizationRequests;

namespace MachCommerce.Personalization.Tests;

/// <summary>
/// The report as a merchant reads it, on simulated history written straight into the exposures (two weeks of
/// subjects cannot be waited for): the verdict in words, CUPED, the daily series, the sample ratio check, the
/// tenant's guards, the planner and the global holdout; and the mistakes a client can make, answered as problems.
/// </summary>
public sealed class ExperimentReportTests(PersonalizationFixture fixture) : IClassFixture<PersonalizationFixture>
{
    private readonly string _tenant = PersonalizationFixture.NewTenant();

    private HttpClient Shop => fixture.Client(_tenant);

    /// <summary>A started experiment (broadcast control, personalized), its start moved back by <paramref name="daysAgo"/> days.</summary>
    private async Task<Guid> StartedExperimentAsync(int daysAgo, string primaryMetric = "revenuePerSubject")
    {
        var id = (await Shop.CreateAsync("/experiments", new
        {
            name = "Startseite " + Guid.NewGuid().ToString("N")[..6],
            placement = "home-hero",
            variants = new object[] { new { key = "broadcast", strategy = "broadcast", weight = 50 }, new { key = "personalized", strategy = "personalized", weight = 50 } },
            controlVariant = "broadcast",
            primaryMetric,
        })).GetProperty("id").GetGuid();
        Assert.Equal(HttpStatusCode.OK, (await Shop.PostAsync($"/experiments/{id}/start", null)).StatusCode);
        await ExperimentHistory.BackdateAsync(fixture.ConnectionString, id, daysAgo);
        return id;
    }

    /// <summary>Subjects per arm and day over <paramref name="days"/> days (<see cref="ExperimentHistory"/>).</summary>
    private Task SimulateAsync(Guid experiment, int days, int perArmPerDay, double controlRate, double treatmentRate, int seed, double treatmentShare = 0.5) =>
        ExperimentHistory.SimulateAsync(fixture.ConnectionString, _tenant, experiment, days, perArmPerDay, controlRate, treatmentRate, seed, treatmentShare);

    [Fact]
    public async Task Two_weeks_of_a_clear_uplift_give_a_reliable_verdict_in_words_with_CUPED_and_a_daily_series()
    {
        var experiment = await StartedExperimentAsync(daysAgo: 14);
        await SimulateAsync(experiment, days: 14, perArmPerDay: 300, controlRate: 0.04, treatmentRate: 0.06, seed: 1);

        var report = await Shop.GetFromJsonAsync<JsonElement>($"/experiments/{experiment}/report");
        var verdict = report.GetProperty("verdict");
        Assert.Equal("winner", verdict.GetProperty("status").GetString());
        Assert.Equal("personalized", verdict.GetProperty("variant").GetString());
        Assert.Matches(@"^Persönliche Angebote bringen [\d,]+ % mehr Umsatz pro Besucher \(95 %-Intervall \+[\d,]+ % bis \+[\d,]+ %\)\. Das Ergebnis ist belastbar\.$",
            verdict.GetProperty("de").GetString());
        Assert.Matches(@"^Personal offers bring [\d.]+ % more revenue per visitor \(95 % interval \+[\d.]+ % to \+[\d.]+ %\)\. The result is reliable\.$", verdict.GetProperty("en").GetString());
        Assert.True(report.GetProperty("guards").GetProperty("met").GetBoolean());
        Assert.False(report.GetProperty("sampleRatio").GetProperty("mismatch").GetBoolean());

        // CUPED: the pre-exposure spend explains part of the revenue, so the adjusted interval is narrower.
        var cuped = report.GetProperty("cuped");
        Assert.True(cuped.GetProperty("usedForVerdict").GetBoolean());
        Assert.InRange(cuped.GetProperty("varianceReduction").GetDouble(), 0.01, 0.99);
        var revenue = report.GetProperty("variants")[1].GetProperty("comparison").GetProperty("revenuePerSubject");
        Assert.True(Width(revenue.GetProperty("cuped").GetProperty("absolute")) < Width(revenue.GetProperty("absolute")));
        // Always-valid intervals are wider than fixed-horizon ones: that is their price.
        Assert.True(Width(revenue.GetProperty("sequentialAbsolute")) > Width(revenue.GetProperty("absolute")));
        Assert.InRange(revenue.GetProperty("chanceToBeatControl").GetDouble(), 0.99, 1);
        Assert.Equal("EUR", report.GetProperty("currency").GetString() ?? "EUR");

        var daily = await Shop.GetFromJsonAsync<JsonElement>($"/experiments/{experiment}/report/daily");
        var days = daily.GetProperty("days").EnumerateArray().ToList();
        Assert.InRange(days.Count, 14, 15);
        var subjects = days.Select(d => d.GetProperty("subjects").GetProperty("personalized").GetInt64()).ToList();
        Assert.Equal(subjects.Order(), subjects); // cumulative
        var last = days[^1].GetProperty("variants").GetProperty("personalized");
        Assert.True(last.GetProperty("sequentialRelative").GetProperty("ciLow").GetDouble() > 0, last.ToString());

        // Another shop does not see it.
        var other = await fixture.Client(PersonalizationFixture.NewTenant()).GetAsync($"/experiments/{experiment}/report");
        Assert.Equal(HttpStatusCode.NotFound, other.StatusCode);
    }

    [Fact]
    public async Task A_broken_split_withholds_the_verdict_and_says_why()
    {
        var experiment = await StartedExperimentAsync(daysAgo: 10);
        await SimulateAsync(experiment, days: 10, perArmPerDay: 500, controlRate: 0.04, treatmentRate: 0.06, seed: 2, treatmentShare: 0.53);

        var report = await Shop.GetFromJsonAsync<JsonElement>($"/experiments/{experiment}/report");
        Assert.True(report.GetProperty("sampleRatio").GetProperty("mismatch").GetBoolean(), report.GetProperty("sampleRatio").ToString());
        Assert.Equal("sample-ratio-mismatch", report.GetProperty("verdict").GetProperty("status").GetString());
        Assert.Contains("withheld", report.GetProperty("verdict").GetProperty("en").GetString());
        Assert.Contains("zurückgehalten", report.GetProperty("verdict").GetProperty("de").GetString());
    }

    [Fact]
    public async Task The_tenants_guards_decide_when_a_verdict_may_be_given_and_bad_settings_are_refused_field_by_field()
    {
        var experiment = await StartedExperimentAsync(daysAgo: 3);
        await SimulateAsync(experiment, days: 3, perArmPerDay: 800, controlRate: 0.04, treatmentRate: 0.07, seed: 3);

        var before = await Shop.GetFromJsonAsync<JsonElement>($"/experiments/{experiment}/report");
        Assert.Equal("keep-running", before.GetProperty("verdict").GetProperty("status").GetString());
        Assert.Equal(4, before.GetProperty("verdict").GetProperty("moreDays").GetInt32());
        // What is missing, in both languages, item by item (the console shows the reader's).
        var unmet = before.GetProperty("guards");
        Assert.NotEmpty(unmet.GetProperty("unmet").EnumerateArray());
        Assert.Equal(unmet.GetProperty("unmet").GetArrayLength(), unmet.GetProperty("unmetDe").GetArrayLength());
        Assert.All(unmet.GetProperty("unmetDe").EnumerateArray(), item => Assert.DoesNotContain(" of ", item.GetString(), StringComparison.Ordinal));

        var bad = await Shop.PutAsJsonAsync("/experiment-settings", new { minDays = 400, confidence = 1.5, holdoutShare = -0.1, minSubjectsPerArm = 1 });
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        var errors = (await bad.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors");
        Assert.Equal(["confidence", "holdoutShare", "minDays", "minSubjectsPerArm"], errors.EnumerateObject().Select(e => e.Name).Order());
        Assert.Equal(7, (await Shop.GetFromJsonAsync<JsonElement>("/experiment-settings")).GetProperty("minDays").GetInt32());

        var saved = await Shop.PutAsJsonAsync("/experiment-settings", new { minDays = 3 });
        Assert.Equal(HttpStatusCode.OK, saved.StatusCode);
        var after = await Shop.GetFromJsonAsync<JsonElement>($"/experiments/{experiment}/report");
        Assert.Equal("winner", after.GetProperty("verdict").GetProperty("status").GetString());
    }

    [Fact]
    public async Task The_planner_gives_subjects_and_days_and_refuses_what_it_cannot_plan()
    {
        var plan = await Shop.PostAsJsonAsync("/experiment-plans", new
        {
            placement = "home-hero", minimumDetectableEffect = 0.1, primaryMetric = "conversionRate", baselineConversionRate = 0.03, dailySubjects = 1_000,
        });
        var body = await plan.Content.ReadFromJsonAsync<JsonElement>();
        Assert.True(plan.StatusCode == HttpStatusCode.OK, body.ToString());
        var expected = Math.Ceiling(Experiments.Statistics.Power.SubjectsPerArm(Experiments.Statistics.Power.CohensH(0.03, 0.033)));
        Assert.Equal(expected, body.GetProperty("subjectsPerArm").GetDouble());
        Assert.Equal((int)Math.Ceiling(2 * expected / 1_000), body.GetProperty("days").GetInt32());
        // The verdict's own plan: more subjects than one look at the end, and at that size the sequence clears zero with the power asked.
        var alwaysValid = body.GetProperty("alwaysValidSubjectsPerArm").GetDouble();
        Assert.True(alwaysValid > expected, body.ToString());
        var h = Experiments.Statistics.Power.CohensH(0.03, 0.033);
        Assert.True(Experiments.Statistics.Sequential.HalfWidth(2, 2 * alwaysValid) + Experiments.Statistics.Distributions.NormalQuantile(0.8) * Math.Sqrt(2 / alwaysValid) <= h);
        Assert.True(Experiments.Statistics.Sequential.HalfWidth(2, 2 * (alwaysValid - 2)) + Experiments.Statistics.Distributions.NormalQuantile(0.8) * Math.Sqrt(2 / (alwaysValid - 2)) > h);
        Assert.Contains("Besucher", body.GetProperty("de").GetString());

        var missing = await Shop.PostAsJsonAsync("/experiment-plans", new { placement = "nowhere", minimumDetectableEffect = 9 });
        Assert.Equal(HttpStatusCode.BadRequest, missing.StatusCode);
        var errors = (await missing.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors");
        Assert.True(errors.TryGetProperty("placement", out _) && errors.TryGetProperty("minimumDetectableEffect", out _), errors.ToString());

        // A new shop has neither traffic nor purchases to measure: the planner says which number it needs.
        var unmeasured = await Shop.PostAsJsonAsync("/experiment-plans", new { placement = "home-hero", minimumDetectableEffect = 0.1 });
        Assert.Equal(HttpStatusCode.BadRequest, unmeasured.StatusCode);
        Assert.Contains("baselineRevenuePerSubject", (await unmeasured.Content.ReadAsStringAsync()));

        var wrongType = await Shop.PostAsync("/experiment-plans", new StringContent("""{"placement":"home-hero","minimumDetectableEffect":"ten"}""", System.Text.Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.BadRequest, wrongType.StatusCode);
        Assert.DoesNotContain("System.", await wrongType.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task The_global_holdout_sees_broadcast_everywhere_is_in_the_export_and_is_reported_against_personalization()
    {
        var catalog = await fixture.CatalogAsync(_tenant);
        await Shop.CreateAsync("/offers", Offer("Gartenwochen", categories: [catalog.Garden]));
        Assert.Equal(HttpStatusCode.OK, (await Shop.PutAsJsonAsync("/experiment-settings", new { holdoutShare = 0.5 })).StatusCode);
        var experiment = await StartedExperimentAsync(daysAgo: 0);
        var visitors = Enumerable.Range(0, 40).Select(_ => PersonalizationFixture.NewVisitor()).ToList();
        await Shop.TrackAsync([.. visitors.Select(v => Event("product_viewed", v, catalog.Products[0].ProductId, consent: true))]);

        var inExperiment = 0;
        foreach (var visitor in visitors)
        {
            var first = await Shop.DecideAsync(visitor);
            var second = await Shop.DecideAsync(visitor);
            Assert.Equal(first.GetProperty("experiment").ValueKind, second.GetProperty("experiment").ValueKind); // stable
            inExperiment += first.GetProperty("experiment").ValueKind == JsonValueKind.Object ? 1 : 0;
        }

        var holdout = await fixture.ScalarAsync<long>(
            "SELECT count(*) FROM personalization.exposures WHERE tenant_id = $1 AND experiment_id = '00000000-0000-0000-0000-000000000000' AND variant = 'holdout'", _tenant);
        Assert.InRange(holdout, 8, 32); // half of 40, ± more than 3 standard deviations
        Assert.Equal(40 - holdout, inExperiment); // the holdout takes part in no experiment
        Assert.Equal(inExperiment, await fixture.ScalarAsync<long>("SELECT count(*) FROM personalization.exposures WHERE tenant_id = $1 AND experiment_id = $2", _tenant, experiment));

        var buyer = visitors[0];
        await Shop.TrackAsync(Event("purchased", buyer, catalog.Products[1].ProductId, price: 25m, consent: true));
        var report = await Shop.GetFromJsonAsync<JsonElement>("/holdout/report");
        var rows = report.GetProperty("variants").EnumerateArray().ToDictionary(v => v.GetProperty("key").GetString()!);
        Assert.Equal(40, rows["holdout"].GetProperty("subjects").GetInt32() + rows["personalized"].GetProperty("subjects").GetInt32());
        Assert.Equal(25m, rows["holdout"].GetProperty("revenue").GetDecimal() + rows["personalized"].GetProperty("revenue").GetDecimal());
        Assert.Equal(0.5, report.GetProperty("holdoutShare").GetDouble());
        Assert.Equal("keep-running", report.GetProperty("verdict").GetProperty("status").GetString());

        foreach (var query in new[] { "from=2026-12-01&to=2026-01-01", "to=9999-12-31", "from=yesterday" })
        {
            var bad = await Shop.GetAsync($"/holdout/report?{query}");
            var problem = await bad.Content.ReadAsStringAsync();
            Assert.True(bad.StatusCode == HttpStatusCode.BadRequest, $"{query}: {(int)bad.StatusCode} {problem}");
            Assert.DoesNotContain("System.", problem);
        }
    }

    [Fact]
    public async Task A_customers_holdout_membership_is_in_their_export()
    {
        var catalog = await fixture.CatalogAsync(_tenant);
        var customer = await fixture.CustomerAsync(_tenant, consent: true);
        var visitor = PersonalizationFixture.NewVisitor();
        await Shop.TrackAsync(Event("product_viewed", visitor, catalog.Products[0].ProductId, consent: true));
        await Shop.DecideAsync(visitor, profileId: customer);

        var export = await fixture.Client(_tenant, Scopes.GdprExport).GetFromJsonAsync<JsonElement>($"/gdpr/profiles/{customer}/export");
        var membership = Assert.Single(export.GetProperty("holdout").EnumerateArray());
        Assert.False(membership.GetProperty("inHoldout").GetBoolean()); // this service runs without a holdout share
    }

    [Fact]
    public async Task A_withdrawn_consent_leaves_no_exposure_but_counts_for_the_guardrail_of_the_variant_seen()
    {
        var catalog = await fixture.CatalogAsync(_tenant);
        var experiment = await StartedExperimentAsync(daysAgo: 0);
        var visitor = PersonalizationFixture.NewVisitor();
        await Shop.TrackAsync(Event("product_viewed", visitor, catalog.Products[0].ProductId, consent: true));
        var variant = (await Shop.DecideAsync(visitor)).GetProperty("experiment").GetProperty("variant").GetString()!;

        // The consent banner's answer changes: everything about the visitor goes, an anonymous count stays.
        await Shop.TrackAsync(Event("product_viewed", visitor, catalog.Products[1].ProductId, consent: false));
        Assert.Equal(0L, await fixture.ScalarAsync<long>("SELECT count(*) FROM personalization.exposures WHERE tenant_id = $1 AND subject_key = $2", _tenant, "v:" + visitor));

        var report = await Shop.GetFromJsonAsync<JsonElement>($"/experiments/{experiment}/report");
        var row = report.GetProperty("variants").EnumerateArray().Single(v => v.GetProperty("key").GetString() == variant);
        Assert.Equal(0, row.GetProperty("subjects").GetInt32());
        Assert.Equal(1, row.GetProperty("consentWithdrawals").GetInt32());
        Assert.Equal(1.0, row.GetProperty("consentWithdrawalRate").GetProperty("value").GetDouble());
    }

    [Fact]
    public async Task Three_variants_are_compared_with_control_with_Holm_adjusted_p_values()
    {
        var id = (await Shop.CreateAsync("/experiments", new
        {
            name = "Drei Varianten",
            placement = "home-hero",
            variants = new object[]
            {
                new { key = "broadcast", strategy = "broadcast", weight = 34 }, new { key = "personalized", strategy = "personalized", weight = 33 },
                new { key = "nothing", strategy = "holdout", weight = 33 },
            },
            controlVariant = "broadcast",
            primaryMetric = "conversionRate",
        })).GetProperty("id").GetGuid();
        await using (var dataSource = NpgsqlDataSource.Create(fixture.ConnectionString))
        await using (var insert = dataSource.CreateCommand("""
            INSERT INTO personalization.exposures (tenant_id, experiment_id, subject_key, variant, first_exposed_at, converted_at, revenue, orders)
            SELECT $1, $2, 'v:h' || g, (ARRAY['broadcast', 'personalized', 'nothing'])[g % 3 + 1], now() - interval '1 hour',
                   CASE WHEN g % 3 = 0 AND g % 25 = 0 OR g % 3 = 1 AND g % 16 = 1 OR g % 3 = 2 AND g % 28 = 2 THEN now() END, 0, 0
            FROM generate_series(1, 6000) g
            """))
        {
            insert.Parameters.Add(new() { Value = _tenant });
            insert.Parameters.Add(new() { Value = id });
            await insert.ExecuteNonQueryAsync();
        }

        var report = await Shop.GetFromJsonAsync<JsonElement>($"/experiments/{id}/report");
        var treatments = report.GetProperty("variants").EnumerateArray().Where(v => !v.GetProperty("control").GetBoolean()).ToList();
        Assert.Equal(2, treatments.Count);
        var fixedP = treatments.Select(t => t.GetProperty("comparison").GetProperty("conversionRate").GetProperty("pValue").GetDouble()).ToArray();
        var adjusted = treatments.Select(t => t.GetProperty("comparison").GetProperty("conversionRate").GetProperty("adjustedPValue").GetDouble()).ToArray();
        Assert.Equal(Experiments.Statistics.Holm.Adjust(fixedP), adjusted);
        Assert.All(adjusted.Zip(fixedP), pair => Assert.True(pair.First >= pair.Second));
    }

    [Fact]
    public async Task The_planner_measures_the_placements_traffic_from_the_offers_it_showed()
    {
        var catalog = await fixture.CatalogAsync(_tenant);
        await Shop.CreateAsync("/offers", Offer("Gartenwochen", categories: [catalog.Garden]));
        var visitors = Enumerable.Range(0, 28).Select(_ => PersonalizationFixture.NewVisitor()).ToList();
        await Shop.TrackAsync([.. visitors.Select(v => Event("product_viewed", v, catalog.Products[0].ProductId, consent: true))]);
        foreach (var visitor in visitors)
        {
            Assert.NotEmpty((await Shop.DecideAsync(visitor)).OfferIds());
        }

        var plan = await Shop.PostAsJsonAsync("/experiment-plans", new { placement = "home-hero", minimumDetectableEffect = 0.2, primaryMetric = "conversionRate", baselineConversionRate = 0.05 });
        var body = await plan.Content.ReadFromJsonAsync<JsonElement>();
        Assert.True(plan.StatusCode == HttpStatusCode.OK, body.ToString());
        Assert.True(body.GetProperty("dailySubjectsMeasured").GetBoolean());
        Assert.Equal(1.0, body.GetProperty("dailySubjects").GetDouble(), 6); // 28 subjects over the 28 days looked at
    }

    [Fact]
    public async Task A_variant_nobody_has_seen_yet_gives_a_report_with_nothing_significant_not_an_error()
    {
        var experiment = await StartedExperimentAsync(daysAgo: 20);
        await SimulateAsync(experiment, days: 20, perArmPerDay: 100, controlRate: 0.05, treatmentRate: 0.05, seed: 4, treatmentShare: 0);

        var response = await Shop.GetAsync($"/experiments/{experiment}/report");
        var report = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.True(response.StatusCode == HttpStatusCode.OK, report.ToString());
        var treatment = report.GetProperty("variants").EnumerateArray().Single(v => !v.GetProperty("control").GetBoolean());
        Assert.Equal(0, treatment.GetProperty("subjects").GetInt32());
        Assert.False(treatment.GetProperty("significant").GetBoolean());
        Assert.False(treatment.GetProperty("comparison").GetProperty("revenuePerSubject").GetProperty("significant").GetBoolean());
        Assert.Equal(JsonValueKind.Null, treatment.GetProperty("comparison").GetProperty("conversionRate").GetProperty("pValue").ValueKind);
        // Everybody in one arm of a 50/50 split is the plainest sample ratio mismatch there is.
        Assert.Equal("sample-ratio-mismatch", report.GetProperty("verdict").GetProperty("status").GetString());
        Assert.Equal(HttpStatusCode.OK, (await Shop.GetAsync($"/experiments/{experiment}/report/daily")).StatusCode);
    }

    private static double Width(JsonElement interval) => interval.GetProperty("ciHigh").GetDouble() - interval.GetProperty("ciLow").GetDouble();
}
