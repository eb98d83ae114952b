using System.Globalization;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using MachCommerce.Catalog.DemoData;
using MachCommerce.Gateway.Tenants;
using MachCommerce.Hosting.Identity;
using MachCommerce.Testing;

namespace MachCommerce.Benchmarks.Gateway;

/// <summary>
/// The gateway in front of the real services (their Programs on Kestrel, durable PostgreSQL, RabbitMQ), all in
/// this process on this machine, with the load generator beside them on the same cores: a catalog REST read
/// directly against the service and through the gateway side by side (throughput, and latency at a moderate fixed
/// rate), then the storefront home page query (20 products with prices and the visitor's offers) at 200 requests/s.
/// </summary>
internal static class GatewayBenchmark
{
    private const string PlatformKey = "mc_pl_bench-platform-key-0123456789abcdefghijklmno";

    private const string HomePage = """
        query Home { products(first: 20) { nodes { id name slug brand price { amount currency compareAt } images { url } } }
          offers(placement: "home-hero", first: 2) { decisionId personalized offers { id headline text reason { text } incentive { type value } products { reason { text } product { id name price { amount } } } } } }
        """;

    public static async Task<string> RunAsync(string[] args)
    {
        var productCount = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 2_000;
        var seconds = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 10;
        var duration = TimeSpan.FromSeconds(seconds);
        await using var servers = await BenchmarkServers.StartAsync();
        var stamp = DateTime.UtcNow.ToString("HHmmss", CultureInfo.InvariantCulture);
        var broker = await servers.RabbitMq.CreateVirtualHostAsync($"bench-gateway-{Guid.NewGuid():N}");
        async Task<string> Database(string name) => await servers.Postgres.EnsureDatabaseAsync($"bench_gw_{name}_{stamp}");

        await using var personalization = ServiceUnderTest.Start<MachCommerce.Personalization.PersonalizationDatabase>("services/personalization", await Database("personalization"), broker, environment: "Benchmark");
        await using var catalog = ServiceUnderTest.Start<MachCommerce.Catalog.CatalogOptions>("services/catalog", await Database("catalog"), broker, environment: "Benchmark");
        await using var profiles = ServiceUnderTest.Start<MachCommerce.Profiles.ProfilesDatabase>("services/profiles", await Database("profiles"), broker, environment: "Benchmark");
        foreach (var service in new[] { personalization.AnonymousClient(), catalog.AnonymousClient(), profiles.AnonymousClient() })
        {
            await service.WaitUntilBusHealthyAsync();
        }

        await using var gateway = ServiceUnderTest.Start<KeyStore>("gateway/Gateway", await Database("gateway"), broker, environment: "Benchmark", settings: new Dictionary<string, string?>
        {
            ["ReverseProxy:Clusters:catalog:Destinations:primary:Address"] = catalog.Address.ToString(),
            ["ReverseProxy:Clusters:profiles:Destinations:primary:Address"] = profiles.Address.ToString(),
            ["ReverseProxy:Clusters:personalization:Destinations:primary:Address"] = personalization.Address.ToString(),
            ["Gateway:PlatformKey"] = PlatformKey,
        });

        // The shop: a tenant with its admin key, the demo catalog, an offer per root category, and shoppers who looked around.
        using var handler = new SocketsHttpHandler { MaxConnectionsPerServer = 256, PooledConnectionLifetime = Timeout.InfiniteTimeSpan };
        var tenant = "bench-shop";
        using var platform = Client(handler, gateway.Address, PlatformKey);
        (await platform.PostAsJsonAsync("/api/admin/tenants", new { id = tenant, name = "Benchmark-Laden" })).EnsureSuccessStatusCode();
        using var admin = Client(handler, gateway.Address, await KeyAsync(platform, $"/api/admin/tenants/{tenant}/keys", new { kind = "admin", name = "bench admin", ratePerSecond = 50_000, burst = 100_000 }));
        var categories = await DemoCatalogRequests.CreateCategoriesAsync(admin, "/api/catalog");
        foreach (var chunk in DemoCatalog.Products(productCount, "hardware", 7, "GW").Chunk(500))
        {
            var items = chunk.Select(p => p.Input with { CategoryIds = [.. p.CategorySlugs.Select(s => categories[s])] });
            (await admin.PostAsJsonAsync("/api/catalog/products/bulk", new { items })).EnsureSuccessStatusCode();
        }

        foreach (var root in DemoCatalog.Categories.Where(c => c.ParentSlug is null))
        {
            (await admin.PostAsJsonAsync("/api/personalization/offers", new
            {
                name = root.NameDe, status = "active", placements = new[] { "home-hero" },
                content = new { de = new { headline = $"{root.NameDe}-Wochen", text = "Nur diese Woche" } },
                selection = new { categoryIds = new[] { categories[root.Slug] }, maxProducts = 4 },
                incentive = new { type = "percent", value = 10 }, priority = 10,
            })).EnsureSuccessStatusCode();
        }

        await WaitForReadModelsAsync(admin, productCount);
        var productIds = await DemoCatalogRequests.ProductIdsAsync(admin, 500, "/api/catalog");
        var visitors = Enumerable.Range(0, 1_000).Select(i => $"bench-visitor-{i}").ToArray();
        foreach (var batch in visitors.Chunk(20))
        {
            var events = batch.SelectMany((visitor, v) => Enumerable.Range(0, 5).Select(e => new
            {
                id = Guid.CreateVersion7(), type = "product_viewed", visitorId = visitor, productId = productIds[(v * 7 + e * 13) % productIds.Count],
                occurredAt = DateTimeOffset.UtcNow.AddMinutes(-e - 1), consent = true,
            }));
            (await admin.PostAsJsonAsync("/api/personalization/events", new { events })).EnsureSuccessStatusCode();
        }

        using var storefront = Client(handler, gateway.Address, await KeyAsync(admin, "/api/admin/keys", new { kind = "storefront", name = "bench storefront", ratePerSecond = 50_000, burst = 100_000 }));
        using var direct = new HttpClient(AssertingClient.Handler(catalog.Audience, tenant, [Scopes.CatalogRead]) is var assertion ? Chain(assertion, handler) : null!, disposeHandler: false) { BaseAddress = catalog.Address };

        Task Direct(int i) => Ok(direct.GetAsync($"/products/{productIds[i % productIds.Count]}"));
        Task ThroughGateway(int i) => Ok(storefront.GetAsync($"/api/catalog/products/{productIds[i % productIds.Count]}"));
        Task Home(int i) => Ok(GraphQLAsync(storefront, HomePage, visitors[i % visitors.Length]));

        var sample = await storefront.SendAsync(new HttpRequestMessage(HttpMethod.Post, "/graphql") { Content = JsonContent.Create(new { query = HomePage }), Headers = { { "X-Visitor-Id", visitors[0] } } });
        var homeCost = (await sample.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("extensions").GetProperty("cost").GetProperty("requested").GetInt32();

        // Warm both paths, then alternate them so that neither profits from running later.
        await LoadGenerator.ClosedAsync("warm-up direct", 8, TimeSpan.FromSeconds(3), Direct);
        await LoadGenerator.ClosedAsync("warm-up gateway", 8, TimeSpan.FromSeconds(3), ThroughGateway);
        await LoadGenerator.ClosedAsync("warm-up home", 4, TimeSpan.FromSeconds(3), Home);
        var rows = new List<(LoadGenerator.Result Result, string Note)>();
        var throughput = new List<(LoadGenerator.Result Direct, LoadGenerator.Result Gateway)>();
        for (var round = 0; round < 2; round++)
        {
            var d = await LoadGenerator.ClosedAsync("catalog GET /products/{id}, direct, 16 clients", 16, duration, Direct);
            var g = await LoadGenerator.ClosedAsync("catalog GET /products/{id}, through the gateway, 16 clients", 16, duration, ThroughGateway);
            throughput.Add((d, g));
            rows.Add((d, $"round {round + 1}"));
            rows.Add((g, $"round {round + 1}: {g.PerSecond / d.PerSecond:0.00} of direct"));
        }

        var moderate = 400;
        var openDirect = await LoadGenerator.OpenAsync($"catalog GET /products/{{id}}, direct, {moderate}/s", moderate, duration, Direct);
        var openGateway = await LoadGenerator.OpenAsync($"catalog GET /products/{{id}}, through the gateway, {moderate}/s", moderate, duration, ThroughGateway);
        rows.Add((openDirect, "fixed rate"));
        rows.Add((openGateway, string.Create(CultureInfo.InvariantCulture, $"added p50 {openGateway.P50 - openDirect.P50:0.00} ms, p99 {openGateway.P99 - openDirect.P99:0.00} ms")));
        var home = await LoadGenerator.OpenAsync("storefront home page GraphQL, 200/s", 200, duration * 2, Home);
        rows.Add((home, "goal: p99 under 50 ms"));
        var homeMax = await LoadGenerator.ClosedAsync("storefront home page GraphQL, 8 clients", 8, duration, Home);
        rows.Add((homeMax, "most it does"));

        var ratio = throughput.Average(t => t.Gateway.PerSecond / t.Direct.PerSecond);
        var report = new StringBuilder()
            .AppendLine("# Gateway: added cost of the front door, and the storefront home page")
            .AppendLine()
            .AppendLine(CultureInfo.InvariantCulture, $"Measured {DateTime.UtcNow:yyyy-MM-dd} on this machine ({Environment.ProcessorCount} cores), one run: catalog, profiles, personalization and the gateway")
            .AppendLine("(their real Programs on Kestrel, durable PostgreSQL and RabbitMQ) and the load generator all in one process on the same cores.")
            .AppendLine(CultureInfo.InvariantCulture, $"{productCount:N0} demo products in one tenant, three home-hero offers, 1,000 consenting visitors with 5 views each. Closed loop: 16 clients")
            .AppendLine("send their next request when the last one answered. Fixed rate (open loop): requests start on schedule whatever the answers do,")
            .AppendLine("and latency counts from the scheduled start. Command: `dotnet run -c Release --project tests/Benchmarks -- gateway [products] [seconds]`.")
            .AppendLine()
            .AppendLine("| load | requests | per second | p50 ms | p99 ms | max ms | failures | note |")
            .AppendLine("|---|---:|---:|---:|---:|---:|---:|---|");
        foreach (var (result, note) in rows)
        {
            report.AppendLine(result.Row(note));
        }

        report.AppendLine()
            .AppendLine(CultureInfo.InvariantCulture, $"Throughput through the gateway: **{ratio:0.00}** of direct (goal at least 0.85). Added latency at {moderate}/s: p50 **{openGateway.P50 - openDirect.P50:0.00} ms**, p99 **{openGateway.P99 - openDirect.P99:0.00} ms** (goal under 2 ms).")
            .AppendLine(CultureInfo.InvariantCulture, $"Home page at 200/s: p50 **{home.P50:0.0} ms**, p99 **{home.P99:0.0} ms** (goal under 50 ms), {home.Failures} failures; it costs {homeCost} units of the key's rate limit per request.");
        return report.ToString();
    }

    private static HttpMessageHandler Chain(DelegatingHandler outer, HttpMessageHandler inner)
    {
        outer.InnerHandler = inner;
        return outer;
    }

    private static HttpClient Client(HttpMessageHandler handler, Uri address, string key)
    {
        var client = new HttpClient(handler, disposeHandler: false) { BaseAddress = address };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
        return client;
    }

    private static async Task Ok(Task<HttpResponseMessage> call)
    {
        using var response = await call;
        response.EnsureSuccessStatusCode();
        await response.Content.ReadAsByteArrayAsync();
    }

    private static Task<HttpResponseMessage> GraphQLAsync(HttpClient client, string query, string visitor)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/graphql") { Content = JsonContent.Create(new { query }) };
        request.Headers.Add("X-Visitor-Id", visitor);
        return client.SendAsync(request).ContinueWith(async t =>
        {
            var response = t.Result;
            if (response.IsSuccessStatusCode && (await response.Content.ReadAsStringAsync()).Contains("\"errors\"", StringComparison.Ordinal))
            {
                throw new InvalidOperationException("the home page answered with errors");
            }

            return response;
        }, TaskScheduler.Default).Unwrap();
    }

    private static async Task<string> KeyAsync(HttpClient client, string path, object input)
    {
        var response = await client.PostAsJsonAsync(path, input);
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("key").GetString()!;
    }

    private static async Task WaitForReadModelsAsync(HttpClient admin, int products)
    {
        for (var waited = 0; waited < 600; waited++)
        {
            var status = await admin.GetFromJsonAsync<JsonElement>("/api/personalization/read-models");
            if (status.GetProperty("products").GetProperty("total").GetInt64() >= products)
            {
                return;
            }

            await Task.Delay(500);
        }

        throw new InvalidOperationException("personalization did not receive the catalog within five minutes");
    }
}
