using MachCommerce.Catalog;
using Npgsql;

namespace MachCommerce.Catalog.Tests;

/// <summary>
/// The real catalog service (its own Program) on a database and a RabbitMQ virtual host of its own, one per test
/// class; tests keep apart by tenant. Searches wait for the tenant's in-memory index, so they always take that path.
/// </summary>
public class CatalogFixture : IAsyncLifetime
{
    private ServiceUnderTest<CatalogOptions> _service = null!;

    public string ConnectionString { get; private set; } = "";

    protected virtual Dictionary<string, string?> Settings => new() { ["Catalog:SearchIndexWait"] = "00:01:00" };

    public Uri Broker { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        var servers = await TestServers.GetAsync();
        ConnectionString = await TestServers.CreateDatabaseAsync("catalog");
        Broker = await servers.RabbitMq.CreateVirtualHostAsync("catalog-" + Guid.NewGuid().ToString("N")[..10]);
        _service = ServiceUnderTest.Start<CatalogOptions>("services/catalog", ConnectionString, Broker, settings: Settings);
    }

    public async Task DisposeAsync()
    {
        await _service.DisposeAsync();
        await TestServers.DropDatabaseAsync(ConnectionString);
    }

    /// <summary>A client acting for <paramref name="tenant"/> with the given scopes (all when none are given).</summary>
    public HttpClient Client(string tenant, params string[] scopes) => _service.Client(tenant, scopes);

    public HttpClient B2BClient(string tenant, string customerGroup) => _service.B2BClient(tenant, customerGroup);

    public static string NewTenant() => "shop-" + Guid.NewGuid().ToString("N")[..8];

    public Task<T?> ScalarAsync<T>(string sql, params object[] parameters) => Sql.ScalarAsync<T>(ConnectionString, sql, parameters);
}

/// <summary>The catalog service with its in-memory search index switched off: search in PostgreSQL full text only.</summary>
public sealed class PostgresSearchFixture : CatalogFixture
{
    protected override Dictionary<string, string?> Settings => new() { ["Catalog:SearchIndex"] = "false" };
}

internal static class CatalogRequests
{
    public static object Product(string sku, string nameDe, decimal priceGross = 99.99m, string status = "published", string? brand = "Makita",
        Guid[]? categories = null, object? attributes = null, int stock = 10, string? descriptionDe = null, string? slug = null) => new
    {
        sku,
        slug,
        status,
        brand,
        name = new Dictionary<string, string> { ["de"] = nameDe, ["en"] = nameDe + " (en)" },
        description = new Dictionary<string, string> { ["de"] = descriptionDe ?? $"Beschreibung von {nameDe}" },
        categoryIds = categories ?? [],
        attributes = attributes ?? new { },
        images = new[] { new { url = $"https://img.example.com/{sku}.jpg" } },
        variants = new[] { new { sku = sku + "-V", priceGross, taxRate = 0.19m, stockQuantity = stock } },
    };

    public static async Task<JsonElement> CreateAsync(this HttpClient client, object product)
    {
        var response = await client.PostAsJsonAsync("/products", product);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.True(response.StatusCode == System.Net.HttpStatusCode.Created, $"{(int)response.StatusCode}: {body}");
        return body;
    }

    public static async Task<Guid> CategoryAsync(this HttpClient client, string slug, Guid? parentId = null)
    {
        var response = await client.PostAsJsonAsync("/categories", new { slug, name = new { de = slug }, parentId });
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.True(response.IsSuccessStatusCode, body.ToString());
        return body.GetProperty("id").GetGuid();
    }
}
