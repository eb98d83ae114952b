using MachCommerce.Gateway.Tenants;

namespace MachCommerce.Benchmarks.Gateway;

/// <summary>
/// The gateway in front of the real services (their Programs on Kestrel, durable PostgreSQL, RabbitMQ), all in
/// this process on this machine: the proxy's own cost measured with wrk against the catalog directly, through nginx
/// and through the gateway (a light route and the catalog read, warm and interleaved), then the storefront home
/// page query (20 products with prices and the visitor's offers) at 200 requests/s and flat out.
/// </summary>
internal static class GatewayBenchmark
{

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
            ["Gateway:PlatformKey"] = GatewayClients.PlatformKey,
        });

        // The shop: a tenant with its admin key, the demo catalog, an offer per root category, and shoppers who looked around.
        using var handler = new SocketsHttpHandler { MaxConnectionsPerServer = 256, PooledConnectionLifetime = Timeout.InfiniteTimeSpan };
        var tenant = "bench-shop";
        using var platform = GatewayClients.Client(handler, gateway.Address, GatewayClients.PlatformKey);
        (await platform.PostAsJsonAsync("/api/admin/tenants", new { id = tenant, name = "Benchmark-Laden" })).EnsureSuccessStatusCode();
        using var admin = GatewayClients.Client(handler, gateway.Address, await GatewayClients.KeyAsync(platform, $"/api/admin/tenants/{tenant}/keys", new { kind = "admin", name = "bench admin", ratePerSecond = 50_000, burst = 100_000 }));
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

        using var storefront = GatewayClients.Client(handler, gateway.Address, await GatewayClients.KeyAsync(admin, "/api/admin/keys", new { kind = "storefront", name = "bench storefront", ratePerSecond = 50_000, burst = 100_000 }));

        Task Home(int i) => Ok(GraphQLAsync(storefront, HomePage, visitors[i % visitors.Length]));

        var sample = await storefront.SendAsync(new HttpRequestMessage(HttpMethod.Post, "/graphql") { Content = JsonContent.Create(new { query = HomePage }), Headers = { { "X-Visitor-Id", visitors[0] } } });
        var homeCost = (await sample.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("extensions").GetProperty("cost").GetProperty("requested").GetInt32();

        // The proxy's own cost: wrk against the service directly, through nginx and through the gateway, on a light
        // route (the backend costs almost nothing) and on the catalog read; each path warmed, the paths interleaved,
        // two rounds. Direct and nginx carry an assertion as the gateway would send it; the gateway gets the key.
        await using var nginx = await NginxProxy.StartAsync(catalog.Address);
        await using var yarp = await BareYarp.StartAsync(catalog.Address);
        var product = productIds[0];
        var storefrontKey = storefront.DefaultRequestHeaders.Authorization!.Parameter!;
        var routes = new (string Name, string ServicePath)[] { ("light: GET /health/live", "health/live"), ("catalog read: GET /products/{id}", $"products/{product}") };
        var proxyRows = new List<(string Route, Wrk.Result Result, string Note)>();
        var summary = new List<(string Route, Wrk.Result Direct, Wrk.Result Nginx, Wrk.Result Yarp, Wrk.Result Gateway)>();
        foreach (var (route, servicePath) in routes)
        {
            // A fresh assertion for each measurement (it lives a minute), as the gateway would send it.
            Dictionary<string, string> Asserted() => new() { [IdentityAssertionCodec.HeaderName] = TestIdentity.MintFor("catalog", tenant, Scopes.CatalogRead) };
            var paths = new (string Name, Uri Url, Func<Dictionary<string, string>> Headers)[]
            {
                ("direct", new Uri(catalog.Address, servicePath), Asserted),
                ("nginx", new Uri(nginx.Address, servicePath), Asserted),
                ("bare YARP", new Uri(yarp.Address, servicePath), Asserted),
                ("gateway", new Uri(gateway.Address, "api/catalog/" + servicePath), () => new() { ["Authorization"] = $"Bearer {storefrontKey}" }),
            };
            foreach (var (name, url, headers) in paths)
            {
                await Wrk.RunAsync(name, url, headers(), TimeSpan.FromSeconds(3)); // warm-up, not reported
            }

            for (var round = 1; round <= 2; round++)
            {
                var results = new Dictionary<string, Wrk.Result>();
                foreach (var (name, url, headers) in round == 1 ? paths : paths.Reverse())
                {
                    results[name] = await Wrk.RunAsync(name, url, headers(), duration);
                }

                var (d, n, y, g) = (results["direct"], results["nginx"], results["bare YARP"], results["gateway"]);
                summary.Add((route, d, n, y, g));
                proxyRows.Add((route, d, $"round {round}"));
                proxyRows.Add((route, n, string.Create(CultureInfo.InvariantCulture, $"round {round}: {n.PerSecond / d.PerSecond:0.00} of direct")));
                proxyRows.Add((route, y, string.Create(CultureInfo.InvariantCulture, $"round {round}: {y.PerSecond / n.PerSecond:0.00} of nginx")));
                proxyRows.Add((route, g, string.Create(CultureInfo.InvariantCulture, $"round {round}: **{g.PerSecond / n.PerSecond:0.00} of nginx**, p50 {g.P50 - n.P50:+0.00;-0.00} ms over nginx")));
            }
        }

        await LoadGenerator.ClosedAsync("warm-up home", 4, TimeSpan.FromSeconds(3), Home);
        var rows = new List<(LoadGenerator.Result Result, string Note)>();
        var home = await LoadGenerator.OpenAsync("storefront home page GraphQL, 200/s", 200, duration * 2, Home);
        rows.Add((home, "goal: p99 under 50 ms"));
        var homeMax = await LoadGenerator.ClosedAsync("storefront home page GraphQL, 8 clients", 8, duration, Home);
        rows.Add((homeMax, "most it does"));

        var light = summary.Where(s => s.Route == routes[0].Name).ToList();
        var lightRatio = light.Average(s => s.Gateway.PerSecond / s.Nginx.PerSecond);
        var lightAdded = light.Average(s => s.Gateway.P50 - s.Nginx.P50);
        var read = summary.Where(s => s.Route == routes[1].Name).ToList();
        return Report.Start("Gateway: added cost of the front door, and the storefront home page",
                "one run: catalog, profiles, personalization and the gateway (their real Programs on Kestrel, durable PostgreSQL and RabbitMQ) in one process on the same cores. "
                + string.Create(CultureInfo.InvariantCulture, $"{productCount:N0} demo products in one tenant, three home-hero offers, 1,000 consenting visitors with 5 views each. ")
                + "Home page, closed loop: 8 clients send their next request when the last one answered. Fixed rate (open loop): requests start on schedule whatever the answers do, and latency counts from the scheduled start.",
                "gateway [products] [seconds]")
            .AppendLine("## The proxy's own cost: direct, nginx, bare YARP, gateway")
            .AppendLine()
            .AppendLine(CultureInfo.InvariantCulture, $"wrk (2 threads, 16 keep-alive connections, {duration.TotalSeconds:0} s a measurement, its own process) against the catalog directly, through nginx")
            .AppendLine("(Debian's, keep-alive to the upstream, started by the benchmark), through YARP alone (Kestrel and the forwarder, nothing of ours,")
            .AppendLine("in this process) and through the gateway with a storefront key. Each path")
            .AppendLine("warmed for 3 s first; the paths interleaved, round 2 in the reverse order of round 1.")
            .AppendLine()
            .AppendTable(Wrk.Result.Columns, proxyRows.Select(row => row.Result.Row(row.Route, row.Note)))
            .AppendLine(CultureInfo.InvariantCulture, $"Light route: the gateway at **{lightRatio:0.00} of nginx** (goal at least 0.80), p50 **{lightAdded:+0.00;-0.00} ms** over nginx (goal at most 0.20 ms);")
            .AppendLine(CultureInfo.InvariantCulture, $"YARP alone at **{light.Average(s => s.Yarp.PerSecond / s.Nginx.PerSecond):0.00} of nginx**, so the gateway is {light.Average(s => s.Gateway.PerSecond / s.Yarp.PerSecond):0.00} of bare YARP (what our front door adds: p50 {light.Average(s => s.Gateway.P50 - s.Yarp.P50):+0.00;-0.00} ms).")
            .AppendLine(CultureInfo.InvariantCulture, $"Catalog read: the gateway at **{read.Average(s => s.Gateway.PerSecond / s.Nginx.PerSecond):0.00} of nginx**, p50 {read.Average(s => s.Gateway.P50 - s.Nginx.P50):+0.00;-0.00} ms over nginx.")
            .AppendLine()
            .AppendLine("## The storefront home page")
            .AppendLine()
            .AppendTable(LoadGenerator.Result.Columns(), rows.Select(row => row.Result.Row(row.Note)))
            .AppendLine(CultureInfo.InvariantCulture, $"Home page at 200/s: p50 **{home.P50:0.0} ms**, p99 **{home.P99:0.0} ms** (goal under 50 ms), {home.Failures} failures; it costs {homeCost} units of the key's rate limit per request.")
            .ToString();
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
            if (response.IsSuccessStatusCode && (await response.Content.ReadAsStringAsync()) is var body && body.Contains("\"errors\"", StringComparison.Ordinal))
            {
                var first = JsonDocument.Parse(body).RootElement.GetProperty("errors")[0].GetProperty("message").GetString();
                throw new InvalidOperationException($"the home page answered with errors: {first}");
            }

            return response;
        }, TaskScheduler.Default).Unwrap();
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
