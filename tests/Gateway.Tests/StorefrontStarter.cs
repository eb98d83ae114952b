using System.Diagnostics;

namespace MachCommerce.Gateway.Tests;

/// <summary>
/// The storefront starter (frontends/storefront) built as the launcher builds it and run against the test platform
/// for a shop of its own: the small garden-and-tools catalog, a garden and a tools offer on the home, category and
/// product pages (tools ranks first for nobody in particular), and a trade price list. Its shoppers sign in through
/// the identity service's customer accounts, which calls back at this server.
/// </summary>
public sealed class StorefrontStarter : IAsyncDisposable
{
    public const string Shop = "starter-shop";
    public const string Client = "starter-storefront";
    public const string GardenOffer = "Gartenwochen";
    public const string ToolsOffer = "Werkzeug-Deals";

    /// <summary>The trade customer group's net price of the garden hose (the consumer pays 39.00 gross).</summary>
    public const decimal TradeNetPrice = 27.50m;

    private readonly Process _process;
    private readonly StringBuilder _log = new();

    private StorefrontStarter(Process process, Uri address, TestTenant tenant, ShopData data, string key)
    {
        _process = process;
        Address = address;
        Tenant = tenant;
        Data = data;
        StorefrontKey = key;
        process.OutputDataReceived += (_, e) => { lock (_log) { _log.AppendLine(e.Data); } };
        process.ErrorDataReceived += (_, e) => { lock (_log) { _log.AppendLine(e.Data); } };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
    }

    public Uri Address { get; }
    public TestTenant Tenant { get; }
    public ShopData Data { get; }
    public string StorefrontKey { get; }

    public static string Folder => Path.Combine(RepositoryPaths.FindRoot(), "frontends", "storefront");

    /// <summary>What the storefront's server printed so far, for a failing test's message.</summary>
    public string Log
    {
        get
        {
            lock (_log)
            {
                return _log.ToString();
            }
        }
    }

    public static async Task<StorefrontStarter> StartAsync(PlatformFixture platform, int port)
    {
        var build = NodeFrontEnd.EnsureBuiltAsync(Folder); // meanwhile, the shop
        var tenant = await platform.NewTenantAsync(id: Shop);
        using var admin = tenant.Admin();
        var data = await ShopData.CreateForPersonalizationAsync(admin);
        await OfferAsync(admin, GardenOffer, data.Garden, priority: 10);
        await OfferAsync(admin, ToolsOffer, data.Tools, priority: 20);
        using (var priceList = await admin.PutAsJsonAsync("/api/catalog/price-lists/fachhandel",
            new { name = "Fachhandel", entries = new[] { new { sku = data.Skus["Gartenschlauch Classic 20 m"], priceNet = TradeNetPrice } } }))
        {
            Assert.True(priceList.IsSuccessStatusCode, await priceList.Content.ReadAsStringAsync());
        }

        var address = new Uri($"http://127.0.0.1:{port}/");
        var key = await tenant.StorefrontKeyAsync(address.GetLeftPart(UriPartial.Authority));
        var server = await build;

        var start = new ProcessStartInfo("node") { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = Path.GetDirectoryName(server)! };
        start.ArgumentList.Add(server);
        foreach (var (name, value) in NodeFrontEnd.ServerEnvironment(address))
        {
            start.Environment[name] = value;
        }

        start.Environment["MACH_PLATFORM_URL"] = platform.Gateway.Address.ToString();
        start.Environment["MACH_STOREFRONT_KEY"] = key;
        start.Environment["MACH_STOREFRONT_URL"] = address.ToString();
        start.Environment["MACH_CUSTOMER_CLIENT_ID"] = Client;
        start.Environment["MACH_SHOP"] = Shop;
        start.Environment["MACH_SHOP_NAME"] = "Garten & Werkzeug Test";
        var storefront = new StorefrontStarter(Process.Start(start)!, address, tenant, data, key);
        await storefront.WaitUntilServingAsync();
        return storefront;
    }

    private async Task WaitUntilServingAsync()
    {
        using var client = new HttpClient { BaseAddress = Address, Timeout = TimeSpan.FromSeconds(5) };
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (DateTime.UtcNow < deadline && !_process.HasExited)
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
                // not listening yet
            }

            await Task.Delay(200);
        }

        throw new InvalidOperationException($"The storefront did not serve at {Address}: {Log}");
    }

    private static async Task OfferAsync(HttpClient admin, string name, Guid category, int priority)
    {
        var response = await admin.PostAsJsonAsync("/api/personalization/offers", new
        {
            name,
            status = "active",
            placements = new[] { "home-hero", "category-page", "product-detail" },
            content = new
            {
                de = new { headline = name, text = "Nur diese Woche", callToAction = "Jetzt ansehen", url = "/c/garten" },
                en = new { headline = name + " (EN)", text = "This week only", callToAction = "Have a look", url = "/c/garten" },
            },
            selection = new { categoryIds = new[] { category }, maxProducts = 4 },
            incentive = new { type = "percent", value = 10, code = "DEMO10" },
            priority,
        });
        Assert.True(response.IsSuccessStatusCode, $"creating the offer answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
    }
}
