using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Logging;

namespace MachCommerce.Testing;

/// <summary>
/// A small real HTTP server on 127.0.0.1 and a free port, for a test double of another party (a front end's
/// callback, a key set, a partner's endpoint): the routes <paramref name="map"/> adds, started.
/// </summary>
public static class LoopbackServer
{
    public static async Task<(WebApplication App, Uri Address)> StartAsync(Action<WebApplication> map)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.AddFilter((_, level) => level >= Microsoft.Extensions.Logging.LogLevel.Warning); // a double's every request is no news
        var app = builder.Build();
        map(app);
        await app.StartAsync();
        return (app, new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First() + "/"));
    }
}
