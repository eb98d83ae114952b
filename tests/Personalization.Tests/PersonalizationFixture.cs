using MachCommerce.Contracts.Profiles.V1;

namespace MachCommerce.Personalization.Tests;

/// <summary>
/// The real personalization service on a database and RabbitMQ virtual host of its own, one per test class. Its
/// read models are fed the way production feeds them: contract events published on the broker.
/// </summary>
public sealed class PersonalizationFixture : IAsyncLifetime
{
    private ServiceUnderTest<PersonalizationDatabase> _service = null!;
    private EventPublisher _events = null!;

    public string ConnectionString { get; private set; } = "";

    public Uri Broker { get; private set; } = null!;

    public IServiceProvider Services => _service.Services;

    public async Task InitializeAsync()
    {
        var servers = await TestServers.GetAsync();
        ConnectionString = await TestServers.CreateDatabaseAsync("personalization");
        Broker = await servers.RabbitMq.CreateVirtualHostAsync("personalization-" + Guid.NewGuid().ToString("N")[..10]);
        _service = ServiceUnderTest.Start<PersonalizationDatabase>("services/personalization", ConnectionString, Broker, settings: new Dictionary<string, string?>
        {
            // Tests change definitions through this instance, which invalidates at once; nothing to wait for.
            ["Personalization:DefinitionCacheLifetime"] = "00:00:05",
            // Tests expect personalization for the visitors they make; with a 5 % holdout one in twenty would get
            // broadcast. The holdout tests set their tenant's share themselves.
            ["Personalization:HoldoutShare"] = "0",
            // Tests write exposures and read the report at once: the open days are recomputed on every request.
            ["Personalization:ExperimentReportFreshness"] = "00:00:00",
        });
        await _service.AnonymousClient().WaitUntilBusHealthyAsync();
        _events = await EventPublisher.ConnectAsync(Broker);
    }

    public async Task DisposeAsync()
    {
        await _events.DisposeAsync();
        await _service.DisposeAsync();
        await TestServers.DropDatabaseAsync(ConnectionString);
    }

    public HttpClient Client(string tenant, params string[] scopes) => _service.Client(tenant, scopes);

    /// <summary>A client for a member shop of <paramref name="cooperative"/>, or for its central level (<c>coop.{cooperative}</c>), as the gateway signs them.</summary>
    public HttpClient CooperativeClient(string tenant, string cooperative) => _service.CooperativeClient(tenant, cooperative);

    public static string NewTenant() => "shop-" + Guid.NewGuid().ToString("N")[..8];

    public static string NewVisitor() => "v-" + Guid.NewGuid().ToString("N")[..12];

    public Task<T?> ScalarAsync<T>(string sql, params object[] parameters) => Sql.ScalarAsync<T>(ConnectionString, sql, parameters);

    /// <summary>Publishes the event as its producer would; returns the message id (see <see cref="ConsumedAsync"/>).</summary>
    public Task<Guid> PublishAsync<TEvent>(TEvent message) where TEvent : class => _events.PublishAsync(message);

    /// <summary>Polls until the condition holds (events travel through the broker); fails after 15 seconds.</summary>
    public static async Task EventuallyAsync(Func<Task<bool>> condition, string what)
    {
        var deadline = DateTime.UtcNow.AddSeconds(15);
        while (!await condition())
        {
            Assert.True(DateTime.UtcNow < deadline, $"Timed out waiting until {what}.");
            await Task.Delay(50);
        }
    }

    /// <summary>Waits until the service's inbox has recorded every one of the messages.</summary>
    public Task ConsumedAsync(params Guid[] messageIds) => EventuallyAsync(
        async () => await ScalarAsync<long>("SELECT count(DISTINCT message_id) FROM personalization.inbox WHERE message_id = ANY($1)", messageIds) == messageIds.Length,
        "the events were consumed");

    /// <summary>Publishes the test catalog for the tenant and waits until the read model holds all of it.</summary>
    public async Task<TestCatalog> CatalogAsync(string tenant)
    {
        var catalog = new TestCatalog();
        foreach (var product in catalog.Products)
        {
            await PublishAsync(new ProductPublished { TenantId = tenant, OccurredAt = DateTimeOffset.UtcNow, Product = product });
        }

        await EventuallyAsync(async () => await ScalarAsync<long>("SELECT count(*) FROM personalization.products WHERE tenant_id = $1", tenant) == catalog.Products.Count,
            "the catalog read model is complete");
        return catalog;
    }

    /// <summary>A customer with (or without) personalization consent, known to the read model.</summary>
    public async Task<Guid> CustomerAsync(string tenant, bool consent, string? visitorId = null, string kind = "person", string? group = null,
        Dictionary<string, string>? traits = null)
    {
        var id = Guid.CreateVersion7();
        await PublishAsync(new ProfileRegistered { TenantId = tenant, OccurredAt = DateTimeOffset.UtcNow, ProfileId = id, Kind = kind, CustomerGroup = group, Locale = "de-DE", Traits = traits ?? [] });
        await PublishAsync(new ConsentChanged { TenantId = tenant, OccurredAt = DateTimeOffset.UtcNow, ProfileId = id, Purpose = "personalization", Granted = consent, Source = "storefront", PolicyVersion = "2026-01" });
        await EventuallyAsync(async () => await ScalarAsync<bool?>("SELECT consent FROM personalization.profiles WHERE tenant_id = $1 AND profile_id = $2 AND kind IS NOT NULL", tenant, id) == consent,
            "the profile and its consent arrived");
        if (visitorId is not null)
        {
            await PublishAsync(new VisitorLinked { TenantId = tenant, OccurredAt = DateTimeOffset.UtcNow, VisitorId = visitorId, ProfileId = id });
            await EventuallyAsync(async () => await ScalarAsync<Guid?>("SELECT profile_id FROM personalization.visitors WHERE tenant_id = $1 AND visitor_id = $2", tenant, visitorId) == id,
                "the visitor link arrived");
        }

        return id;
    }
}

/// <summary>Requests against the personalization API that the tests share.</summary>
internal static class PersonalizationRequests
{
    public static object Event(string type, string visitorId, Guid? productId = null, Guid? profileId = null, DateTimeOffset? at = null, decimal? price = null,
        int? quantity = null, Guid? offerId = null, Guid? categoryId = null, string? query = null, bool? consent = null, string? orderId = null) => new
    {
        id = Guid.NewGuid(),
        type,
        visitorId,
        profileId,
        occurredAt = at ?? DateTimeOffset.UtcNow,
        channel = "web",
        productId,
        categoryId,
        quantity,
        price,
        query,
        offerId,
        consent,
        orderId,
    };

    public static async Task<JsonElement> TrackAsync(this HttpClient client, params object[] events)
    {
        var response = await client.PostAsJsonAsync("/events", new { events });
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.True(response.StatusCode == HttpStatusCode.Accepted, $"{(int)response.StatusCode}: {body}");
        return body;
    }

    public static async Task<JsonElement> DecideAsync(this HttpClient client, string visitorId, string placement = "home-hero", Guid? profileId = null, object? context = null,
        string locale = "de", int? maxOffers = null)
    {
        var response = await client.PostAsJsonAsync("/decisions", new { visitorId, profileId, placement, context, locale, maxOffers });
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{(int)response.StatusCode}: {body}");
        return body;
    }

    public static async Task<JsonElement> CreateAsync(this HttpClient client, string path, object definition)
    {
        var response = await client.PostAsJsonAsync(path, definition);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.True(response.StatusCode == HttpStatusCode.Created, $"{(int)response.StatusCode}: {body}");
        return body;
    }

    public static object Offer(string name, Guid[]? categories = null, string[]? brands = null, int priority = 10, object? targeting = null, object? frequencyCap = null,
        string placement = "home-hero", string status = "active", int maxProducts = 4) => new
    {
        name,
        status,
        placements = new[] { placement },
        targeting,
        content = new { de = new { headline = name, text = "Nur diese Woche", callToAction = "Jetzt ansehen" }, en = new { headline = name + " (en)" } },
        selection = new { categoryIds = categories ?? [], brands = brands ?? [], maxProducts },
        incentive = new { type = "percent", value = 10, code = "DEMO10" },
        priority,
        frequencyCap,
    };

    public static IEnumerable<Guid> OfferIds(this JsonElement decision) => decision.GetProperty("offers").EnumerateArray().Select(o => o.GetProperty("offerId").GetGuid());

    public static IEnumerable<Guid> ProductIds(this JsonElement offerOrList, string property = "products") =>
        offerOrList.GetProperty(property).EnumerateArray().Select(p => p.GetProperty("productId").GetGuid());
}
