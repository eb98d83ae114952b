namespace MachCommerce.Benchmarks.Catalog;

/// <summary>
/// The catalog service (its real Program, Kestrel on loopback, durable PostgreSQL) with 100,000 demo products in one
/// tenant: bulk upsert throughput while loading them, then search, listing and batch-get latency, one request at a time.
/// </summary>
internal static class CatalogBenchmark
{
    private const string Tenant = "bench-shop";

    /// <summary>Per measured operation: a thousand, so that p99 is the tenth-slowest request, not the third (PostgreSQL-only rows: 300).</summary>
    private const int Samples = 1_000;

    public static async Task<string> RunAsync(string[] args)
    {
        var products = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 100_000;
        await using var servers = await BenchmarkServers.StartAsync();
        var (database, broker) = await servers.FreshAsync("catalog");
        // The first search waits for the tenant's in-memory index, so every measured search uses it.
        await using var catalog = ServiceUnderTest.Start<MachCommerce.Catalog.CatalogOptions>("services/catalog", database, broker, environment: "Benchmark",
            settings: new Dictionary<string, string?> { ["Catalog:SearchIndexWait"] = "00:05:00" });
        using var client = catalog.Client(Tenant);

        var categories = await DemoCatalogRequests.CreateCategoriesAsync(client);

        // Bulk upsert: 1,000 products a request, one writer, as an ERP import would send them.
        var clock = Stopwatch.StartNew();
        foreach (var chunk in DemoCatalog.Products(products, "hardware", 7, "B").Chunk(1_000))
        {
            var items = chunk.Select(p => p.Input with { CategoryIds = [.. p.CategorySlugs.Select(s => categories[s])] });
            (await client.PostAsJsonAsync("/products/bulk", new { items })).EnsureSuccessStatusCode();
        }

        var upsertRate = products / clock.Elapsed.TotalSeconds;
        Console.WriteLine($"loaded {products:N0} products at {upsertRate:N0}/s");
        await using (var analyze = new Npgsql.NpgsqlConnection(database))
        {
            await analyze.OpenAsync();

            // Measure the steady state: wait until the relay has published the load's 100,000 events.
            while (true)
            {
                await using var backlog = new Npgsql.NpgsqlCommand("SELECT count(*) FROM catalog.outbox WHERE sent_at IS NULL", analyze);
                if ((long)(await backlog.ExecuteScalarAsync())! == 0)
                {
                    break;
                }

                await Task.Delay(1_000);
            }

            foreach (var table in new[] { "catalog.products", "catalog.variants" })
            {
                await using var command = new Npgsql.NpgsqlCommand($"VACUUM ANALYZE {table}", analyze);
                await command.ExecuteNonQueryAsync();
            }
        }

        var ids = await DemoCatalogRequests.ProductIdsAsync(client, 2_000);

        // Building the index: the first search of the tenant, and the managed memory it keeps (the service runs in this process).
        var heapBefore = GC.GetTotalMemory(forceFullCollection: true);
        var build = Stopwatch.StartNew();
        await Latency.GetAsync(client, "/search?q=akku");
        build.Stop();
        var indexBytes = GC.GetTotalMemory(forceFullCollection: true) - heapBefore;

        // The same searches answered by PostgreSQL full text alone (a second service on the same database), side by side.
        await using var postgresOnly = ServiceUnderTest.Start<MachCommerce.Catalog.CatalogOptions>("services/catalog", database, broker, environment: "Benchmark",
            settings: new Dictionary<string, string?> { ["Catalog:SearchIndex"] = "false" });
        using var postgresClient = postgresOnly.Client(Tenant);

        string[] oneWord = ["akku", "rasenmäher", "hammer", "spaten", "gartenschlauch", "dübel", "schraubendreher", "makita"];
        string[] threeWords = ["akku bohrschrauber makita", "gardena rasenmäher akku", "bosch akku schlagschrauber", "fiskars spaten holz", "kärcher gartenschlauch 20"];
        var garden = categories["garten"];
        var tools = categories["werkzeug"];
        var results = new List<string>
        {
            (await Latency.MeasureAsync("search, one word, facets", Samples, i => Latency.GetAsync(client, $"/search?q={Uri.EscapeDataString(oneWord[i % oneWord.Length])}&facets=attr.material"))).Row("p99 < 25 ms"),
            (await Latency.MeasureAsync("search, three words, facets", Samples, i => Latency.GetAsync(client, $"/search?q={Uri.EscapeDataString(threeWords[i % threeWords.Length])}&facets=attr.material"))).Row("p99 < 25 ms"),
            (await Latency.MeasureAsync("search, one word, facets, filtered by category and price", Samples, i => Latency.GetAsync(client,
                $"/search?q={Uri.EscapeDataString(oneWord[i % oneWord.Length])}&category={(i % 2 == 0 ? garden : tools)}&minPrice=20&maxPrice=300&facets=attr.material"))).Row("p99 < 25 ms"),
            (await Latency.MeasureAsync("search, one word, facets (PostgreSQL only)", 300, i => Latency.GetAsync(postgresClient, $"/search?q={Uri.EscapeDataString(oneWord[i % oneWord.Length])}&facets=attr.material"))).Row("(before the index)"),
            (await Latency.MeasureAsync("search, three words, facets (PostgreSQL only)", 300, i => Latency.GetAsync(postgresClient, $"/search?q={Uri.EscapeDataString(threeWords[i % threeWords.Length])}&facets=attr.material"))).Row("(before the index)"),
            (await Latency.MeasureAsync("list page, two filters", Samples, i => Latency.GetAsync(client, i % 2 == 0
                ? $"/products?category={garden}&brand=Gardena&sort=price&limit=20"
                : $"/products?category={tools}&minPrice=50&maxPrice=200&limit=20"))).Row("p99 < 10 ms"),
            (await Latency.MeasureAsync("batch get, 100 ids", Samples, i => Latency.PostAsync(client, "/products/batch-get", new { ids = ids.Skip(i * 100 % 1_900).Take(100) }))).Row("p99 < 5 ms"),
        };

        return Report.Start("Catalog at 100,000 products in one tenant",
                "the catalog service's own Program on Kestrel, called over loopback HTTP one request at a time (latency includes HTTP, JSON and the identity check), "
                + "PostgreSQL 15 with fsync on, after the relay has published the load's events (steady state, nothing else running).",
                "catalog [products]")
            .AppendLine(CultureInfo.InvariantCulture, $"Bulk upsert (1,000 products per request, each with variants, events into the outbox): **{upsertRate:N0} products/s** for {products:N0} products.")
            .AppendLine()
            .AppendLine(CultureInfo.InvariantCulture, $"Search index: built by the tenant's first search in **{build.Elapsed.TotalSeconds:0.0} s**, keeping **{indexBytes / 1048576.0:N0} MiB** of managed memory for {products:N0} products.")
            .AppendLine()
            .AppendLatencyTable("operation", results)
            .ToString();
    }
}
