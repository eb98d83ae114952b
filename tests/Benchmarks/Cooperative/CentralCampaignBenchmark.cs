namespace MachCommerce.Benchmarks.Cooperative;

/// <summary>
/// A cooperative's central campaign at many members: the personalization service (its real Program, Kestrel on
/// loopback, durable PostgreSQL) with a measured campaign that every member joins. Measures a member joining (its
/// offer and experiment written), a change of the campaign reaching every member (one transaction), and the
/// results: each member's experiment report over its visitors and the pooled meta-analysis.
/// </summary>
internal static class CentralCampaignBenchmark
{
    private const string Cooperative = "bench-verbund";

    public static async Task<string> RunAsync(string[] args)
    {
        var members = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 50;
        var visitorsPerDay = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 100;
        const int changes = 10, reads = 10, days = 30;

        await using var servers = await BenchmarkServers.StartAsync();
        var (database, broker) = await servers.FreshAsync("campaigns");
        await using var personalization = ServiceUnderTest.Start<MachCommerce.Personalization.PersonalizationDatabase>("services/personalization", database, broker,
            environment: "Benchmark");
        using var central = personalization.CooperativeClient(CooperativeTenants.CentralTenant(Cooperative), Cooperative);
        var created = await central.PostAsJsonAsync("/central/campaigns", Campaign("Verbund-Aktionswochen", "Verbund-Aktionswochen: 10 % auf Ihren Einkauf"));
        var id = (await Read(created)).GetProperty("id").GetGuid();
        await Read(await central.PostAsync($"/central/campaigns/{id}/publish", null));

        var joins = new List<double>();
        var experiments = new List<(string Member, Guid Experiment)>();
        for (var m = 0; m < members; m++)
        {
            using var member = personalization.CooperativeClient($"member-{m:D2}", Cooperative);
            var clock = Stopwatch.StartNew();
            var joined = await Read(await member.PutAsJsonAsync($"/central/campaigns/{id}/participation", new { incentive = new { value = 10 + m % 10 } }));
            joins.Add(clock.Elapsed.TotalMilliseconds);
            experiments.Add(($"member-{m:D2}", joined.GetProperty("experimentId").GetGuid()));
        }

        // A change of the campaign (a new headline, a lower maximum that caps half the members' discounts) until the
        // answer: every member's copy is rewritten in that one transaction.
        var rollouts = new List<double>();
        for (var i = 0; i < changes; i++)
        {
            using var current = await central.GetAsync($"/central/campaigns/{id}");
            using var change = new HttpRequestMessage(HttpMethod.Put, $"/central/campaigns/{id}")
            {
                Content = JsonContent.Create(Campaign("Verbund-Aktionswochen", $"Verbund-Aktionswochen, Woche {i + 1}", maxIncentive: 15 + i % 5)),
            };
            change.Headers.TryAddWithoutValidation("If-Match", current.Headers.ETag!.Tag);
            var clock = Stopwatch.StartNew();
            await Read(await central.SendAsync(change));
            rollouts.Add(clock.Elapsed.TotalMilliseconds);
        }

        using (var last = personalization.CooperativeClient($"member-{members - 1:D2}", Cooperative))
        {
            var offer = (await last.GetFromJsonAsync<JsonElement>($"/central/campaigns/{id}")).GetProperty("participation").GetProperty("offerId").GetGuid();
            var headline = (await last.GetFromJsonAsync<JsonElement>($"/offers/{offer}")).GetProperty("content").GetProperty("de").GetProperty("headline").GetString();
            if (headline != $"Verbund-Aktionswochen, Woche {changes}")
            {
                throw new InvalidOperationException($"the last change did not reach member-{members - 1:D2}: {headline}");
            }
        }

        // Each member's past: a month of visitors of the placement, four in five with the offer.
        for (var m = 0; m < experiments.Count; m++)
        {
            await ExperimentHistory.BackdateAsync(database, experiments[m].Experiment, days);
            await ExperimentHistory.SimulateAsync(database, experiments[m].Member, experiments[m].Experiment, days, visitorsPerDay / 2, 0.08, 0.08 + 0.004 * (m % 6), 500 + m,
                treatmentShare: 0.8, control: "without-offer", treatment: "with-offer");
        }

        var results = new List<double>();
        JsonElement answer = default;
        for (var i = 0; i < reads + 1; i++)
        {
            var clock = Stopwatch.StartNew();
            answer = await central.GetFromJsonAsync<JsonElement>($"/central/campaigns/{id}/results");
            if (i > 0)
            {
                results.Add(clock.Elapsed.TotalMilliseconds); // the first computes and keeps every member's sealed days
            }
        }

        var pooled = answer.GetProperty("pooled");
        static double Percentile(List<double> values, double p)
        {
            var sorted = values.Order().ToList();
            return sorted[Math.Min(sorted.Count - 1, (int)Math.Ceiling(p * sorted.Count) - 1)];
        }

        static string Row(string what, List<double> ms, string goal) =>
            string.Create(CultureInfo.InvariantCulture, $"| {what} | {ms.Count} | {Percentile(ms, 0.5):0.0} | {Percentile(ms, 0.99):0.0} | {ms.Max():0.0} | {goal} |");

        return Report.Start("A cooperative's central campaign at many members",
                "the personalization service's own Program on Kestrel over loopback, PostgreSQL with fsync on. A measured campaign (the offer against none, four visitors in five with it) that every member joins at a discount of its own.",
                "campaigns [members] [visitors per member and day]")
            .AppendLine(CultureInfo.InvariantCulture, $"**{members} members**; results over {days} days of {visitorsPerDay:N0} visitors a day per member ({members * days * visitorsPerDay:N0} exposures).")
            .AppendLine()
            .AppendLatencyTable("what", last: "goal (issue #21)", rows:
            [
                Row("a member joins (its offer and its experiment written)", joins, ""),
                Row($"a change of the campaign reaches all {members} members (one transaction)", rollouts, "rolled out to 50 members in under 10 s"),
                Row($"results: {members} members' reports and the pooled uplift", results, ""),
            ])
            .AppendLine(CultureInfo.InvariantCulture,
                $"Pooled over {pooled.GetProperty("members").GetInt32()} members: {answer.GetProperty("en").GetString()} (τ² {pooled.GetProperty("tau2").GetDouble():0.00000}, I² {pooled.GetProperty("i2").GetDouble():0.00}).")
            .ToString();
    }

    private static object Campaign(string name, string headline, int maxIncentive = 20) => new
    {
        name,
        offer = new
        {
            placements = new[] { "cart" },
            content = new { de = new { headline } },
            incentive = new { type = "percent", value = 10 },
            priority = 60,
        },
        limits = new { maxIncentive, locked = new[] { "content" } },
        measure = true,
    };

    private static async Task<JsonElement> Read(HttpResponseMessage response)
    {
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        return response.IsSuccessStatusCode ? body : throw new InvalidOperationException($"{response.RequestMessage?.Method} {response.RequestMessage?.RequestUri}: {(int)response.StatusCode} {body}");
    }
}
