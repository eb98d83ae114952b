using System.Net.Http.Headers;

namespace MachCommerce.Launcher.Seeding;

/// <summary>
/// One part of the demo data set, loaded through a service's own REST API, so the seed exercises the same
/// validation and events as real clients do. The one exception is the past no API records (an experiment's
/// history), which the service's own code writes into its tables (<see cref="SeedContext.DatabaseOf"/>). Each service issue adds its steps to
/// <see cref="Seeder.Steps"/>.
/// </summary>
internal interface ISeedStep
{
    /// <summary>Stable name, recorded once the step has run so it never runs twice on the same data.</summary>
    string Name { get; }

    /// <summary>The deployable whose API the step calls; the step is skipped while that one is not running.</summary>
    string Service { get; }

    Task RunAsync(SeedContext context, CancellationToken cancellationToken);
}

/// <summary>What a seed step gets besides <see cref="DemoCooperative"/>: HTTP clients that act as a shop's admin.</summary>
internal sealed class SeedContext(IReadOnlyDictionary<string, Uri> services, IReadOnlyDictionary<string, string> databases, IdentityAssertionCodec identity,
    string platformKey, string dataDirectory) : IDisposable
{
    private readonly List<HttpClient> _clients = [];

    /// <summary>Where the seed keeps what it must remember (the demo keys: the gateway shows a key only once).</summary>
    public string DataDirectory { get; } = dataDirectory;

    /// <summary>The seeder signs its assertions as the gateway would: the launcher holds the gateway's key.</summary>
    public static IdentityAssertionCodec Signer(IReadOnlyDictionary<string, IdentityKeys.KeyPair> keys) =>
        new(new IdentityOptions { Issuer = IdentityTrust.Gateway, SigningKey = keys[IdentityTrust.Gateway].PrivateKey });

    /// <summary>The connection string of a service's database, for the history only its own code can write.</summary>
    public string DatabaseOf(string service) => databases[service];

    /// <summary>Writes what the seed must remember (keys, secrets, passwords) as JSON readable by this user only.</summary>
    public static async Task WritePrivateAsync<T>(string file, T content, CancellationToken cancellationToken)
    {
        await File.WriteAllTextAsync(file, JsonSerializer.Serialize(content, Indented), cancellationToken);
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(file, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }
    }

    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    /// <summary>A client of the gateway acting as the platform operator.</summary>
    public HttpClient PlatformClient()
    {
        var client = new HttpClient { BaseAddress = services["gateway"], Timeout = TimeSpan.FromMinutes(1) };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", platformKey);
        _clients.Add(client);
        return client;
    }

    /// <summary>A client for <paramref name="service"/> whose every request carries a fresh assertion for the shop with every scope, as its owner.</summary>
    public HttpClient ClientFor(string service, DemoShop shop) => ClientFor(service, shop.TenantId);

    /// <summary>
    /// The same for any tenant: a member shop of <paramref name="cooperative"/> (the gateway would say so in the
    /// assertion), or the cooperative's central level (<see cref="CooperativeTenants.CentralTenant"/>).
    /// </summary>
    public HttpClient ClientFor(string service, string tenantId, string? cooperative = null)
    {
        var client = new HttpClient(new AssertionHandler(identity, tenantId, service, cooperative)) { BaseAddress = services[service], Timeout = TimeSpan.FromMinutes(2) };
        _clients.Add(client);
        return client;
    }

    public void Dispose()
    {
        foreach (var client in _clients)
        {
            client.Dispose();
        }
    }

    private sealed class AssertionHandler(IdentityAssertionCodec identity, string tenantId, string audience, string? cooperative) : DelegatingHandler(new HttpClientHandler())
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            request.Headers.Remove(IdentityAssertionCodec.HeaderName);
            request.Headers.Add(IdentityAssertionCodec.HeaderName, identity.Mint(tenantId, [.. Scopes.All, .. Scopes.OwnerOnly], "mach-commerce-seeder", audience,
                cooperative: cooperative));
            request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
            return base.SendAsync(request, cancellationToken);
        }
    }
}

/// <summary>Runs the seed steps that have not run on this data folder yet, in order, and records each one.</summary>
internal sealed class Seeder(string recordFile)
{
    /// <summary>The demo data set, in dependency order (catalog before personalization's read models, and so on).</summary>
    public static readonly IReadOnlyList<ISeedStep> Steps = [new GatewaySeedStep(), new CooperativeSeedStep(), new MemberLocationsSeedStep(), new CooperativeKeySeedStep(), new CatalogSeedStep(), new CentralAssortmentSeedStep(), new ProfilesSeedStep(), new CooperativeContactsSeedStep(), new PersonalizationSeedStep(), new CentralCampaignSeedStep(), new IdentitySeedStep(), new StaffSeedStep()];

    public async Task<IReadOnlyList<string>> RunAsync(SeedContext context, IReadOnlySet<string> runningServices, Action<string> progress, CancellationToken cancellationToken)
    {
        var done = File.Exists(recordFile)
            ? JsonSerializer.Deserialize<List<string>>(await File.ReadAllTextAsync(recordFile, cancellationToken)) ?? []
            : [];
        var ran = new List<string>();
        foreach (var step in Steps.Where(step => !done.Contains(step.Name) && runningServices.Contains(step.Service)))
        {
            progress($"seeding {step.Name}");
            await step.RunAsync(context, cancellationToken);
            done.Add(step.Name);
            ran.Add(step.Name);
            await File.WriteAllTextAsync(recordFile, JsonSerializer.Serialize(done), cancellationToken);
        }

        return ran;
    }
}
