using MachCommerce.Identity.Data;
using MachCommerce.Testing;

namespace MachCommerce.Identity.Tests;

/// <summary>The real identity service on a database of its own, one per test class.</summary>
public class IdentityFixture : IAsyncLifetime
{
    public const string Issuer = "https://api.identity-tests.example/";

    /// <summary>A front end people sign in to (authorization code + PKCE), and where it receives the code.</summary>
    public const string FrontEnd = "test-console", FrontEndRedirect = "https://console.identity-tests.example/callback";

    private ServiceUnderTest<IdentityDb> _service = null!;

    public string ConnectionString { get; private set; } = "";

    public Uri Address => _service.Address;

    public virtual Task InitializeAsync() => StartAsync([]);

    /// <summary>The service's settings: a test issuer and fresh keys, and what <paramref name="more"/> adds (a mail server, say).</summary>
    public static Dictionary<string, string?> Settings(Dictionary<string, string?> more)
    {
        more["IdentityServer:Issuer"] = Issuer;
        more["IdentityServer:SigningKeys"] = IdentityKeys.NewKeyPair().PrivateKey;
        more["IdentityServer:EncryptionKey"] = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));
        more[$"IdentityServer:FrontEnds:{FrontEnd}:DisplayName"] = "Test console";
        more[$"IdentityServer:FrontEnds:{FrontEnd}:RedirectUris:0"] = FrontEndRedirect;
        return more;
    }

    /// <summary>Starts the service with the given settings (a subclass's own, before or instead of <see cref="InitializeAsync"/>).</summary>
    protected async Task StartAsync(Dictionary<string, string?> more)
    {
        var servers = await TestServers.GetAsync();
        ConnectionString = await TestServers.CreateDatabaseAsync("identity");
        _service = ServiceUnderTest.Start<IdentityDb>("services/identity", ConnectionString, servers.RabbitMq.Uri, settings: Settings(more));
    }

    public virtual async Task DisposeAsync()
    {
        await _service.DisposeAsync();
        await TestServers.DropDatabaseAsync(ConnectionString);
    }

    /// <summary>A shop owner's client (an admin key at the gateway asserts clients:manage).</summary>
    public HttpClient Owner(string tenant) => _service.Client(tenant, [.. Scopes.All, .. Scopes.OwnerOnly]);

    public HttpClient Client(string tenant, params string[] scopes) => _service.Client(tenant, scopes);

    /// <summary>No assertion: what a partner's machine reaching the token endpoint through the gateway looks like.</summary>
    public HttpClient Anonymous() => _service.AnonymousClient();

    public static string NewTenant() => "shop-" + Guid.NewGuid().ToString("N")[..8];

    public async Task<(string ClientId, string Secret)> CreateClientAsync(string tenant, params string[] scopes)
    {
        using var response = await Owner(tenant).PostAsJsonAsync("/clients", new { name = "ERP Müller", scopes });
        response.EnsureSuccessStatusCode();
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        return (body.GetProperty("clientId").GetString()!, body.GetProperty("clientSecret").GetString()!);
    }

    public async Task<HttpResponseMessage> RequestTokenAsync(string clientId, string secret, string? scope = null)
    {
        var form = new Dictionary<string, string> { ["grant_type"] = "client_credentials", ["client_id"] = clientId, ["client_secret"] = secret };
        if (scope is not null)
        {
            form["scope"] = scope;
        }

        return await Anonymous().PostAsync("/connect/token", new FormUrlEncodedContent(form));
    }
}
