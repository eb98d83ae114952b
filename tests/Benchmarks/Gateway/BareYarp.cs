using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Yarp.ReverseProxy.Configuration;

namespace MachCommerce.Benchmarks.Gateway;

/// <summary>
/// YARP alone in front of one upstream: Kestrel and the proxy's forwarder, nothing of ours (no key, rate limit,
/// assertion, header rules, logging scope). Measured beside nginx and the gateway, it splits the gateway's gap to
/// nginx into what forwarding in .NET costs and what our front door adds.
/// </summary>
internal sealed class BareYarp : IAsyncDisposable
{
    private readonly WebApplication _app;

    private BareYarp(WebApplication app, Uri address)
    {
        _app = app;
        Address = address;
    }

    public Uri Address { get; }

    public static async Task<BareYarp> StartAsync(Uri upstream)
    {
        var address = new Uri($"http://127.0.0.1:{FreePort.Pick()}/");
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls(address.ToString());
        builder.Services.AddReverseProxy().LoadFromMemory(
            [new RouteConfig { RouteId = "all", ClusterId = "upstream", Match = new RouteMatch { Path = "{**rest}" } }],
            [new ClusterConfig { ClusterId = "upstream", Destinations = new Dictionary<string, DestinationConfig> { ["primary"] = new() { Address = upstream.ToString() } } }]);
        var app = builder.Build();
        app.MapReverseProxy();
        await app.StartAsync();
        return new BareYarp(app, address);
    }

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();
}
