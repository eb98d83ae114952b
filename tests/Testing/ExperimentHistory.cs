namespace MachCommerce.Testing;

/// <summary>
/// An experiment's past written straight into personalization's exposures (two weeks of visitors cannot be waited
/// for): per arm and day, subjects converting at the given rates with order values around 60, and pre-exposure spend
/// that predicts the revenue (what CUPED uses). The same seed gives the same history.
/// </summary>
public static class ExperimentHistory
{
    public static async Task SimulateAsync(string personalizationDatabase, string tenant, Guid experiment, int days, int perArmPerDay, double controlRate, double treatmentRate,
        int seed, double treatmentShare = 0.5, string control = "broadcast", string treatment = "personalized")
    {
        var random = new Random(seed);
        var (keys, variants, exposed, converted, revenue, orders, before) = (new List<string>(), new List<string>(), new List<DateTimeOffset>(), new List<DateTimeOffset?>(),
            new List<decimal>(), new List<int>(), new List<decimal>());
        var now = DateTimeOffset.UtcNow;
        for (var day = 0; day < days; day++)
        {
            for (var i = 0; i < 2 * perArmPerDay; i++)
            {
                var treated = random.NextDouble() < treatmentShare;
                var spent = random.NextDouble() < 0.5 ? Math.Round((decimal)(random.NextDouble() * 200), 2) : 0m;
                var buys = random.NextDouble() < (treated ? treatmentRate : controlRate) * (0.5 + (double)spent / 200);
                var at = now.AddDays(-days + day).AddMinutes(random.Next(1, 1_400));
                keys.Add($"v:sim-{seed}-{day}-{i}");
                variants.Add(treated ? treatment : control);
                exposed.Add(at);
                converted.Add(buys ? at.AddHours(2) : null);
                revenue.Add(buys ? Math.Round(30 + (decimal)random.NextDouble() * 60 + spent / 4, 2) : 0);
                orders.Add(buys ? 1 : 0);
                before.Add(spent);
            }
        }

        await using var dataSource = NpgsqlDataSource.Create(personalizationDatabase);
        await using var insert = dataSource.CreateCommand("""
            INSERT INTO personalization.exposures (tenant_id, experiment_id, subject_key, variant, first_exposed_at, converted_at, revenue, orders, pre_revenue)
            SELECT $1, $2, * FROM unnest($3::text[], $4::text[], $5::timestamptz[], $6::timestamptz[], $7::numeric[], $8::int[], $9::numeric[])
            """);
        foreach (var value in new object[] { tenant, experiment, keys.ToArray(), variants.ToArray(), exposed.ToArray(), converted.ToArray(), revenue.ToArray(), orders.ToArray(), before.ToArray() })
        {
            insert.Parameters.Add(new() { Value = value });
        }

        await insert.ExecuteNonQueryAsync();
    }

    /// <summary>Moves a started experiment's start <paramref name="daysAgo"/> days back, as if it had been running that long.</summary>
    public static async Task BackdateAsync(string personalizationDatabase, Guid experiment, int daysAgo)
    {
        await using var dataSource = NpgsqlDataSource.Create(personalizationDatabase);
        await using var update = dataSource.CreateCommand(
            "UPDATE personalization.experiments SET definition = jsonb_set(definition, '{startedAt}', to_jsonb(now() - make_interval(days => $2))) WHERE id = $1");
        update.Parameters.Add(new() { Value = experiment });
        update.Parameters.Add(new() { Value = daysAgo });
        await update.ExecuteNonQueryAsync();
    }
}
