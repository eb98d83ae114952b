using Microsoft.Extensions.Configuration;

namespace MachCommerce.Platform.Tests.Hosting;

/// <summary>A real Kestrel app on a loopback port with the service defaults, for testing what a client sees.</summary>
internal sealed class TestApp : IAsyncDisposable
{
    private TestApp(WebApplication app, HttpClient client)
    {
        App = app;
        Client = client;
    }

    public WebApplication App { get; }

    public HttpClient Client { get; }

    public static async Task<TestApp> StartAsync(Action<WebApplicationBuilder>? configure, Action<WebApplication> map, IDictionary<string, string?>? settings = null)
    {
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { EnvironmentName = "Testing" });
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Configuration.AddInMemoryCollection(TestIdentity.Settings(TestIdentity.Audience));
        if (settings is not null)
        {
            builder.Configuration.AddInMemoryCollection(settings);
        }

        builder.AddServiceDefaults();
        configure?.Invoke(builder);
        var app = builder.Build();
        app.UseServiceDefaults();
        map(app);
        await app.StartAsync();
        var address = app.Urls.First();
        return new TestApp(app, new HttpClient { BaseAddress = new Uri(address) });
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await App.StopAsync();
        await App.DisposeAsync();
    }
}
