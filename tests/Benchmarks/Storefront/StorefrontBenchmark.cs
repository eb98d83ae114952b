using System.Collections.Concurrent;
using System.Net;
using System.Text.RegularExpressions;
using MachCommerce.Benchmarks.Gateway;
using Microsoft.Playwright;

namespace MachCommerce.Benchmarks.Storefront;

/// <summary>
/// The storefront starter as a shopper's browser meets it, against the demo data of a running launcher
/// (<c>dotnet run --project mach-commerce</c> first): per page in headless chromium with a cold cache, Largest
/// Contentful Paint, Cumulative Layout Shift, the JavaScript shipped (compressed bytes on the wire) and the GraphQL
/// requests the server made for the page view; then the server-rendered home page at a fixed 50 requests/s, for
/// visitors without and with consent. Its own storefront server (the launcher's build, another port) logs each
/// request it sends the platform, which is how requests per page view are counted.
/// </summary>
internal static partial class StorefrontBenchmark
{
    private const int Runs = 5;

    public static async Task<string> RunAsync(string[] args)
    {
        var gateway = new Uri(args.Length > 0 ? args[0] : "http://127.0.0.1:5100/");
        var root = RepositoryPaths.FindRoot();
        var keys = JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(root, ".data", "local", "demo-keys.json"))).RootElement;
        var shop = keys[0];
        using (var probe = new HttpClient())
        {
            if (!(await probe.GetAsync(new Uri(gateway, "/health/ready"))).IsSuccessStatusCode)
            {
                throw new InvalidOperationException($"the platform at {gateway} is not ready: start it with dotnet run --project mach-commerce");
            }
        }

        var server = await NodeFrontEnd.EnsureBuiltAsync(Path.Combine(root, "frontends", "storefront"));
        var address = new Uri($"http://127.0.0.1:{FreePort.Pick()}/");
        var requests = new ConcurrentQueue<string>();
        using var process = StartServer(server, address, gateway, shop.GetProperty("StorefrontKey").GetString()!, shop.GetProperty("TenantId").GetString()!, requests);
        try
        {
            using var client = new HttpClient { BaseAddress = address, Timeout = TimeSpan.FromSeconds(10) };
            await WaitAsync(client);
            var home = await client.GetStringAsync("/");
            var product = ProductLink().Match(await client.GetStringAsync("/c/garten")).Groups[1].Value;
            var pages = new (string Name, string Path)[] { ("home", "/"), ("product", product), ("category", "/c/garten"), ("search", "/search?q=akkuschrauber") };

            var browserRows = new List<string>();
            using var playwright = await Playwright.CreateAsync();
            await using var browser = await playwright.Chromium.LaunchAsync(new() { ExecutablePath = "/usr/bin/chromium", Headless = true, Args = ["--no-sandbox"] });
            foreach (var (name, path) in pages)
            {
                foreach (var consent in new[] { false, true })
                {
                    var samples = new List<PageSample>();
                    for (var run = 0; run < Runs + 1; run++)
                    {
                        var sample = await MeasurePageAsync(browser, new Uri(address, path), consent, requests);
                        if (run > 0)
                        {
                            samples.Add(sample); // the first load warms the server's own code, not the browser's cache (each run is a new context)
                        }
                    }

                    browserRows.Add(Row(name + (consent ? ", with consent" : ", no answer yet"), samples));
                }
            }

            // The server-rendered home page at a fixed rate: latency counted from each request's scheduled start.
            var visitors = Enumerable.Range(0, 200).Select(_ => Guid.NewGuid().ToString()).ToArray();
            using var load = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = 256, UseCookies = false }) { BaseAddress = address, Timeout = TimeSpan.FromSeconds(10) };
            await LoadGenerator.OpenAsync("warm-up", 20, TimeSpan.FromSeconds(5), _ => GetAsync(load, "/", null));
            var anonymous = await LoadGenerator.OpenAsync("home page, no consent, 50/s", 50, TimeSpan.FromSeconds(20), _ => GetAsync(load, "/", null));
            var personal = await LoadGenerator.OpenAsync("home page, consenting visitors, 50/s", 50, TimeSpan.FromSeconds(20),
                i => GetAsync(load, "/", $"mc_consent=granted; mc_visitor={visitors[i % visitors.Length]}"));
            var product50 = await LoadGenerator.OpenAsync("product page, consenting visitors, 50/s", 50, TimeSpan.FromSeconds(20),
                i => GetAsync(load, product, $"mc_consent=granted; mc_visitor={visitors[i % visitors.Length]}"));

            return Report.Start("Storefront starter: what a shopper's browser gets, and the server-rendered pages under load",
                    string.Create(CultureInfo.InvariantCulture, $"the demo shop `{shop.GetProperty("TenantId").GetString()}` of a running launcher, the storefront's production build (`next build`, standalone server), headless chromium (Debian's), each load in a new browser context (cold cache), the median and worst of {Runs} loads after one warm-up. Goals (issue #23): LCP under 1.5 s and CLS under 0.05 on home and product pages, JavaScript under 150 KB compressed, at most two GraphQL requests per page view, the home page's p99 under 100 ms at 50 requests/s."),
                    "storefront")
                .AppendTable(["page", "LCP ms (median / worst)", "CLS (worst)", "JavaScript KB compressed", "GraphQL requests per view (max)", "events batches sent (max)"], browserRows)
                .AppendLine("Each page view's GraphQL requests are counted at the storefront's server (its log of requests to the platform); the events batch (`trackEvents`) goes out once per page at most, only with consent, and is listed apart.")
                .AppendLine()
                .AppendTable(LoadGenerator.Result.Columns("load (open loop, fixed rate)"),
                [
                    anonymous.Row("goal p99 < 100 ms"),
                    personal.Row("a random consenting visitor of 200 per request: personal offer and recommendations"),
                    product50.Row("product page: the product, two lists and its offer in one request"),
                ])
                .AppendLine("A page for nobody in particular (no yes yet, or a no) is the same for everybody in a language: the storefront keeps its data ten seconds and the category tree a minute, so such a page costs the platform almost nothing and the storefront's own rendering is what is measured. A consenting visitor's page is decided for them on every request: the offer decision and the recommendations in the personalization service, behind the gateway, all on the same two cores here; that is the platform's home-page cost the gateway's results file measures (issue #18), not the storefront's.")
                .ToString();
        }
        finally
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
        }
    }

    private sealed record PageSample(double Lcp, double Cls, long ScriptBytes, int Queries, int EventBatches);

    private static async Task<PageSample> MeasurePageAsync(IBrowser browser, Uri url, bool consent, ConcurrentQueue<string> requests)
    {
        await using var context = await browser.NewContextAsync(new() { Locale = "de-DE" });
        if (consent)
        {
            await context.AddCookiesAsync([
                new Microsoft.Playwright.Cookie { Name = "mc_consent", Value = "granted", Url = url.GetLeftPart(UriPartial.Authority) },
                new Microsoft.Playwright.Cookie { Name = "mc_visitor", Value = Guid.NewGuid().ToString(), Url = url.GetLeftPart(UriPartial.Authority) },
            ]);
        }

        await context.AddInitScriptAsync("""
            window.__lcp = 0; window.__cls = 0;
            new PerformanceObserver(list => { for (const e of list.getEntries()) window.__lcp = e.startTime; }).observe({ type: "largest-contentful-paint", buffered: true });
            new PerformanceObserver(list => { for (const e of list.getEntries()) if (!e.hadRecentInput) window.__cls += e.value; }).observe({ type: "layout-shift", buffered: true });
            """);
        var page = await context.NewPageAsync();
        requests.Clear();
        await page.GotoAsync(url.ToString(), new() { WaitUntil = WaitUntilState.Load });
        await page.WaitForTimeoutAsync(2500); // late layout shifts, and the events batch (sent 1.5 s after the first event)
        var lcp = await page.EvaluateAsync<double>("window.__lcp");
        var cls = await page.EvaluateAsync<double>("window.__cls");
        var scripts = await page.EvaluateAsync<long>("performance.getEntriesByType('resource').filter(r => r.initiatorType === 'script' || r.name.endsWith('.js')).reduce((sum, r) => sum + r.encodedBodySize, 0)");
        var sent = requests.ToArray();
        return new PageSample(lcp, cls, scripts, sent.Count(r => r != "Track"), sent.Count(r => r == "Track"));
    }

    private static string Row(string name, List<PageSample> samples)
    {
        var lcp = samples.Select(s => s.Lcp).Order().ToArray();
        return string.Create(CultureInfo.InvariantCulture,
            $"| {name} | {lcp[lcp.Length / 2]:0} / {lcp[^1]:0} | {samples.Max(s => s.Cls):0.000} | {samples.Max(s => s.ScriptBytes) / 1024.0:0.0} | {samples.Max(s => s.Queries)} | {samples.Max(s => s.EventBatches)} |");
    }

    private static Process StartServer(string server, Uri address, Uri gateway, string key, string shop, ConcurrentQueue<string> requests)
    {
        var start = new ProcessStartInfo("node") { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = Path.GetDirectoryName(server)! };
        start.ArgumentList.Add(server);
        foreach (var (name, value) in NodeFrontEnd.ServerEnvironment(address))
        {
            start.Environment[name] = value;
        }

        start.Environment["MACH_PLATFORM_URL"] = gateway.ToString();
        start.Environment["MACH_STOREFRONT_KEY"] = key;
        start.Environment["MACH_STOREFRONT_URL"] = address.ToString();
        start.Environment["MACH_SHOP"] = shop;
        start.Environment["MACH_LOG_GRAPHQL"] = "1";
        var process = Process.Start(start)!;
        process.OutputDataReceived += (_, e) =>
        {
            if (e.Data is { } line && GraphQLLine().Match(line) is { Success: true } match)
            {
                requests.Enqueue(match.Groups[1].Value);
            }
        };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }

    private static async Task WaitAsync(HttpClient client)
    {
        for (var attempt = 0; attempt < 120; attempt++)
        {
            try
            {
                if ((await client.GetAsync("/health/ready")).IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
                // not yet
            }

            await Task.Delay(250);
        }

        throw new InvalidOperationException("the storefront did not become ready");
    }

    private static async Task GetAsync(HttpClient client, string path, string? cookie)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Add("Accept-Language", "de");
        if (cookie is not null)
        {
            request.Headers.Add("Cookie", cookie);
        }

        using var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        if (response.StatusCode != HttpStatusCode.OK)
        {
            throw new HttpRequestException($"{(int)response.StatusCode} for {path}");
        }

        await response.Content.CopyToAsync(Stream.Null);
    }

    [GeneratedRegex(@"href=""(/p/[^""]+)""")]
    private static partial Regex ProductLink();

    [GeneratedRegex(@"^graphql (\S+) ")]
    private static partial Regex GraphQLLine();
}
