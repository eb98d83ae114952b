using MachCommerce.Catalog;
using MachCommerce.Gateway.Tenants;
using MachCommerce.Personalization;
using MachCommerce.Profiles;

namespace MachCommerce.Gateway.Tests;

/// <summary>
/// The whole platform in one test process: catalog, profiles and personalization on real PostgreSQL databases
/// of their own and one RabbitMQ virtual host (so events flow between them as in production), and the real
/// gateway in front of them on Kestrel. Tests talk only to the gateway, each in a tenant of its own.
/// </summary>
public sealed class PlatformFixture : IAsyncLifetime
{
    public const string PlatformKey = "mc_pl_test-platform-key-0123456789abcdefghijklmnopq";

    /// <summary>The identity service's issuer, which the gateway trusts (in production: the platform's public address).</summary>
    public const string TokenIssuer = "http://api.platform-tests.invalid/";

    /// <summary>The front end the browser tests sign in to; its callback is <see cref="Console"/>.</summary>
    public const string ConsoleClient = "test-console";

    public FrontEndDouble Console { get; private set; } = null!;

    /// <summary>A shop's storefront whose shoppers sign in with customer accounts; it calls back at <see cref="Console"/>'s address too.</summary>
    public const string StorefrontClient = "test-storefront";

    /// <summary>The shop <see cref="StorefrontClient"/> belongs to (made once, by <see cref="StorefrontShopAsync"/>).</summary>
    public const string StorefrontShop = "kundenkonto-shop";

    private Task<TestTenant>? _storefrontShop;

    /// <summary>The merchant console, signing staff in at this platform (its callback is registered at the identity service).</summary>
    public ServiceUnderTest<MachCommerce.MerchantConsole.SignIn.ConsoleOptions> MerchantConsole { get; private set; } = null!;

    /// <summary>Personalization's database, for history only its own tables can hold (an experiment's past).</summary>
    public string PersonalizationDatabase { get; private set; } = "";

    public Task<TestTenant> StorefrontShopAsync() => _storefrontShop ??= NewTenantAsync(id: StorefrontShop);

    private int _starterPort;
    private Task<StorefrontStarter>? _starter;

    /// <summary>The Next.js storefront starter for a shop of its own (built and started on first use; its callback is registered at the identity service).</summary>
    public Task<StorefrontStarter> StorefrontStarterAsync() => _starter ??= StartStarterAsync();

    private async Task<StorefrontStarter> StartStarterAsync()
    {
        var starter = await StorefrontStarter.StartAsync(this, _starterPort);
        _services.Add(starter);
        return starter;
    }

    private readonly List<string> _databases = [];
    private readonly List<IAsyncDisposable> _services = [];

    public Uri Broker { get; private set; } = null!;
    public Uri CatalogAddress { get; private set; } = null!;
    public Uri ProfilesAddress { get; private set; } = null!;
    public Uri PersonalizationAddress { get; private set; } = null!;
    public Uri IdentityAddress { get; private set; } = null!;

    public Uri WebhooksAddress { get; private set; } = null!;

    /// <summary>The identity service's signing key, so a test can forge what only it should be able to sign.</summary>
    public string IdentitySigningKey { get; } = MachCommerce.Hosting.Identity.IdentityKeys.NewKeyPair().PrivateKey;
    public ServiceUnderTest<KeyStore> Gateway { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        var servers = await TestServers.GetAsync();
        Broker = await servers.RabbitMq.CreateVirtualHostAsync("e2e-" + Guid.NewGuid().ToString("N")[..10]);
        // No global holdout: the journeys expect personalization for the visitors they make (5 % would get broadcast).
        PersonalizationDatabase = await DatabaseAsync("personalization");
        var personalization = ServiceUnderTest.Start<PersonalizationDatabase>("services/personalization", PersonalizationDatabase, Broker,
            settings: new Dictionary<string, string?> { ["Personalization:HoldoutShare"] = "0" });
        var catalog = ServiceUnderTest.Start<CatalogOptions>("services/catalog", await DatabaseAsync("catalog"), Broker);
        var profiles = ServiceUnderTest.Start<ProfilesDatabase>("services/profiles", await DatabaseAsync("profiles"), Broker, settings: new Dictionary<string, string?>
        {
            ["Gdpr:DataHolders:personalization:Url"] = personalization.Address.ToString(),
        });
        Console = await FrontEndDouble.StartAsync();
        var consolePort = MachCommerce.LocalInfrastructure.FreePort.Pick();
        _starterPort = MachCommerce.LocalInfrastructure.FreePort.Pick();
        _services.Add(Console);
        var identity = ServiceUnderTest.Start<MachCommerce.Identity.Data.IdentityDb>("services/identity", await DatabaseAsync("identity"), Broker, settings: new Dictionary<string, string?>
        {
            ["IdentityServer:Issuer"] = TokenIssuer,
            ["IdentityServer:SigningKeys"] = IdentitySigningKey,
            [$"IdentityServer:FrontEnds:{ConsoleClient}:DisplayName"] = "Test console",
            // No grace for a reused refresh token: the test of reuse detection must not wait half a minute.
            ["IdentityServer:RefreshTokenReuseLeeway"] = "00:00:00",
            [$"IdentityServer:FrontEnds:{ConsoleClient}:RedirectUris:0"] = Console.Redirect.ToString(),
            [$"IdentityServer:FrontEnds:{StorefrontClient}:DisplayName"] = "Test storefront",
            ["IdentityServer:FrontEnds:mach-console:DisplayName"] = "MACH Commerce console",
            ["IdentityServer:FrontEnds:mach-console:RedirectUris:0"] = $"http://127.0.0.1:{consolePort}/signin-oidc",
            [$"IdentityServer:FrontEnds:{StorefrontClient}:RedirectUris:0"] = Console.Redirect.ToString(),
            [$"IdentityServer:FrontEnds:{StorefrontClient}:Shop"] = StorefrontShop,
            [$"IdentityServer:FrontEnds:{StorefrontStarter.Client}:DisplayName"] = "Garten & Werkzeug Test",
            [$"IdentityServer:FrontEnds:{StorefrontStarter.Client}:Shop"] = StorefrontStarter.Shop,
            [$"IdentityServer:FrontEnds:{StorefrontStarter.Client}:RedirectUris:0"] = $"http://127.0.0.1:{_starterPort}/auth/callback",
            ["IdentityServer:EncryptionKey"] = Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32)),
        });
        // Partners' receivers in these tests are WireMock servers on loopback, as on a developer's machine.
        var webhooks = ServiceUnderTest.Start<MachCommerce.Webhooks.WebhooksDatabase>("services/webhooks", await DatabaseAsync("webhooks"), Broker, settings: new Dictionary<string, string?>
        {
            ["Webhooks:AllowLoopbackTargets"] = "true",
            ["Webhooks:AllowHttpTargets"] = "true",
        });
        _services.AddRange([personalization, catalog, profiles, identity, webhooks]);
        (CatalogAddress, ProfilesAddress, PersonalizationAddress, IdentityAddress, WebhooksAddress) =
            (catalog.Address, profiles.Address, personalization.Address, identity.Address, webhooks.Address);
        foreach (var service in new[] { personalization.AnonymousClient(), catalog.AnonymousClient(), profiles.AnonymousClient(), webhooks.AnonymousClient() })
        {
            await service.WaitUntilBusHealthyAsync();
        }

        Gateway = await StartGatewayAsync();
        _services.Add(Gateway);
        // Development: the console's static assets (Blazor's script, MudBlazor's) come from the build as with dotnet run.
        MerchantConsole = ServiceUnderTest.Start<MachCommerce.MerchantConsole.SignIn.ConsoleOptions>("frontends/console", "", Broker, "Development", new Dictionary<string, string?>
        {
            ["Console:Platform"] = Gateway.Address.ToString(),
            ["Console:Issuer"] = TokenIssuer,
        }, consolePort);
        _services.Add(MerchantConsole);
    }

    /// <summary>
    /// A gateway in front of the fixture's services; <paramref name="settings"/> change it (a dead destination, a
    /// tight limit) for a test that must not disturb the others.
    /// </summary>
    public async Task<ServiceUnderTest<KeyStore>> StartGatewayAsync(IDictionary<string, string?>? settings = null, string? database = null)
    {
        var all = new Dictionary<string, string?>
        {
            ["ReverseProxy:Clusters:catalog:Destinations:primary:Address"] = CatalogAddress.ToString(),
            ["ReverseProxy:Clusters:profiles:Destinations:primary:Address"] = ProfilesAddress.ToString(),
            ["ReverseProxy:Clusters:personalization:Destinations:primary:Address"] = PersonalizationAddress.ToString(),
            ["ReverseProxy:Clusters:identity:Destinations:primary:Address"] = IdentityAddress.ToString(),
            ["ReverseProxy:Clusters:webhooks:Destinations:primary:Address"] = WebhooksAddress.ToString(),
            ["Gateway:TokenIssuer"] = TokenIssuer,
            ["Gateway:PlatformKey"] = PlatformKey,
            // Every test of this run comes from 127.0.0.1: the failed-authentication limit gets its own gateway in its test.
            ["Gateway:FailedAuthenticationBurst"] = "10000",
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            all[key] = value;
        }

        return ServiceUnderTest.Start<KeyStore>("gateway/Gateway", database ?? await DatabaseAsync("gateway"), Broker, settings: all);
    }

    public async Task DisposeAsync()
    {
        foreach (var service in Enumerable.Reverse(_services))
        {
            await service.DisposeAsync();
        }

        foreach (var database in _databases)
        {
            await TestServers.DropDatabaseAsync(database);
        }
    }

    private async Task<string> DatabaseAsync(string prefix)
    {
        var database = await TestServers.CreateDatabaseAsync(prefix);
        _databases.Add(database);
        return database;
    }

    /// <summary>An invitation's link as the invitee gets it names the issuer; the tests reach the issuer's pages at the gateway's test address.</summary>
    public string InvitationUrl(JsonElement invited) =>
        invited.GetProperty("invitationUrl").GetString()!.Replace(TokenIssuer, Gateway.Address.ToString(), StringComparison.Ordinal);

    /// <summary>A client of the gateway with <paramref name="key"/> (none: no key at all).</summary>
    public HttpClient Client(string? key, Uri? gateway = null)
    {
        var client = new HttpClient { BaseAddress = gateway ?? Gateway.Address };
        if (key is not null)
        {
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
        }

        return client;
    }

    /// <summary>A new tenant with an admin key, created through the gateway with the platform key.</summary>
    public async Task<TestTenant> NewTenantAsync(Uri? gateway = null, string? id = null)
    {
        id ??= "shop-" + Guid.NewGuid().ToString("N")[..8];
        using var platform = Client(PlatformKey, gateway);
        (await platform.PostAsJsonAsync("/api/admin/tenants", new { id, name = $"Testladen {id}" })).EnsureSuccessStatusCode();
        var created = await platform.PostAsJsonAsync($"/api/admin/tenants/{id}/keys", new { kind = "admin", name = "test admin" });
        created.EnsureSuccessStatusCode();
        var adminKey = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("key").GetString()!;
        return new TestTenant(this, id, adminKey, gateway ?? Gateway.Address);
    }
}

[CollectionDefinition(Name)]
public sealed class WholePlatform : ICollectionFixture<PlatformFixture>
{
    public const string Name = "platform";
}

/// <summary>A tenant of the test platform and what its admin can do through the gateway.</summary>
public sealed record TestTenant(PlatformFixture Platform, string Id, string AdminKey, Uri Gateway)
{
    public HttpClient Admin() => Platform.Client(AdminKey, Gateway);

    /// <summary>Creates a key with the admin key and returns the key itself.</summary>
    public async Task<string> KeyAsync(object input)
    {
        using var admin = Admin();
        var response = await admin.PostAsJsonAsync("/api/admin/keys", input);
        Assert.True(response.IsSuccessStatusCode, $"creating a key answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("key").GetString()!;
    }

    public Task<string> StorefrontKeyAsync(params string[] origins) => KeyAsync(new { kind = "storefront", name = "shop front", allowedOrigins = origins });

    public Task<string> PartnerKeyAsync(params string[] scopes) => KeyAsync(new { kind = "partner", name = "erp", scopes });
}
