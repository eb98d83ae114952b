using MachCommerce.Api.Personalization;
using MachCommerce.Hosting.Problems;
using MachCommerce.Personalization;
using MachCommerce.Personalization.Behaviour;
using MachCommerce.Personalization.Decisions;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using NpgsqlTypes;

namespace MachCommerce.Benchmarks.Personalization;

/// <summary>
/// The personalization service (its real Program on Kestrel, durable PostgreSQL) with a catalog read model of
/// 100,000 products and 10,000 consenting customers with 100 events each plus five with 10,000: ingest throughput
/// over HTTP and in-process, decision latency in-process and over HTTP side by side, and the hit rate@10 of
/// "for you" recommendations against the popularity baseline on each customer's held-out last purchase session.
/// </summary>
internal static class PersonalizationBenchmark
{
    private const string Tenant = "bench-shop";
    private const int Seed = 20261121;

    public static async Task<string> RunAsync(string[] args)
    {
        var customers = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 10_000;
        var eventsEach = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 100;
        var productCount = args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 100_000;
        await using var servers = await BenchmarkServers.StartAsync();
        var (database, broker) = await servers.FreshAsync("personalization");
        await using var service = ServiceUnderTest.Start<PersonalizationDatabase>("services/personalization", database, broker, environment: "Benchmark");
        using var client = service.Client(Tenant);

        var products = BenchmarkCatalog(productCount);
        await LoadCatalogAsync(database, products);
        var shoppers = Enumerable.Range(0, customers).Select(i => ($"visitor-{i}", (Guid?)Guid.CreateVersion7())).ToList();
        var heavy = shoppers.Take(5).ToDictionary(s => s.Item1, _ => 10_000);
        await LoadProfilesAsync(database, shoppers.Select(s => s.Item2!.Value));
        Console.WriteLine($"read models: {products.Count:N0} products, {customers:N0} consenting customers");

        var now = DateTimeOffset.UtcNow;
        var histories = DemoBehaviour.For(products, shoppers, eventsEach, Seed, now, holdOutLastSession: true, heavy).ToList();
        var events = histories.SelectMany(h => h.Events).ToList();
        var (httpRate, httpCpu) = await IngestOverHttpAsync(client, events, database);
        Console.WriteLine($"ingested {events.Count:N0} events over HTTP: {httpRate:N0}/s");

        // In-process: the same pipeline without HTTP and JSON, for fresh customers (so nothing is a duplicate).
        var extra = Enumerable.Range(0, 2_000).Select(i => ($"extra-{i}", (Guid?)Guid.CreateVersion7())).ToList();
        await LoadProfilesAsync(database, extra.Select(s => s.Item2!.Value));
        var extraEvents = DemoBehaviour.For(products, extra, 100, Seed + 1, now).SelectMany(h => h.Events).ToList();
        var (directRate, directCpu) = await IngestInProcessAsync(service.Services, extraEvents, database);
        Console.WriteLine($"ingested {extraEvents.Count:N0} events in-process: {directRate:N0}/s");

        await DefinitionsAsync(client, products);
        await QuietAsync(database);
        var decisions = await DecisionLatencyAsync(service.Services, client, histories, heavy.Keys.ToList(), products);
        var quality = await HitRateAsync(client, histories.Where(h => h.HeldOut.Any(e => e.Type == "purchased")).Take(1_000).ToList());

        return Report.Start(string.Create(CultureInfo.InvariantCulture, $"Personalization at {productCount:N0} products and {customers:N0} customers"),
                "the personalization service's own Program on Kestrel (loopback HTTP) and its classes called directly (in-process), PostgreSQL 15 with fsync on, all in one run.",
                string.Create(CultureInfo.InvariantCulture, $"personalization {customers} {eventsEach} {productCount}"))
            .AppendLine(CultureInfo.InvariantCulture, $"Read models: {productCount:N0} products (200 categories under 10 roots, 80 brands), {customers:N0} consenting customers with {eventsEach} events each and five with 10,000 ({events.Count:N0} events in all).")
            .AppendLine()
            .AppendLine("## Ingest")
            .AppendLine()
            .AppendLine("Batches of 500 events, 8 concurrent senders; every batch is one transaction (events, popularity, models, co-occurrence, attribution) and is durable before 202.")
            .AppendLine("CPU is what the service process and PostgreSQL used, from /proc (the HTTP bodies are serialised before the clock starts, so the")
            .AppendLine("service's CPU is the service's). The service scales out on its own; PostgreSQL is sized separately, hence both rates.")
            .AppendLine()
            .AppendTable(["path", "events", "events/s (wall, 2 cores shared by all)", "CPU s service + PostgreSQL", "events per service CPU-second", "events per CPU-second, PostgreSQL included", "goal"],
            [
                string.Create(CultureInfo.InvariantCulture, $"| HTTP POST /events | {events.Count:N0} | {httpRate:N0} | {httpCpu.Service:N1} + {httpCpu.Postgres:N1} | {events.Count / httpCpu.Service:N0} | {events.Count / (httpCpu.Service + httpCpu.Postgres):N0} | 20,000 per core |"),
                string.Create(CultureInfo.InvariantCulture, $"| in-process BehaviourIngest | {extraEvents.Count:N0} | {directRate:N0} | {directCpu.Service:N1} + {directCpu.Postgres:N1} | {extraEvents.Count / directCpu.Service:N0} | {extraEvents.Count / (directCpu.Service + directCpu.Postgres):N0} | |"),
            ])
            .AppendLine("## Decisions")
            .AppendLine()
            .AppendLine("20 offers (10 category offers, 5 brand offers, 5 segment-targeted), 3 segments, one running experiment on home-hero; one decision at a time.")
            .AppendLine()
            .AppendLatencyTable("decision", decisions)
            .AppendLine("## Recommendation quality")
            .AppendLine()
            .AppendLine(quality)
            .ToString();
    }

    /// <summary>10 root categories with 20 leaves each, 80 brands (8 per root), prices and two attributes.</summary>
    private static List<DemoProduct> BenchmarkCatalog(int count)
    {
        var random = new Random(Seed);
        var roots = Enumerable.Range(0, 10).Select(_ => Guid.CreateVersion7()).ToArray();
        var leaves = roots.SelectMany(root => Enumerable.Range(0, 20).Select(_ => (Leaf: Guid.CreateVersion7(), Root: root))).ToArray();
        return [.. Enumerable.Range(0, count).Select(i =>
        {
            var (leaf, root) = leaves[random.Next(leaves.Length)];
            var rootIndex = Array.IndexOf(roots, root);
            return new DemoProduct(Guid.CreateVersion7(), [leaf, root], $"Marke-{rootIndex * 8 + random.Next(8)}", Math.Round((decimal)(5 + random.NextDouble() * 500), 2));
        })];
    }

    private static async Task LoadCatalogAsync(string database, List<DemoProduct> products)
    {
        await using var connection = new NpgsqlConnection(database);
        await connection.OpenAsync();
        await using (var writer = await connection.BeginBinaryImportAsync(
            "COPY personalization.products (tenant_id, product_id, sku, slug, status, brand, name, category_ids, attributes, price, currency, available, version) FROM STDIN (FORMAT BINARY)"))
        {
            var i = 0;
            foreach (var product in products)
            {
                i++;
                await writer.StartRowAsync();
                await writer.WriteAsync(Tenant);
                await writer.WriteAsync(product.ProductId);
                await writer.WriteAsync($"SKU-{i:D6}");
                await writer.WriteAsync($"produkt-{i}");
                await writer.WriteAsync("published");
                await writer.WriteAsync(product.Brand);
                await writer.WriteAsync($"{{\"de\": \"{product.Brand} Produkt {i}\", \"en\": \"{product.Brand} product {i}\"}}", NpgsqlDbType.Jsonb);
                await writer.WriteAsync(product.CategoryIds.ToArray());
                await writer.WriteAsync(new[] { $"farbe={(i % 6)}", $"material={(i % 4)}" });
                await writer.WriteAsync(product.Price);
                await writer.WriteAsync("EUR");
                await writer.WriteAsync(i % 50 != 0); // 2% out of stock
                await writer.WriteAsync(1);
            }

            await writer.CompleteAsync();
        }

        await using var analyze = new NpgsqlCommand("VACUUM ANALYZE personalization.products", connection) { CommandTimeout = 0 };
        await analyze.ExecuteNonQueryAsync();
    }

    /// <summary>After the bulk ingest: fresh statistics and a checkpoint, so latency is not measured against autovacuum and a flush.</summary>
    private static async Task QuietAsync(string database)
    {
        await using var connection = new NpgsqlConnection(database);
        await connection.OpenAsync();
        await using var vacuum = new NpgsqlCommand("VACUUM ANALYZE; CHECKPOINT", connection) { CommandTimeout = 0 };
        await vacuum.ExecuteNonQueryAsync();
    }

    private static async Task LoadProfilesAsync(string database, IEnumerable<Guid> profileIds)
    {
        await using var connection = new NpgsqlConnection(database);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("""
            INSERT INTO personalization.profiles (tenant_id, profile_id, kind, locale, traits, consent, consent_at)
            SELECT $1, id, CASE WHEN random() < 0.2 THEN 'company' ELSE 'person' END, 'de-DE', jsonb_build_object('stammkunde', random() < 0.3), true, now()
            FROM unnest($2::uuid[]) AS id
            """, connection);
        command.Parameters.Add(new() { Value = Tenant });
        command.Parameters.Add(new() { Value = profileIds.ToArray() });
        await command.ExecuteNonQueryAsync();
    }

    private static async Task<(double Rate, (double Service, double Postgres) Cpu)> IngestOverHttpAsync(HttpClient client, List<BehaviourEventInput> events, string database)
    {
        // Serialised up front: the CPU measured in this process should be the service's, not the load generator's.
        var batches = events.Chunk(500).Select(batch => JsonSerializer.SerializeToUtf8Bytes(new { events = batch }, JsonSerializerOptions.Web)).ToList();
        var cpu = CpuMeter.Start(database);
        var clock = Stopwatch.StartNew();
        await DrainAsync(batches.Count, async index =>
        {
            using var content = new ByteArrayContent(batches[index]);
            content.Headers.ContentType = new("application/json");
            (await client.PostAsync("/events", content)).EnsureSuccessStatusCode();
        });
        return (events.Count / clock.Elapsed.TotalSeconds, cpu.Stop());
    }

    private static async Task<(double Rate, (double Service, double Postgres) Cpu)> IngestInProcessAsync(IServiceProvider services, List<BehaviourEventInput> events, string database)
    {
        var ingest = services.GetRequiredService<BehaviourIngest>();
        var options = services.GetRequiredService<IOptions<PersonalizationOptions>>().Value;
        var now = DateTimeOffset.UtcNow;
        var batches = events.Chunk(500).Select(batch =>
        {
            var errors = new FieldErrors();
            var valid = BehaviourEventValidator.Validate(new EventBatchInput([.. batch]), now, options, null, errors);
            return errors.Any ? throw new InvalidOperationException(string.Join("; ", errors.Keys)) : valid;
        }).ToList();
        var cpu = CpuMeter.Start(database);
        var clock = Stopwatch.StartNew();
        await DrainAsync(batches.Count, index => ingest.IngestAsync(Tenant, batches[index], CancellationToken.None));
        return (events.Count / clock.Elapsed.TotalSeconds, cpu.Stop());
    }

    /// <summary>Eight writers take the batches 0..count-1 in turn until none is left, as eight storefront servers would send them.</summary>
    private static Task DrainAsync(int count, Func<int, Task> send)
    {
        var next = -1;
        return Task.WhenAll(Enumerable.Range(0, 8).Select(async _ =>
        {
            int index;
            while ((index = Interlocked.Increment(ref next)) < count)
            {
                await send(index);
            }
        }));
    }

    private static async Task DefinitionsAsync(HttpClient client, List<DemoProduct> products)
    {
        var roots = products.Select(p => p.CategoryIds[1]).Distinct().Order().ToList();
        var leaves = products.Select(p => p.CategoryIds[0]).Distinct().Order().ToList();
        var brands = products.Select(p => p.Brand!).Distinct().Order(StringComparer.Ordinal).ToList();
        var segments = new List<Guid>();
        foreach (var (name, conditions) in new (string, object)[]
        {
            ("Stammkunden", new { field = "rfm.frequency", op = "gte", value = 3 }),
            ("Firmenkunden", new { field = "kind", op = "eq", value = "company" }),
            ("Interessenten Wurzel 0", new { field = $"affinity.category.{roots[0]}", op = "gte", value = 3 }),
        })
        {
            segments.Add(await CreateAsync(client, "/segments", new { name, conditions }));
        }

        for (var i = 0; i < 20; i++)
        {
            object selection = i < 10 ? new { categoryIds = new[] { i < 5 ? roots[i] : leaves[i * 7] } } : i < 15 ? new { brands = new[] { brands[i * 3] } } : new { categoryIds = new[] { roots[i - 10] } };
            await CreateAsync(client, "/offers", new
            {
                name = $"Angebot {i}",
                status = "active",
                placements = new[] { "home-hero", "product-detail" },
                targeting = i >= 15 ? new { segmentIds = new[] { segments[i % 3] } } : null,
                content = new { de = new { headline = $"Angebot {i}" } },
                selection,
                priority = i,
                frequencyCap = new { max = 1000, perHours = 24 },
            });
        }

        var experiment = await CreateAsync(client, "/experiments", new
        {
            name = "Startseite",
            placement = "home-hero",
            variants = new object[] { new { key = "broadcast", strategy = "broadcast", weight = 50 }, new { key = "personalized", strategy = "personalized", weight = 50 } },
        });
        (await client.PostAsync($"/experiments/{experiment}/start", null)).EnsureSuccessStatusCode();
    }

    private static async Task<List<string>> DecisionLatencyAsync(IServiceProvider services, HttpClient client, List<DemoHistory> histories, List<string> heavy, List<DemoProduct> products)
    {
        var engine = services.GetRequiredService<DecisionEngine>();
        var random = new Random(Seed);
        DecisionQuery Query(DemoHistory history, string placement, Guid? product = null) =>
            new(history.VisitorId, history.ProfileId, null, placement, product, null, [], "de", 3);
        DemoHistory Someone() => histories[random.Next(histories.Count)];
        var heavyHistories = histories.Where(h => heavy.Contains(h.VisitorId)).ToList();
        return
        [
            (await Latency.MeasureAsync("in-process, home-hero (experiment)", 3000, _ => engine.DecideAsync(Tenant, Query(Someone(), "home-hero"), CancellationToken.None))).Row("p99 < 10 ms"),
            (await Latency.MeasureAsync("in-process, product-detail with context", 3000, _ => engine.DecideAsync(Tenant, Query(Someone(), "product-detail", products[random.Next(products.Count)].ProductId), CancellationToken.None))).Row("p99 < 10 ms"),
            (await Latency.MeasureAsync("in-process, customer with 10,000 events", 500, i => engine.DecideAsync(Tenant, Query(heavyHistories[i % heavyHistories.Count], "product-detail"), CancellationToken.None))).Row("p99 < 10 ms"),
            (await Latency.MeasureAsync("in-process, anonymous visitor without consent", 2000, i => engine.DecideAsync(Tenant, new DecisionQuery($"anon-{i}", null, null, "product-detail", products[random.Next(products.Count)].ProductId, null, [], "de", 3), CancellationToken.None))).Row("p99 < 10 ms"),
            (await Latency.MeasureAsync("HTTP, home-hero (experiment)", 3000, _ => Latency.PostAsync(client, "/decisions", new { visitorId = Someone().VisitorId, profileId = Someone().ProfileId, placement = "home-hero" }))).Row("reported"),
            (await Latency.MeasureAsync("HTTP, product-detail with context", 3000, _ =>
            {
                var someone = Someone();
                return Latency.PostAsync(client, "/decisions", new { visitorId = someone.VisitorId, profileId = someone.ProfileId, placement = "product-detail", context = new { productId = products[random.Next(products.Count)].ProductId } });
            })).Row("reported"),
        ];
    }

    /// <summary>Hit rate@10: did the top ten contain a product the customer bought in the held-out session?</summary>
    private static async Task<string> HitRateAsync(HttpClient client, List<DemoHistory> evaluation)
    {
        var popular = await client.GetFromJsonAsync<JsonElement>("/recommendations?strategy=popular&visitorId=evaluation&limit=10");
        var popularIds = popular.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("productId").GetGuid()).ToHashSet();
        int personalHits = 0, popularHits = 0, personalized = 0;
        foreach (var history in evaluation)
        {
            var bought = history.HeldOut.Where(e => e.Type == "purchased").Select(e => e.ProductId!.Value).ToHashSet();
            var forYou = await client.GetFromJsonAsync<JsonElement>($"/recommendations?strategy=for-you&visitorId={history.VisitorId}&profileId={history.ProfileId}&limit=10");
            personalized += forYou.GetProperty("personalized").GetBoolean() ? 1 : 0;
            personalHits += forYou.GetProperty("items").EnumerateArray().Any(i => bought.Contains(i.GetProperty("productId").GetGuid())) ? 1 : 0;
            popularHits += bought.Overlaps(popularIds) ? 1 : 0;
        }

        return string.Create(CultureInfo.InvariantCulture, $"""
            Each customer's last session that ended in a purchase was held out of the ingested history; {evaluation.Count:N0} customers were asked for ten
            "for you" recommendations ({personalized:N0} answered personally) and compared with the ten most popular products (the baseline every shop
            without personalization shows). A hit is a held-out purchase among the ten.

            | strategy | customers | hits | hit rate@10 |
            |---|---:|---:|---:|
            | for you (affinities × categories, brands, attributes; popularity) | {evaluation.Count:N0} | {personalHits:N0} | {100.0 * personalHits / evaluation.Count:N1} % |
            | popular (baseline) | {evaluation.Count:N0} | {popularHits:N0} | {100.0 * popularHits / evaluation.Count:N1} % |

            Lift: {(popularHits == 0 ? double.PositiveInfinity : (double)personalHits / popularHits):N1}× the baseline's hits.
            """);
    }

    private static async Task<Guid> CreateAsync(HttpClient client, string path, object definition)
    {
        var response = await client.PostAsJsonAsync(path, definition);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        return response.IsSuccessStatusCode ? body.GetProperty("id").GetGuid() : throw new InvalidOperationException($"{path}: {body}");
    }

    /// <summary>CPU seconds used by this process and by the benchmark's PostgreSQL (its postmaster's children) between Start and Stop.</summary>
    private sealed class CpuMeter
    {
        private readonly int _postmaster;
        private readonly TimeSpan _service;
        private readonly double _postgres;

        private CpuMeter(int postmaster)
        {
            _postmaster = postmaster;
            _service = Process.GetCurrentProcess().TotalProcessorTime;
            _postgres = PostgresSeconds();
        }

        public static CpuMeter Start(string connectionString)
        {
            var pidFile = Path.Combine(RepositoryPaths.DataRoot(), "bench", "postgres", "cluster", "postmaster.pid");
            return new CpuMeter(File.Exists(pidFile) ? int.Parse(File.ReadLines(pidFile).First(), CultureInfo.InvariantCulture) : -1);
        }

        public (double Service, double Postgres) Stop() =>
            ((Process.GetCurrentProcess().TotalProcessorTime - _service).TotalSeconds, PostgresSeconds() - _postgres);

        /// <summary>utime + stime of the postmaster and its children, including children that already exited (cutime, cstime).</summary>
        private double PostgresSeconds()
        {
            if (_postmaster < 0)
            {
                return 0;
            }

            var ticks = 0L;
            foreach (var dir in Directory.EnumerateDirectories("/proc").Where(d => int.TryParse(Path.GetFileName(d), out _)))
            {
                try
                {
                    var stat = File.ReadAllText(Path.Combine(dir, "stat"));
                    var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
                    var pid = int.Parse(Path.GetFileName(dir), CultureInfo.InvariantCulture);
                    if (pid == _postmaster || int.Parse(fields[1], CultureInfo.InvariantCulture) == _postmaster)
                    {
                        ticks += long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture);
                        if (pid == _postmaster)
                        {
                            ticks += long.Parse(fields[13], CultureInfo.InvariantCulture) + long.Parse(fields[14], CultureInfo.InvariantCulture);
                        }
                    }
                }
                catch (IOException)
                {
                    // the process ended while we looked
                }
            }

            return ticks / 100.0; // USER_HZ
        }
    }
}
