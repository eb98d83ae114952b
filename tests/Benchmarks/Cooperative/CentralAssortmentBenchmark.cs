using MachCommerce.Benchmarks.Gateway;

namespace MachCommerce.Benchmarks.Cooperative;

/// <summary>
/// A cooperative's central assortment at many members: the catalog service (its real Program, Kestrel on loopback,
/// durable PostgreSQL, RabbitMQ) with a central assortment every member subscribes to wholly, and own products per
/// member. Measures a member's subscription (its copies written), and a central price change until every member's
/// copy has it (the event over RabbitMQ, the catalog's consumer rebuilding each copy).
/// </summary>
internal static class CentralAssortmentBenchmark
{
    private const string Cooperative = "bench-verbund";

    public static async Task<string> RunAsync(string[] args)
    {
        var members = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 50;
        var centralProducts = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 2_000;
        var ownProducts = args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 1_000;
        const int changes = 20;

        await using var servers = await BenchmarkServers.StartAsync();
        var (database, broker) = await servers.FreshAsync("cooperative");
        await using var catalog = ServiceUnderTest.Start<MachCommerce.Catalog.CatalogOptions>("services/catalog", database, broker, environment: "Benchmark");
        using var central = catalog.CooperativeClient(CooperativeTenants.CentralTenant(Cooperative), Cooperative);

        var centralCategories = await DemoCatalogRequests.CreateCategoriesAsync(central);
        foreach (var chunk in DemoCatalog.Products(centralProducts, "hardware", 11, "ZS").Chunk(1_000))
        {
            var items = chunk.Select(p => p.Input with { Slug = p.Input.Slug + "-zs", CategoryIds = [.. p.CategorySlugs.Select(s => centralCategories[s])] });
            (await central.PostAsJsonAsync("/products/bulk", new { items })).EnsureSuccessStatusCode();
        }

        // Each member's own products first (a shop joins with a catalog; loaded two members at a time, not measured),
        // then each member subscribes to the whole central assortment, one after the other (measured).
        await Parallel.ForAsync(0, members, new ParallelOptions { MaxDegreeOfParallelism = 2 }, async (m, cancellationToken) =>
        {
            using var member = catalog.CooperativeClient($"member-{m:D2}", Cooperative);
            var own = await DemoCatalogRequests.CreateCategoriesAsync(member);
            foreach (var chunk in DemoCatalog.Products(ownProducts, "garden", 100 + m, $"M{m:D2}").Chunk(1_000))
            {
                var items = chunk.Select(p => p.Input with { CategoryIds = [.. p.CategorySlugs.Select(s => own[s])] });
                (await member.PostAsJsonAsync("/products/bulk", new { items }, cancellationToken)).EnsureSuccessStatusCode();
            }

            Console.WriteLine($"member-{m:D2}: {ownProducts:N0} own products loaded");
        });

        var subscribeSeconds = new List<double>();
        for (var m = 0; m < members; m++)
        {
            using var member = catalog.CooperativeClient($"member-{m:D2}", Cooperative);
            var clock = Stopwatch.StartNew();
            foreach (var root in new[] { "werkzeug", "garten", "haushalt" })
            {
                var response = await member.PostAsJsonAsync("/central/subscriptions", new { categoryId = centralCategories[root] });
                var body = await response.Content.ReadFromJsonAsync<JsonElement>();
                if (!response.IsSuccessStatusCode || body.GetProperty("sync").GetProperty("conflicts").GetArrayLength() > 0)
                {
                    throw new InvalidOperationException($"member-{m:D2} subscribing to {root}: {(int)response.StatusCode} {body}");
                }
            }

            subscribeSeconds.Add(clock.Elapsed.TotalSeconds);
            Console.WriteLine($"member-{m:D2}: subscribed in {clock.Elapsed.TotalSeconds:0.0} s");
        }

        await using var db = new NpgsqlConnection(database);
        await db.OpenAsync();
        await WaitForQuietAsync(db);
        var rows = await ScalarAsync(db, "SELECT count(*)::int FROM catalog.products", []);

        // A central price change, then until all members' copies carry it (read straight from the catalog's tables,
        // which search reads on its next query: every committed write is found by the next search).
        var listing = await central.GetFromJsonAsync<JsonElement>("/products?limit=100");
        var targets = listing.GetProperty("items").EnumerateArray().Take(changes).Select(p => p.GetProperty("id").GetGuid()).ToList();
        var reach = new List<double>();
        foreach (var id in targets)
        {
            var product = await central.GetFromJsonAsync<JsonElement>($"/products/{id}");
            var input = JsonSerializer.Deserialize<Dictionary<string, JsonElement>>(product.GetRawText())!;
            var variants = product.GetProperty("variants").EnumerateArray().Select(v => new
            {
                sku = v.GetProperty("sku").GetString(),
                options = v.GetProperty("options"),
                priceNet = Math.Round(v.GetProperty("price").GetProperty("net").GetDecimal() + 1.11m, 2),
                taxRate = v.GetProperty("price").GetProperty("taxRate").GetDecimal(),
                stockQuantity = v.GetProperty("stockQuantity").GetInt32(),
            }).ToList();
            using var change = new HttpRequestMessage(HttpMethod.Put, $"/products/{id}")
            {
                Content = JsonContent.Create(new
                {
                    sku = input["sku"], slug = input["slug"], status = input["status"], brand = input["brand"], name = input["name"], description = input["description"],
                    categoryIds = input["categoryIds"], attributes = input["attributes"], images = input["images"], variants,
                }),
            };
            change.Headers.TryAddWithoutValidation("If-Match", $"\"v{product.GetProperty("version").GetInt32()}\"");
            var clock = Stopwatch.StartNew();
            (await central.SendAsync(change)).EnsureSuccessStatusCode();
            var price = variants[0].priceNet;
            while (await ScalarAsync(db, """
                SELECT count(*)::int FROM catalog.products p JOIN catalog.variants v ON v.product_id = p.id
                 WHERE p.central_id = $1 AND v.position = 0 AND v.price_net = $2
                """, [id, price]) < members)
            {
                if (clock.Elapsed > TimeSpan.FromMinutes(2))
                {
                    throw new TimeoutException($"the price change of {id} had not reached {members} members after two minutes");
                }

                await Task.Delay(10);
            }

            reach.Add(clock.Elapsed.TotalSeconds);
            Console.WriteLine($"price change {reach.Count}: all {members} members in {clock.Elapsed.TotalSeconds:0.00} s");
        }

        // Joint search over every member's published products (their own and their copies), grouped by SKU, as the
        // gateway asks it (the members named, catalog:joint), one request at a time: in the members' joint index in
        // memory, and beside it in PostgreSQL alone (a second catalog service on the same database with the index off).
        using var gatewaySide = catalog.Client(CooperativeTenants.CentralTenant(Cooperative), Scopes.CatalogRead, Scopes.CatalogJoint);
        var memberIds = Enumerable.Range(0, members).Select(m => $"member-{m:D2}").ToList();
        var (indexMegabytes, indexSeconds) = await BuildJointIndexAsync(gatewaySide, memberIds);
        await using var postgresOnly = ServiceUnderTest.Start<MachCommerce.Catalog.CatalogOptions>("services/catalog", database, broker, environment: "Benchmark",
            settings: new Dictionary<string, string?> { ["Catalog:SearchIndex"] = "false" });
        using var postgresSide = postgresOnly.Client(CooperativeTenants.CentralTenant(Cooperative), Scopes.CatalogRead, Scopes.CatalogJoint);
        string[] oneWord = ["akku", "rasenmäher", "hammer", "spaten", "gartenschlauch", "dübel", "schraubendreher", "makita"];
        string[] threeWords = ["akku bohrschrauber makita", "gardena rasenmäher akku", "bosch akku schlagschrauber", "fiskars spaten holz", "kärcher gartenschlauch 20"];
        var joint = new List<string>();
        foreach (var (engine, client) in new[] { ("in memory", gatewaySide), ("PostgreSQL", postgresSide) })
        {
            joint.Add((await Latency.MeasureAsync($"joint search, one word, brand facets ({engine})", 300, i =>
                Latency.PostAsync(client, "/joint/search", new { q = oneWord[i % oneWord.Length], members = memberIds, limit = 20 }))).Row("p99 < 50 ms"));
            joint.Add((await Latency.MeasureAsync($"joint search, three words, brand facets ({engine})", 300, i =>
                Latency.PostAsync(client, "/joint/search", new { q = threeWords[i % threeWords.Length], members = memberIds, limit = 20 }))).Row("p99 < 50 ms"));
        }

        joint.Add((await Latency.MeasureAsync("member shops of one SKU", 300, i =>
            Latency.PostAsync(gatewaySide, "/joint/offers", new { skus = new[] { $"ZS-{i % 500 + 1:D6}" }, members = memberIds }))).Row("—"));

        // A cooperative's storefront searches from many shoppers at once: one client, then eight, each in a closed loop
        // on the joint index; how much more eight get done is how far searches run side by side.
        var together = new List<LoadGenerator.Result>();
        foreach (var clients in new[] { 1, 8, 1, 8 })
        {
            together.Add(await LoadGenerator.ClosedAsync($"joint search, one word, {clients} client{(clients == 1 ? "" : "s")} (in memory)", clients, TimeSpan.FromSeconds(10),
                i => Latency.PostAsync(gatewaySide, "/joint/search", new { q = oneWord[i % oneWord.Length], members = memberIds, limit = 20 })));
            Console.WriteLine(together[^1].Row(""));
        }

        var parallel = (together[1].PerSecond + together[3].PerSecond) / (together[0].PerSecond + together[2].PerSecond);

        reach.Sort();
        subscribeSeconds.Sort();
        static double Percentile(List<double> sorted, double p) => sorted[Math.Min(sorted.Count - 1, (int)Math.Ceiling(p * sorted.Count) - 1)];
        return Report.Start("A cooperative's central assortment at many members",
                "the catalog service's own Program on Kestrel over loopback, PostgreSQL 15 with fsync on, RabbitMQ; the catalog's consumer spreads each central change to the subscribed members' copies.",
                "cooperative [members] [central products] [own products per member]")
            .AppendLine(CultureInfo.InvariantCulture, $"**{members} members**, each with **{ownProducts:N0}** products of its own and the whole central assortment of **{centralProducts:N0}** products (three root categories subscribed): **{rows:N0} product rows**.")
            .AppendLine()
            .AppendLatencyTable("operation", unit: "s", rows:
            [
                string.Create(CultureInfo.InvariantCulture, $"| a member subscribes to the whole central assortment ({centralProducts:N0} copies written) | {subscribeSeconds.Count} | {Percentile(subscribeSeconds, 0.5):0.00} | {Percentile(subscribeSeconds, 0.99):0.00} | {subscribeSeconds[^1]:0.00} | — |"),
                string.Create(CultureInfo.InvariantCulture, $"| a central price change reaches all {members} members' catalogs (and so their next search) | {reach.Count} | {Percentile(reach, 0.5):0.00} | {Percentile(reach, 0.99):0.00} | {reach[^1]:0.00} | p99 < 5 s |"),
            ])
            .AppendLine("Joint search (catalog side; the members' published rows matched with every word, the SKUs ranked by their best product, brands counted), in the")
            .AppendLine(CultureInfo.InvariantCulture, $"members' joint index in memory (built in {indexSeconds:0.0} s; the managed heap grew by about {indexMegabytes:N0} MB for its {rows:N0} rows) and in PostgreSQL full text alone:")
            .AppendLine()
            .AppendLatencyTable("operation", joint)
            .AppendTable(LoadGenerator.Result.Columns(), together.Select(result => result.Row("")))
            .AppendLine(CultureInfo.InvariantCulture, $"Eight clients at once get **{parallel:0.00}×** the searches per second of one ({Environment.ProcessorCount} cores for the service, its PostgreSQL and the clients).")
            .AppendLine()
            .AppendLine(members >= 50 && centralProducts >= 10_000 && ownProducts >= 10_000
                ? "This is the issue's full scale: 50 members × (10,000 central + 10,000 own products), 1,000,000 products offered; the rows are fewer because a member copies only the central products that are published (about one in twenty of the demo's are drafts)."
                : "Not the issue's full scale (50 members × 10,000 central + 10,000 own products, 1,000,000 rows): run `-- cooperative 50 10000 10000` for it.")
            .ToString();
    }

    /// <summary>
    /// Asks the joint search until the members' joint index answers (its build starts with the first search), and
    /// how much the managed heap grew meanwhile (after full collections on both sides: the index, about).
    /// </summary>
    private static async Task<(double Megabytes, double Seconds)> BuildJointIndexAsync(HttpClient client, List<string> members)
    {
        var before = GC.GetTotalMemory(forceFullCollection: true);
        var clock = Stopwatch.StartNew();
        while (true)
        {
            using var response = await client.PostAsJsonAsync("/joint/search", new { q = "akku", members, limit = 20 });
            response.EnsureSuccessStatusCode();
            if (response.Headers.GetValues("Server-Timing").Single().StartsWith("index", StringComparison.Ordinal))
            {
                break;
            }

            if (clock.Elapsed > TimeSpan.FromMinutes(5))
            {
                throw new TimeoutException("the members' joint index was not built within five minutes");
            }

            await Task.Delay(500);
        }

        var seconds = clock.Elapsed.TotalSeconds;
        return ((GC.GetTotalMemory(forceFullCollection: true) - before) / 1024.0 / 1024.0, seconds);
    }

    /// <summary>Until the outbox has published everything the load wrote, and a little for the consumer to pass over the members' own events.</summary>
    private static async Task WaitForQuietAsync(NpgsqlConnection db)
    {
        while (await ScalarAsync(db, "SELECT count(*)::int FROM catalog.outbox WHERE sent_at IS NULL", []) > 0)
        {
            await Task.Delay(1_000);
        }

        await Task.Delay(10_000);
    }

    private static async Task<int> ScalarAsync(NpgsqlConnection db, string sql, object[] parameters)
    {
        await using var command = new NpgsqlCommand(sql, db);
        foreach (var parameter in parameters)
        {
            command.Parameters.Add(new NpgsqlParameter { Value = parameter });
        }

        return (int)(await command.ExecuteScalarAsync())!;
    }
}
