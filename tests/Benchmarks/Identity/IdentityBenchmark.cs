using System.Security.Cryptography;
using MachCommerce.Benchmarks.Gateway;
using MachCommerce.Gateway.Tenants;

namespace MachCommerce.Benchmarks.Identity;

/// <summary>
/// The identity service's token endpoint (OAuth 2.0 client credentials) directly and through the gateway, and the
/// gateway's added cost of an access token against an API key on the same routes, side by side in one run: the
/// catalog, the identity service and the gateway (their real Programs on Kestrel, durable PostgreSQL) in this
/// process, wrk in its own.
/// </summary>
internal static class IdentityBenchmark
{
    private const string Issuer = "https://api.bench.example/";

    public static async Task<string> RunAsync(string[] args)
    {
        var seconds = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 10;
        var duration = TimeSpan.FromSeconds(seconds);
        await using var servers = await BenchmarkServers.StartAsync();
        var stamp = DateTime.UtcNow.ToString("HHmmss", CultureInfo.InvariantCulture);
        var broker = await servers.RabbitMq.CreateVirtualHostAsync($"bench-identity-{Guid.NewGuid():N}");
        async Task<string> Database(string name) => await servers.Postgres.EnsureDatabaseAsync($"bench_id_{name}_{stamp}");

        await using var catalog = ServiceUnderTest.Start<MachCommerce.Catalog.CatalogOptions>("services/catalog", await Database("catalog"), broker, environment: "Benchmark");
        await using var identity = ServiceUnderTest.Start<MachCommerce.Identity.Data.IdentityDb>("services/identity", await Database("identity"), broker, environment: "Benchmark",
            settings: new Dictionary<string, string?>
            {
                ["IdentityServer:Issuer"] = Issuer,
                ["IdentityServer:SigningKeys"] = IdentityKeys.NewKeyPair().PrivateKey,
                ["IdentityServer:EncryptionKey"] = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)),
            });
        await catalog.AnonymousClient().WaitUntilBusHealthyAsync();
        await using var gateway = ServiceUnderTest.Start<KeyStore>("gateway/Gateway", await Database("gateway"), broker, environment: "Benchmark", settings: new Dictionary<string, string?>
        {
            ["ReverseProxy:Clusters:catalog:Destinations:primary:Address"] = catalog.Address.ToString(),
            ["ReverseProxy:Clusters:identity:Destinations:primary:Address"] = identity.Address.ToString(),
            ["Gateway:PlatformKey"] = GatewayClients.PlatformKey,
            ["Gateway:TokenIssuer"] = Issuer,
            // Profiles and personalization are not part of this run: their clusters' failing health probes are no news.
            ["Logging:LogLevel:Yarp"] = "None",
        });

        using var handler = new SocketsHttpHandler { MaxConnectionsPerServer = 256, PooledConnectionLifetime = Timeout.InfiniteTimeSpan };
        const string tenant = "bench-shop";
        using var platform = GatewayClients.Client(handler, gateway.Address, GatewayClients.PlatformKey);
        (await platform.PostAsJsonAsync("/api/admin/tenants", new { id = tenant, name = "Benchmark-Laden" })).EnsureSuccessStatusCode();
        using var admin = GatewayClients.Client(handler, gateway.Address, await GatewayClients.KeyAsync(platform, $"/api/admin/tenants/{tenant}/keys", new { kind = "admin", name = "bench admin" }));
        var product = await ProductAsync(admin);
        // Key and client alike: the partner's scopes, the rate limit far above what this machine can send.
        var partnerKey = await GatewayClients.KeyAsync(admin, "/api/admin/keys", new { kind = "partner", name = "bench partner", scopes = new[] { Scopes.CatalogRead }, ratePerSecond = 50_000, burst = 100_000 });
        using var created = await admin.PostAsJsonAsync("/api/identity/clients", new { name = "bench partner", scopes = new[] { Scopes.CatalogRead }, ratePerSecond = 50_000, burst = 100_000 });
        var client = await created.Content.ReadFromJsonAsync<JsonElement>();
        var basic = Convert.ToBase64String(Encoding.UTF8.GetBytes($"{client.GetProperty("clientId").GetString()}:{client.GetProperty("clientSecret").GetString()}"));

        // The token endpoint: 8 clients in a closed loop, each asking for a new token, directly and through the gateway.
        using var tokenClient = new HttpClient(handler, disposeHandler: false);
        async Task<string> TokenAsync(Uri at)
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(at, "connect/token"))
            {
                Content = new FormUrlEncodedContent(new Dictionary<string, string> { ["grant_type"] = "client_credentials" }),
            };
            request.Headers.Authorization = new AuthenticationHeaderValue("Basic", basic);
            using var response = await tokenClient.SendAsync(request);
            response.EnsureSuccessStatusCode();
            return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("access_token").GetString()!;
        }

        var tokenRows = new List<LoadGenerator.Result>();
        foreach (var (name, at) in new[] { ("token endpoint, direct", identity.Address), ("token endpoint, through the gateway", gateway.Address) })
        {
            await LoadGenerator.ClosedAsync("warm-up", 4, TimeSpan.FromSeconds(3), _ => TokenAsync(at));
            tokenRows.Add(await LoadGenerator.ClosedAsync(name, 8, duration, _ => TokenAsync(at)));
        }

        // The gateway with an API key and with an access token on the same routes: each warmed, interleaved, two rounds.
        var token = await TokenAsync(gateway.Address);
        var routes = new (string Name, string Path)[] { ("light: GET /health/live", "api/catalog/health/live"), ("catalog read: GET /products/{id}", $"api/catalog/products/{product}") };
        var rows = new List<(string Route, Wrk.Result Result, string Note)>();
        var ratios = new Dictionary<string, List<double>>();
        foreach (var (route, path) in routes)
        {
            var paths = new (string Name, string Credential)[] { ("API key", partnerKey), ("access token", token) };
            foreach (var (name, credential) in paths)
            {
                await Wrk.RunAsync(name, new Uri(gateway.Address, path), Bearer(credential), TimeSpan.FromSeconds(3));
            }

            for (var round = 1; round <= 2; round++)
            {
                var results = new Dictionary<string, Wrk.Result>();
                foreach (var (name, credential) in round == 1 ? paths : paths.Reverse())
                {
                    results[name] = await Wrk.RunAsync(name, new Uri(gateway.Address, path), Bearer(credential), duration);
                }

                if (results.Values.FirstOrDefault(r => r.Errors > 0) is { } failed)
                {
                    throw new InvalidOperationException($"{failed.Path} on {route} answered {failed.Errors} errors: the comparison would be of error pages.");
                }

                var ratio = results["access token"].PerSecond / results["API key"].PerSecond;
                ratios.TryAdd(route, []);
                ratios[route].Add(ratio);
                rows.Add((route, results["API key"], $"round {round}"));
                rows.Add((route, results["access token"], string.Create(CultureInfo.InvariantCulture,
                    $"round {round}: **{ratio:0.00} of the key path**, p50 {results["access token"].P50 - results["API key"].P50:+0.00;-0.00} ms")));
            }
        }

        var report = Report.Start("Identity: the token endpoint, and access tokens against API keys at the gateway",
                "one run: the catalog, the identity service and the gateway (their real Programs on Kestrel, durable PostgreSQL) in one process on the same cores.",
                "identity [seconds]")
            .AppendLine("## Token endpoint (client credentials, HTTP Basic)")
            .AppendLine()
            .AppendLine(CultureInfo.InvariantCulture, $"8 clients in a closed loop for {duration.TotalSeconds:0} s, each request a new token (a partner's client would keep one for its 5 minutes), after 3 s of warm-up.")
            .AppendLine()
            .AppendTable(LoadGenerator.Result.Columns(), tokenRows.Select(row => row.Row("")))
            .AppendLine("## The gateway: access token against API key")
            .AppendLine()
            .AppendLine(CultureInfo.InvariantCulture, $"wrk (2 threads, 16 keep-alive connections, {duration.TotalSeconds:0} s a measurement, its own process) through the gateway with a partner key and with a")
            .AppendLine("partner client's access token of the same scopes; each path warmed for 3 s, round 2 in the reverse order of round 1.")
            .AppendLine()
            .AppendTable(Wrk.Result.Columns, rows.Select(row => row.Result.Row(row.Route, row.Note)));
        foreach (var (route, values) in ratios)
        {
            report.AppendLine(CultureInfo.InvariantCulture, $"{route}: the access token at **{values.Average():0.00} of the API key's throughput** (goal at least 0.95).");
        }

        return report.ToString();
    }

    private static Dictionary<string, string> Bearer(string credential) => new() { ["Authorization"] = $"Bearer {credential}" };



    private static async Task<Guid> ProductAsync(HttpClient admin)
    {
        var sku = "BENCH-" + Guid.NewGuid().ToString("N")[..8].ToUpperInvariant();
        using var response = await admin.PostAsJsonAsync("/api/catalog/products", new
        {
            sku, slug = sku.ToLowerInvariant(), status = "published", brand = "Bosch",
            name = new { de = "Akku-Bohrschrauber", en = "Cordless drill" },
            variants = new[] { new { sku = sku + "-1", priceGross = 189m, taxRate = 0.19m, stockQuantity = 10 } },
        });
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
    }
}
