using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.Configuration;

namespace MachCommerce.Testing;

/// <summary>
/// A service's own Program, on real Kestrel at a loopback port (body limits and timeouts as in production), with
/// its database, broker and the Identity settings the launcher would give it, with the tests' keys. <typeparamref name="TEntryPoint"/> is any public type of the
/// service's assembly.
/// </summary>
public sealed class ServiceUnderTest<TEntryPoint> : IAsyncDisposable where TEntryPoint : class
{
    private static readonly Lock StartLock = new();
    private readonly WebApplicationFactory<TEntryPoint> _factory;

    internal ServiceUnderTest(WebApplicationFactory<TEntryPoint> factory, Uri address, string audience)
    {
        _factory = factory;
        Address = address;
        Audience = audience;
    }

    public Uri Address { get; }

    /// <summary>The service's name, which its assertions are minted for: catalog, profiles, personalization, gateway.</summary>
    public string Audience { get; }

    public IServiceProvider Services => _factory.Services;

    /// <summary>A client acting for <paramref name="tenant"/> with the given scopes (all when none are given).</summary>
    public HttpClient Client(string tenant, params string[] scopes) => Over(AssertingClient.Handler(Audience, tenant, scopes));

    /// <param name="serviceFolder">The service's folder below the repository root, e.g. services/catalog (its content root).</param>
    internal static ServiceUnderTest<TEntryPoint> StartCore(string serviceFolder, string connectionString, Uri broker, string environment = "Testing",
        IDictionary<string, string?>? settings = null, int port = 0)
    {
        var audience = Path.GetFileName(serviceFolder.TrimEnd('/')).ToLowerInvariant();
        var factory = new WebApplicationFactory<TEntryPoint>().WithWebHostBuilder(builder =>
        {
            builder.UseEnvironment(environment);
            builder.UseContentRoot(Path.Combine(RepositoryPaths.FindRoot(), serviceFolder));
            builder.UseUrls($"http://127.0.0.1:{port}");
            builder.ConfigureAppConfiguration(configuration =>
            {
                configuration.AddInMemoryCollection(new Dictionary<string, string?>
                {
                    ["Postgres:ConnectionString"] = connectionString,
                    ["RabbitMq:Uri"] = broker.ToString(),
                    ["Logging:LogLevel:Default"] = "Warning",
                });
                configuration.AddInMemoryCollection(TestIdentity.Settings(audience));
                if (settings is not null)
                {
                    configuration.AddInMemoryCollection(settings);
                }
            });
        });
        factory.UseKestrel();
        // One start at a time in a process: WebApplicationFactory finds "its" host through process-wide hosting
        // diagnostics, so two fixtures starting the same Program at once can each catch the other's host.
        lock (StartLock)
        {
            factory.StartServer(); // the service's migrations run here
        }

        var address = factory.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new ServiceUnderTest<TEntryPoint>(factory, new Uri(address), audience);
    }

    /// <summary>A client acting for <paramref name="tenant"/>, a member of <paramref name="cooperative"/> or its central level, with every scope.</summary>
    public HttpClient CooperativeClient(string tenant, string cooperative) => Over(AssertingClient.Handler(Audience, tenant, [], cooperative: cooperative));

    /// <summary>A client acting for a B2B customer of <paramref name="customerGroup"/>, with read scopes.</summary>
    public HttpClient B2BClient(string tenant, string customerGroup, params string[] scopes) => Over(AssertingClient.Handler(Audience, tenant, scopes.Length > 0 ? scopes : [Scopes.CatalogRead], customerGroup));

    public HttpClient AnonymousClient() => new() { BaseAddress = Address };

    private HttpClient Over(DelegatingHandler handler)
    {
        handler.InnerHandler = new SocketsHttpHandler();
        return new HttpClient(handler) { BaseAddress = Address };
    }

    public async ValueTask DisposeAsync() => await _factory.DisposeAsync();
}

/// <summary>Starts a <see cref="ServiceUnderTest{TEntryPoint}"/>.</summary>
public static class ServiceUnderTest
{
    /// <param name="serviceFolder">The service's folder below the repository root, e.g. services/catalog (its content root).</param>
    /// <param name="port">A fixed port (a front end whose callback address must be registered before it starts); 0 picks a free one.</param>
    public static ServiceUnderTest<TEntryPoint> Start<TEntryPoint>(string serviceFolder, string connectionString, Uri broker, string environment = "Testing",
        IDictionary<string, string?>? settings = null, int port = 0) where TEntryPoint : class =>
        ServiceUnderTest<TEntryPoint>.StartCore(serviceFolder, connectionString, broker, environment, settings, port);
}
