using MachCommerce.Contracts.Catalog.V1;
using MachCommerce.Hosting.Identity;
using MachCommerce.Webhooks;
using WireMock.Server;
using WireMock.Settings;

namespace MachCommerce.Webhooks.Tests;

/// <summary>
/// The real webhooks service on its own database and the shared broker, with times shortened (first retry after
/// 0.2 s, give up after 4 s, 1 s per attempt) and loopback receivers allowed, as a development setting would.
/// </summary>
public sealed class WebhooksFixture : IAsyncLifetime
{
    /// <summary>Long enough for the retry test's receiver (a 500, timeouts until its 3 s answer moves it on, a 503, then 200) on a slow machine.</summary>
    public static readonly TimeSpan GiveUpAfter = TimeSpan.FromSeconds(8);

    private ServiceUnderTest<WebhooksDatabase> _service = null!;
    private EventPublisher _events = null!;

    public string ConnectionString { get; private set; } = "";

    public static Dictionary<string, string?> ShortTimes(bool allowLoopback) => new()
    {
        ["Webhooks:AllowLoopbackTargets"] = allowLoopback ? "true" : "false",
        ["Webhooks:AllowHttpTargets"] = allowLoopback ? "true" : "false",
        ["Webhooks:FirstRetryDelay"] = "00:00:00.200",
        ["Webhooks:MaxRetryDelay"] = "00:00:00.500",
        ["Webhooks:GiveUpAfter"] = GiveUpAfter.ToString(),
        ["Webhooks:AttemptTimeout"] = "00:00:01",
        ["Webhooks:MaxConcurrencyPerSubscription"] = "2",
    };

    public async Task InitializeAsync()
    {
        ConnectionString = await TestServers.CreateDatabaseAsync("webhooks");
        var broker = await OwnVirtualHostAsync();
        _service = ServiceUnderTest.Start<WebhooksDatabase>("services/webhooks", ConnectionString, broker, settings: ShortTimes(allowLoopback: true));
        await _service.AnonymousClient().WaitUntilBusHealthyAsync();
        _events = await EventPublisher.ConnectAsync(broker);
    }

    public async Task DisposeAsync()
    {
        await _events.DisposeAsync();
        await _service.DisposeAsync();
        await TestServers.DropDatabaseAsync(ConnectionString);
    }

    /// <summary>A shop owner (an admin key at the gateway asserts every scope).</summary>
    public HttpClient Owner(string tenant) => _service.Client(tenant, [.. Scopes.All, .. Scopes.OwnerOnly]);

    public HttpClient Client(string tenant, params string[] scopes) => _service.Client(tenant, scopes);

    /// <summary>
    /// A RabbitMQ virtual host for one webhooks service of the tests: every instance consumes the queue
    /// webhooks-fan-out, and two on one virtual host would take each other's events (each class fixture starts its own).
    /// </summary>
    public static async Task<Uri> OwnVirtualHostAsync() =>
        await (await TestServers.GetAsync()).RabbitMq.CreateVirtualHostAsync("webhooks-" + Guid.NewGuid().ToString("N")[..12]);

    public static string NewTenant() => "shop-" + Guid.NewGuid().ToString("N")[..8];

    public Task<Guid> PublishAsync<TEvent>(TEvent message) where TEvent : class => _events.PublishAsync(message);

    public static WireMockServer NewReceiver() => WireMockServer.Start(new WireMockServerSettings { Urls = [$"http://127.0.0.1:{FreePort.Pick()}"] });

    public async Task<(Guid Id, string Secret)> SubscribeAsync(string tenant, string url, params string[] eventTypes)
    {
        using var response = await Owner(tenant).PostAsJsonAsync("/subscriptions", new { url, eventTypes, description = "ERP Müller" });
        Assert.Equal(System.Net.HttpStatusCode.Created, response.StatusCode);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        return (body.GetProperty("subscription").GetProperty("id").GetGuid(), body.GetProperty("secret").GetString()!);
    }

    public async Task<JsonElement> DeliveriesAsync(string tenant, Guid subscriptionId, string query = "")
    {
        using var response = await Owner(tenant).GetAsync($"/subscriptions/{subscriptionId}/deliveries{query}");
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("items");
    }

    public static ProductPublished Product(string tenant, Guid? productId = null, int version = 1) => new()
    {
        TenantId = tenant,
        OccurredAt = DateTimeOffset.UtcNow,
        Product = new ProductSnapshot
        {
            ProductId = productId ?? Guid.CreateVersion7(), Sku = "GS-100", Slug = "gartenschlauch", Status = "published", Brand = "Gardena",
            Name = new Dictionary<string, string> { ["de"] = "Gartenschlauch", ["en"] = "Garden hose" }, CategoryIds = [], CategoryIdsWithAncestors = [],
            Attributes = new Dictionary<string, IReadOnlyList<string>>(), MinPriceGross = 19.99m, Currency = "EUR", Available = true, Version = version,
        },
    };

    /// <summary>Polls until <paramref name="condition"/> holds (the dispatcher works in the background), or fails after <paramref name="timeout"/>.</summary>
    public static async Task EventuallyAsync(Func<Task<bool>> condition, string what, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(30));
        while (DateTime.UtcNow < deadline)
        {
            if (await condition())
            {
                return;
            }

            await Task.Delay(100);
        }

        Assert.Fail($"Timed out waiting until {what} (thread pool: {ThreadPool.ThreadCount} threads, {ThreadPool.PendingWorkItemCount} items waiting).");
    }

    /// <summary>Like <see cref="EventuallyAsync"/>, and on time-out the deliveries of the tenant as the database holds them, to tell where they stuck.</summary>
    public async Task EventuallyAsync(string tenant, Func<Task<bool>> condition, string what, TimeSpan? timeout = null)
    {
        try
        {
            await EventuallyAsync(condition, what, timeout);
        }
        catch (Xunit.Sdk.FailException)
        {
            await using var data = Npgsql.NpgsqlDataSource.Create(ConnectionString);
            await using var query = data.CreateCommand("""
                SELECT coalesce(string_agg(format('%s %s attempts=%s locked_until=%s next=%s last=%s %s', d.event_type, d.status, d.attempts, d.locked_until, d.next_attempt_at,
                    d.last_status, d.last_error), E'\n'), 'no deliveries') || E'\ninbox rows: ' || (SELECT count(*) FROM webhooks.inbox) || ', now: ' || now()
                    || ', pending in all shops: ' || (SELECT count(*) FROM webhooks.deliveries WHERE status = 'pending')
                    || ', of them leased: ' || (SELECT count(*) FROM webhooks.deliveries WHERE status = 'pending' AND locked_until > now())
                FROM webhooks.deliveries d WHERE d.tenant_id = $1
                """);
            query.Parameters.Add(new() { Value = tenant });
            Assert.Fail($"Timed out waiting until {what}; deliveries of {tenant}:\n{await query.ExecuteScalarAsync()}");
        }
    }
}
