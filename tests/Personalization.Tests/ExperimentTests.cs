using Npgsql;
using static MachCommerce.Personalization.Tests.PersonalizationRequests;

namespace MachCommerce.Personalization.Tests;

public sealed class ExperimentTests(PersonalizationFixture fixture) : IClassFixture<PersonalizationFixture>
{
    private readonly string _tenant = PersonalizationFixture.NewTenant();

    private HttpClient Shop => fixture.Client(_tenant);

    private static object Experiment(string name, string placement = "home-hero", int personalizedWeight = 50, int broadcastWeight = 50, int window = 168) => new
    {
        name,
        placement,
        variants = new object[]
        {
            new { key = "broadcast", strategy = "broadcast", weight = broadcastWeight },
            new { key = "personalized", strategy = "personalized", weight = personalizedWeight },
        },
        controlVariant = "broadcast",
        attributionWindowHours = window,
    };

    private async Task<Guid> RunningExperimentAsync(string name, int window = 168)
    {
        var id = (await Shop.CreateAsync("/experiments", Experiment(name, window: window))).GetProperty("id").GetGuid();
        var started = await Shop.PostAsync($"/experiments/{id}/start", null);
        Assert.Equal(HttpStatusCode.OK, started.StatusCode);
        return id;
    }

    [Fact]
    public async Task Assignment_is_stable_per_visitor_and_splits_the_traffic()
    {
        var catalog = await fixture.CatalogAsync(_tenant);
        await Shop.CreateAsync("/offers", Offer("Gartenwochen", categories: [catalog.Garden]));
        var experiment = await RunningExperimentAsync("Personalisiert gegen Broadcast");
        var visitors = Enumerable.Range(0, 120).Select(_ => PersonalizationFixture.NewVisitor()).ToList();
        await Shop.TrackAsync([.. visitors.Select(v => Event("product_viewed", v, catalog.Products[0].ProductId, consent: true))]);

        var variants = new Dictionary<string, string>();
        foreach (var visitor in visitors)
        {
            var seen = new HashSet<string>();
            for (var i = 0; i < 3; i++)
            {
                var decision = await Shop.DecideAsync(visitor);
                Assert.Equal(experiment, decision.GetProperty("experiment").GetProperty("experimentId").GetGuid());
                seen.Add(decision.GetProperty("experiment").GetProperty("variant").GetString()!);
            }

            variants[visitor] = Assert.Single(seen);
        }

        var personalized = variants.Values.Count(v => v == "personalized");
        Assert.InRange(personalized, 36, 84); // 50% ± more than 4 standard deviations of 120 coin flips
        Assert.Equal(120L, await fixture.ScalarAsync<long>("SELECT count(*) FROM personalization.exposures WHERE tenant_id = $1 AND experiment_id = $2", _tenant, experiment));
        Assert.Equal(360L, await fixture.ScalarAsync<long>("SELECT sum(impressions)::bigint FROM personalization.exposures WHERE tenant_id = $1 AND experiment_id = $2", _tenant, experiment));
    }

    [Fact]
    public async Task Purchases_inside_the_window_after_exposure_count_as_conversions_of_the_variant_seen()
    {
        var catalog = await fixture.CatalogAsync(_tenant);
        var offer = (await Shop.CreateAsync("/offers", Offer("Gartenwochen", categories: [catalog.Garden]))).GetProperty("id").GetGuid();
        var experiment = await RunningExperimentAsync("Attribution", window: 24);
        var buyer = PersonalizationFixture.NewVisitor();
        var clicker = PersonalizationFixture.NewVisitor();
        var earlyBuyer = PersonalizationFixture.NewVisitor();
        await Shop.TrackAsync(Event("product_viewed", buyer, catalog.Products[0].ProductId, consent: true),
            Event("product_viewed", clicker, catalog.Products[0].ProductId, consent: true),
            Event("purchased", earlyBuyer, catalog.Products[1].ProductId, price: 10m, consent: true, at: DateTimeOffset.UtcNow.AddMinutes(-5)));

        var variant = (await Shop.DecideAsync(buyer)).GetProperty("experiment").GetProperty("variant").GetString();
        await Shop.DecideAsync(clicker);
        await Shop.DecideAsync(earlyBuyer);
        // The buyer was first exposed 30 hours ago: a purchase 29 hours ago is inside the 24-hour window, one now is not.
        await fixture.ScalarAsync<int>("UPDATE personalization.exposures SET first_exposed_at = now() - interval '30 hours' WHERE subject_key = $1", "v:" + buyer);
        await Shop.TrackAsync(
            Event("offer_clicked", clicker, offerId: offer),
            Event("purchased", buyer, catalog.Products[2].ProductId, price: 34.5m, quantity: 2, at: DateTimeOffset.UtcNow.AddHours(-29)),
            Event("purchased", buyer, catalog.Products[3].ProductId, price: 1m));
        var report = await Shop.GetFromJsonAsync<JsonElement>($"/experiments/{experiment}/report");

        var rows = report.GetProperty("variants").EnumerateArray().ToDictionary(v => v.GetProperty("key").GetString()!);
        Assert.Equal(3, rows.Values.Sum(r => r.GetProperty("subjects").GetInt32()));
        Assert.Equal(1, rows.Values.Sum(r => r.GetProperty("clicks").GetInt32()));
        Assert.Equal(1, rows.Values.Sum(r => r.GetProperty("conversions").GetInt32())); // the early purchase came before the exposure
        Assert.Equal(1, rows[variant!].GetProperty("conversions").GetInt32());
        Assert.Equal(69m, rows[variant!].GetProperty("revenue").GetDecimal()); // the purchase after the 24-hour window does not count
        Assert.Equal(1, await fixture.ScalarAsync<long>("SELECT sum(clicks)::bigint FROM personalization.offer_stats WHERE tenant_id = $1", _tenant));
    }

    [Fact]
    public async Task The_demo_history_gives_reliable_verdicts_for_the_experiment_and_the_holdout()
    {
        var experiment = await RunningExperimentAsync("Startseite: personalisiert gegen Broadcast");
        // What the launcher's seed does (this service runs without a holdout; the demo's is the default 5 %).
        Assert.Equal(HttpStatusCode.OK, (await Shop.PutAsJsonAsync("/experiment-settings", new { holdoutShare = Launcher.DemoData.DemoExperimentHistory.HoldoutShare })).StatusCode);
        await Launcher.DemoData.DemoExperimentHistory.WriteAsync(fixture.ConnectionString, _tenant, experiment, 7, DateTimeOffset.UtcNow, CancellationToken.None);

        var report = await Shop.GetFromJsonAsync<JsonElement>($"/experiments/{experiment}/report");
        var verdict = report.GetProperty("verdict");
        Assert.True(verdict.GetProperty("status").GetString() == "winner", report.ToString());
        Assert.StartsWith("Persönliche Angebote bringen", verdict.GetProperty("de").GetString());
        Assert.EndsWith("Das Ergebnis ist belastbar.", verdict.GetProperty("de").GetString());
        Assert.False(report.GetProperty("sampleRatio").GetProperty("mismatch").GetBoolean());
        Assert.True(report.GetProperty("cuped").GetProperty("varianceReduction").GetDouble() > 0, report.GetProperty("cuped").ToString() + report.GetProperty("verdict"));

        var holdout = await Shop.GetFromJsonAsync<JsonElement>("/holdout/report");
        Assert.True(holdout.GetProperty("verdict").GetProperty("status").GetString() == "winner", holdout.ToString());
        Assert.False(holdout.GetProperty("sampleRatio").GetProperty("mismatch").GetBoolean());
        Assert.True(holdout.GetProperty("extraRevenue").GetProperty("ciLow").GetDouble() > 0, holdout.GetProperty("extraRevenue").ToString());
        // The planner measures both the placement's traffic and the baseline from the history: nothing to type in.
        var plan = await Shop.PostAsJsonAsync("/experiment-plans", new { placement = "home-hero", minimumDetectableEffect = 0.1 });
        var planned = await plan.Content.ReadFromJsonAsync<JsonElement>();
        Assert.True(plan.StatusCode == HttpStatusCode.OK, planned.ToString());
        Assert.True(planned.GetProperty("dailySubjectsMeasured").GetBoolean() && planned.GetProperty("baseline").GetProperty("measured").GetBoolean(), planned.ToString());
        Assert.InRange(planned.GetProperty("dailySubjects").GetDouble(), 500, 1_500);

        // For the README: the verdicts as a merchant reads them.
        Console.WriteLine(verdict.GetProperty("de").GetString());
        Console.WriteLine(holdout.GetProperty("verdict").GetProperty("de").GetString());
        Console.WriteLine(planned.GetProperty("de").GetString());
    }

    [Fact]
    public async Task The_report_computes_the_uplift_and_its_confidence_interval_as_checked_by_hand()
    {
        var experiment = (await Shop.CreateAsync("/experiments", Experiment("Handgerechnet"))).GetProperty("id").GetGuid();
        // control: 1000 subjects, 100 converted (10%); personalized: 1000 subjects, 130 converted (13%).
        await using (var dataSource = NpgsqlDataSource.Create(fixture.ConnectionString))
        await using (var insert = dataSource.CreateCommand("""
            INSERT INTO personalization.exposures (tenant_id, experiment_id, subject_key, variant, first_exposed_at, converted_at, revenue, orders)
            SELECT $1, $2, 'v:' || g, CASE WHEN g <= 1000 THEN 'broadcast' ELSE 'personalized' END, now(),
                   CASE WHEN g <= 100 OR g BETWEEN 1001 AND 1130 THEN now() END, CASE WHEN g <= 100 OR g BETWEEN 1001 AND 1130 THEN 20 ELSE 0 END,
                   CASE WHEN g <= 100 OR g BETWEEN 1001 AND 1130 THEN 1 ELSE 0 END
            FROM generate_series(1, 2000) g
            """))
        {
            insert.Parameters.Add(new() { Value = _tenant });
            insert.Parameters.Add(new() { Value = experiment });
            await insert.ExecuteNonQueryAsync();
        }

        var report = await Shop.GetFromJsonAsync<JsonElement>($"/experiments/{experiment}/report");

        var control = report.GetProperty("variants")[0];
        var treatment = report.GetProperty("variants")[1];
        Assert.True(control.GetProperty("control").GetBoolean());
        Assert.Equal(0.10, control.GetProperty("conversionRate").GetProperty("value").GetDouble(), 10);
        Assert.Equal(0.13, treatment.GetProperty("conversionRate").GetProperty("value").GetDouble(), 10);
        // Wilson, as statsmodels' proportion_confint(130, 1000, method="wilson") gives it.
        Assert.Equal(0.11056377462484193, treatment.GetProperty("conversionRate").GetProperty("ciLow").GetDouble(), 12);
        Assert.Equal(0.1522680266544689, treatment.GetProperty("conversionRate").GetProperty("ciHigh").GetDouble(), 12);
        Assert.Equal(2.6, treatment.GetProperty("revenuePerSubject").GetProperty("value").GetDouble(), 10);
        Assert.Equal(20.0, treatment.GetProperty("averageOrderValue").GetDouble(), 10);
        var conversion = treatment.GetProperty("comparison").GetProperty("conversionRate");
        // Newcombe's interval (statsmodels' confint_proportions_2indep, method="newcomb"), not Wald's 0.002068..0.057932.
        Assert.Equal(0.03, conversion.GetProperty("absolute").GetProperty("value").GetDouble(), 12);
        Assert.Equal(0.0020023487152830075, conversion.GetProperty("absolute").GetProperty("ciLow").GetDouble(), 12);
        Assert.Equal(0.05807048502220285, conversion.GetProperty("absolute").GetProperty("ciHigh").GetDouble(), 12);
        // Relative by the delta method: 30 % ± 1.96·√(Var(p̂ₜ)/p꜀² + p̂ₜ²·Var(p̂꜀)/p꜀⁴).
        Assert.Equal(0.30, conversion.GetProperty("relative").GetProperty("value").GetDouble(), 10);
        Assert.Equal(-0.019179397713587065, conversion.GetProperty("relative").GetProperty("ciLow").GetDouble(), 10);
        Assert.Equal(0.6191793977135871, conversion.GetProperty("relative").GetProperty("ciHigh").GetDouble(), 10);
        // Pooled z = 2.1027 → p = 0.0355 (statsmodels' proportions_ztest); the always-valid reading is more careful.
        Assert.Equal(0.03548845046647471, conversion.GetProperty("pValue").GetDouble(), 10);
        Assert.True(conversion.GetProperty("sequentialPValue").GetDouble() > conversion.GetProperty("pValue").GetDouble());
        var sequential = conversion.GetProperty("sequentialAbsolute");
        Assert.True(sequential.GetProperty("ciLow").GetDouble() < 0.0020023487152830075 && sequential.GetProperty("ciHigh").GetDouble() > 0.05807048502220285);
        Assert.InRange(conversion.GetProperty("chanceToBeatControl").GetDouble(), 0.95, 0.99);
    }

    [Fact]
    public async Task A_holdout_sees_no_offer_but_is_still_counted_as_exposed()
    {
        var catalog = await fixture.CatalogAsync(_tenant);
        await Shop.CreateAsync("/offers", Offer("Gartenwochen", categories: [catalog.Garden]));
        var id = (await Shop.CreateAsync("/experiments", new
        {
            name = "Alles Holdout",
            placement = "home-hero",
            variants = new object[] { new { key = "holdout", strategy = "holdout", weight = 100 }, new { key = "personalized", strategy = "personalized", weight = 1 } },
        })).GetProperty("id").GetGuid();
        await Shop.PostAsync($"/experiments/{id}/start", null);
        var visitors = Enumerable.Range(0, 10).Select(_ => PersonalizationFixture.NewVisitor()).ToList();
        await Shop.TrackAsync([.. visitors.Select(v => Event("product_viewed", v, catalog.Products[0].ProductId, consent: true))]);

        var decisions = new List<JsonElement>();
        foreach (var visitor in visitors)
        {
            decisions.Add(await Shop.DecideAsync(visitor));
        }

        var holdouts = decisions.Where(d => d.GetProperty("experiment").GetProperty("variant").GetString() == "holdout").ToList();
        Assert.NotEmpty(holdouts);
        Assert.All(holdouts, d => Assert.Empty(d.OfferIds()));
        Assert.Equal(10L, await fixture.ScalarAsync<long>("SELECT count(*) FROM personalization.exposures WHERE tenant_id = $1 AND experiment_id = $2", _tenant, id));
    }

    [Fact]
    public async Task Lifecycle_rules_one_running_experiment_per_placement_and_no_changes_once_started()
    {
        var first = await RunningExperimentAsync("Erstes");
        var second = (await Shop.CreateAsync("/experiments", Experiment("Zweites"))).GetProperty("id").GetGuid();

        var startSecond = await Shop.PostAsync($"/experiments/{second}/start", null);
        var edit = new HttpRequestMessage(HttpMethod.Put, $"/experiments/{first}") { Content = JsonContent.Create(Experiment("Erstes, geändert")) };
        edit.Headers.IfMatch.Add(new System.Net.Http.Headers.EntityTagHeaderValue("\"v2\""));
        var editRunning = await Shop.SendAsync(edit);
        var deleteRunning = await Shop.DeleteAsync($"/experiments/{first}");
        var stop = await Shop.PostAsync($"/experiments/{first}/stop", null);
        var stopAgain = await Shop.PostAsync($"/experiments/{first}/stop", null);
        var startSecondNow = await Shop.PostAsync($"/experiments/{second}/start", null);

        Assert.Equal(HttpStatusCode.Conflict, startSecond.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, editRunning.StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, deleteRunning.StatusCode);
        Assert.Equal(HttpStatusCode.OK, stop.StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, stopAgain.StatusCode);
        Assert.Equal(HttpStatusCode.OK, startSecondNow.StatusCode);
        Assert.Equal("stopped", (await Shop.GetFromJsonAsync<JsonElement>($"/experiments/{first}/report")).GetProperty("status").GetString());

        // The shop's systems hear of the end once (webhooks' experiment.finished), from the same transaction as the stop.
        Assert.Equal(1L, await fixture.ScalarAsync<long>(
            "SELECT count(*) FROM personalization.outbox WHERE tenant_id = $1 AND message_type LIKE 'MachCommerce.Contracts.Personalization.V1.ExperimentFinished,%' AND payload->>'experimentId' = $2",
            _tenant, first.ToString()));
        Assert.Equal(0L, await fixture.ScalarAsync<long>(
            "SELECT count(*) FROM personalization.outbox WHERE tenant_id = $1 AND payload->>'experimentId' = $2", _tenant, second.ToString()));
    }

    [Fact]
    public async Task A_redeemed_offer_is_announced_once_without_saying_who_redeemed_it()
    {
        var offer = Guid.NewGuid();
        var redeemed = Event("offer_redeemed", "v-redeemer-1", offerId: offer, orderId: "ORD-4711");
        await Shop.TrackAsync(redeemed);
        await Shop.TrackAsync(redeemed); // a front end's retry of the same batch
        var payload = await fixture.ScalarAsync<string>(
            "SELECT payload::text FROM personalization.outbox WHERE tenant_id = $1 AND message_type LIKE 'MachCommerce.Contracts.Personalization.V1.OfferRedeemed,%' AND payload->>'offerId' = $2",
            _tenant, offer.ToString());
        Assert.Contains("ORD-4711", payload);
        Assert.DoesNotContain("v-redeemer-1", payload);
        Assert.Equal(1L, await fixture.ScalarAsync<long>("SELECT count(*) FROM personalization.outbox WHERE tenant_id = $1 AND payload->>'offerId' = $2", _tenant, offer.ToString()));
    }
}
