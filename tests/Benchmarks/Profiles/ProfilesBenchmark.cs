using MachCommerce.Profiles;

namespace MachCommerce.Benchmarks.Profiles;

/// <summary>
/// The profiles service (its real Program, Kestrel on loopback, durable PostgreSQL) with 1,000,000 profiles in one
/// tenant: read latency by id, by e-mail and in batches of 100, one request at a time; then consent writes
/// (each with its history row and its outbox event) from eight concurrent writers.
/// </summary>
internal static class ProfilesBenchmark
{
    private const string Tenant = "bench-shop";

    public static async Task<string> RunAsync(string[] args)
    {
        var count = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 1_000_000;
        await using var servers = await BenchmarkServers.StartAsync();
        var (database, broker) = await servers.FreshAsync("profiles");
        await using var service = ServiceUnderTest.Start<ProfilesDatabase>("services/profiles", database, broker, environment: "Benchmark");
        using var client = service.Client(Tenant);

        // Loaded with SQL: the benchmark measures reads and consent writes, and a million API calls would take long.
        var clock = Stopwatch.StartNew();
        await using (var connection = new NpgsqlConnection(database))
        {
            await connection.OpenAsync();
            await using (var load = new NpgsqlCommand(
                $"""
                INSERT INTO profiles.profiles (id, tenant_id, kind, external_id, email, first_name, last_name, locale, search_name, traits)
                SELECT gen_random_uuid(), '{Tenant}', 'person', 'K-' || n, 'customer' || n || '@bench.example', 'Vorname' || (n % 500), 'Nachname' || (n % 2000),
                       'de-DE', lower('vorname' || (n % 500) || ' nachname' || (n % 2000)), jsonb_build_object('stammkunde', n % 3 = 0)
                  FROM generate_series(1, {count}) AS n
                """, connection) { CommandTimeout = 0 })
            {
                await load.ExecuteNonQueryAsync();
            }

            await using var analyze = new NpgsqlCommand("VACUUM ANALYZE profiles.profiles", connection) { CommandTimeout = 0 };
            await analyze.ExecuteNonQueryAsync();
        }

        Console.WriteLine($"loaded {count:N0} profiles in {clock.Elapsed.TotalSeconds:N0} s");
        var random = new Random(7);
        var ids = new List<Guid>();
        await using (var connection = new NpgsqlConnection(database))
        {
            await connection.OpenAsync();
            await using var sample = new NpgsqlCommand("SELECT id FROM profiles.profiles TABLESAMPLE SYSTEM (1) LIMIT 5000", connection);
            await using var reader = await sample.ExecuteReaderAsync();
            while (await reader.ReadAsync())
            {
                ids.Add(reader.GetGuid(0));
            }
        }

        var results = new List<string>
        {
            (await Latency.MeasureAsync("get by id", 500, i => Latency.GetAsync(client, $"/profiles/{ids[i % ids.Count]}"))).Row("p99"),
            (await Latency.MeasureAsync("get by e-mail", 500, i => Latency.GetAsync(client, $"/profiles/by-email/customer{random.Next(1, count)}@bench.example"))).Row("p99"),
            (await Latency.MeasureAsync("batch get, 100 ids", 300, i => Latency.PostAsync(client, "/profiles/batch-get", new { ids = ids.Skip(i * 100 % (ids.Count - 100)).Take(100) }))).Row("p99"),
        };

        // Consent writes: eight writers, ten seconds, alternating grant and withdrawal.
        var writes = 0;
        var deadline = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, 8).Select(async writer =>
        {
            var n = writer;
            while (deadline.Elapsed < TimeSpan.FromSeconds(10))
            {
                var response = await client.PutAsJsonAsync($"/profiles/{ids[n % ids.Count]}/consents/personalization",
                    new { granted = n % 2 == 0, source = "storefront", policyVersion = "2026-01" });
                response.EnsureSuccessStatusCode();
                Interlocked.Increment(ref writes);
                n += 8;
            }
        }));
        var consentRate = writes / deadline.Elapsed.TotalSeconds;

        return Report.Start(string.Create(CultureInfo.InvariantCulture, $"Profiles at {count:N0} profiles in one tenant"),
                "the profiles service's own Program on Kestrel, called over loopback HTTP one request at a time (latency includes HTTP, JSON and the identity check), PostgreSQL 15 with fsync on.",
                "profiles [profiles]")
            .AppendLine(CultureInfo.InvariantCulture, $"Consent writes (each: a history row and a ConsentChanged event in the outbox, one transaction), 8 concurrent writers for 10 s: **{consentRate:N0} writes/s**.")
            .AppendLine()
            .AppendLatencyTable("operation", results, last: "reported")
            .ToString();
    }
}
