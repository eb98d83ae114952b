using MachCommerce.Personalization;

namespace MachCommerce.Benchmarks.Experiments;

/// <summary>
/// The experiment report and its daily series over HTTP, for an experiment of 1,000,000 exposed subjects and
/// 100,000 conversions over 60 days (the size), on the personalization service's real Program and durable
/// PostgreSQL; the history is written straight into the exposures (generate_series), as many days of decisions
/// would have left it.
/// </summary>
internal static class ExperimentsBenchmark
{
    private const string Tenant = "bench-shop";

    public static async Task<string> RunAsync(string[] args)
    {
        var subjects = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 1_000_000;
        var samples = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 100;
        await using var servers = await BenchmarkServers.StartAsync();
        var (database, broker) = await servers.FreshAsync("experiments");
        await using var service = ServiceUnderTest.Start<PersonalizationDatabase>("services/personalization", database, broker, environment: "Benchmark");
        using var client = service.Client(Tenant);
        // A second instance that never reuses the open days: every report pays what one request per freshness period pays.
        await using var recomputing = ServiceUnderTest.Start<PersonalizationDatabase>("services/personalization", database, broker, environment: "Benchmark",
            settings: new Dictionary<string, string?> { ["Personalization:ExperimentReportFreshness"] = "00:00:00" });
        using var recomputingClient = recomputing.Client(Tenant);

        var created = await client.PostAsJsonAsync("/experiments", new
        {
            name = "Startseite",
            placement = "home-hero",
            variants = new object[] { new { key = "broadcast", strategy = "broadcast", weight = 50 }, new { key = "personalized", strategy = "personalized", weight = 50 } },
            controlVariant = "broadcast",
        });
        created.EnsureSuccessStatusCode();
        var id = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
        (await client.PostAsync($"/experiments/{id}/start", null)).EnsureSuccessStatusCode();

        var loading = System.Diagnostics.Stopwatch.StartNew();
        await using (var dataSource = NpgsqlDataSource.Create(database))
        {
            await using var started = dataSource.CreateCommand(
                "UPDATE personalization.experiments SET definition = jsonb_set(definition, '{startedAt}', to_jsonb(now() - interval '60 days')) WHERE id = $1");
            started.Parameters.Add(new() { Value = id });
            await started.ExecuteNonQueryAsync();
            // 10 % convert (100,000 of 1,000,000), the personalized arm a little more often; order values 20–120.
            await using var insert = dataSource.CreateCommand("""
                INSERT INTO personalization.exposures (tenant_id, experiment_id, subject_key, variant, first_exposed_at, converted_at, revenue, orders, pre_revenue)
                SELECT $1, $2, 'v:bench-' || g, v, at, CASE WHEN buys THEN at + interval '3 hours' END,
                       CASE WHEN buys THEN round((20 + random() * 100)::numeric, 2) ELSE 0 END, CASE WHEN buys THEN 1 ELSE 0 END,
                       round((random() * 200)::numeric, 2)
                FROM (SELECT g, CASE WHEN g % 2 = 0 THEN 'personalized' ELSE 'broadcast' END AS v,
                             now() - interval '60 days' + (g::float8 / $3) * interval '60 days' AS at,
                             random() < CASE WHEN g % 2 = 0 THEN 0.105 ELSE 0.095 END AS buys
                      FROM generate_series(1, $3) g) s
                """);
            insert.Parameters.Add(new() { Value = Tenant });
            insert.Parameters.Add(new() { Value = id });
            insert.Parameters.Add(new() { Value = subjects });
            insert.CommandTimeout = 600;
            await insert.ExecuteNonQueryAsync();
            await using var analyze = dataSource.CreateCommand("VACUUM ANALYZE personalization.exposures");
            await analyze.ExecuteNonQueryAsync();
        }

        Console.WriteLine($"history: {subjects:N0} subjects in {loading.Elapsed.TotalSeconds:N0} s");
        var first = System.Diagnostics.Stopwatch.StartNew();
        var report = await client.GetFromJsonAsync<JsonElement>($"/experiments/{id}/report");
        var firstReport = first.Elapsed.TotalMilliseconds;
        var conversions = report.GetProperty("variants").EnumerateArray().Sum(v => v.GetProperty("conversions").GetInt64());

        // Side by side, interleaved: report, series, report, series…
        var results = new List<Latency.Result>();
        for (var round = 0; round < 2; round++)
        {
            results.Add(await Latency.MeasureAsync("report", samples / 2, _ => Latency.GetAsync(client, $"/experiments/{id}/report"), warmUp: 5));
            results.Add(await Latency.MeasureAsync("daily series", samples / 2, _ => Latency.GetAsync(client, $"/experiments/{id}/report/daily"), warmUp: 5));
            results.Add(await Latency.MeasureAsync("report, open days recomputed", samples / 4, _ => Latency.GetAsync(recomputingClient, $"/experiments/{id}/report"), warmUp: 2));
            results.Add(await Latency.MeasureAsync("daily series, open days recomputed", samples / 4, _ => Latency.GetAsync(recomputingClient, $"/experiments/{id}/report/daily"), warmUp: 2));
        }

        return Report.Start("Experiments benchmark",
                string.Create(CultureInfo.InvariantCulture, $"an experiment of {subjects:N0} exposed subjects and {conversions:N0} conversions over 60 days, two arms; ")
                + "each GET over HTTP on loopback, one at a time, the service's real Program and durable PostgreSQL; two interleaved rounds.",
                string.Create(CultureInfo.InvariantCulture, $"experiments {subjects} {samples}"))
            .AppendLatencyTable("request", results.Select(result =>
                result.Row(result.Name.Contains("recomputed", StringComparison.Ordinal) ? "once per freshness period (5 min)" : "p99 < 200 ms")))
            .AppendLine(CultureInfo.InvariantCulture, $"The very first report (every day aggregated from the exposures, the sealed ones kept): {firstReport:N0} ms.")
            .ToString();
    }
}
