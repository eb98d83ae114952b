using MachCommerce.Launcher.DemoData;

namespace MachCommerce.Catalog.Tests;

/// <summary>
/// Two catalog services on one database: one searching in its in-memory index, one in PostgreSQL full text only,
/// over 1,500 products of the demo catalog, so both engines can be compared on exactly the same rows.
/// </summary>
public sealed class SearchParityFixture : IAsyncLifetime
{
    public const string Tenant = "parity-shop";

    /// <summary>A second shop, as a cooperative's member beside <see cref="Tenant"/>: the garden products with the same SKUs, and its own.</summary>
    public const string Member = "parity-member";

    private ServiceUnderTest<CatalogOptions> _indexed = null!;
    private ServiceUnderTest<CatalogOptions> _postgres = null!;
    private string _connectionString = "";

    public HttpClient Indexed { get; private set; } = null!;

    public HttpClient Postgres { get; private set; } = null!;

    /// <summary>The joint search (the gateway's scope for it) on the indexed and on the PostgreSQL-only service.</summary>
    public HttpClient IndexedJoint { get; private set; } = null!;

    public HttpClient PostgresJoint { get; private set; } = null!;

    public Dictionary<string, Guid> Categories { get; } = [];

    public async Task InitializeAsync()
    {
        var servers = await TestServers.GetAsync();
        _connectionString = await TestServers.CreateDatabaseAsync("catalog");
        var broker = await servers.RabbitMq.CreateVirtualHostAsync("catalog-" + Guid.NewGuid().ToString("N")[..10]);
        _indexed = ServiceUnderTest.Start<CatalogOptions>("services/catalog", _connectionString, broker, settings: new Dictionary<string, string?> { ["Catalog:SearchIndexWait"] = "00:01:00" });
        Indexed = _indexed.Client(Tenant);
        foreach (var category in DemoCatalog.Categories)
        {
            var created = await Indexed.CategoryAsync(category.Slug, category.ParentSlug is null ? null : Categories[category.ParentSlug]);
            Categories[category.Slug] = created;
        }

        foreach (var (trade, seed, prefix) in new[] { ("hardware", 3, "H"), ("garden", 5, "G"), ("household", 9, "K") })
        {
            var items = DemoCatalog.Products(500, trade, seed, prefix).Select(p => p.Input with { CategoryIds = [.. p.CategorySlugs.Select(s => Categories[s])] });
            (await Indexed.PostAsJsonAsync("/products/bulk", new { items })).EnsureSuccessStatusCode();
        }

        // The member: the same garden products (same SKUs, its own prices), and household products of its own.
        var member = _indexed.Client(Member);
        foreach (var (trade, seed, prefix, markup) in new[] { ("garden", 5, "G", 1.1m), ("household", 11, "M", 1m) })
        {
            var items = DemoCatalog.Products(300, trade, seed, prefix).Select(p => p.Input with
            {
                CategoryIds = [],
                Variants = [.. p.Input.Variants!.Select(v => v with { Sku = "M-" + v.Sku, PriceGross = v.PriceGross * markup })],
            });
            (await member.PostAsJsonAsync("/products/bulk", new { items })).EnsureSuccessStatusCode();
        }

        _postgres = ServiceUnderTest.Start<CatalogOptions>("services/catalog", _connectionString, broker, settings: new Dictionary<string, string?> { ["Catalog:SearchIndex"] = "false" });
        Postgres = _postgres.Client(Tenant);
        IndexedJoint = _indexed.Client("coop.parity", Scopes.CatalogJoint);
        PostgresJoint = _postgres.Client("coop.parity", Scopes.CatalogJoint);
    }

    public async Task DisposeAsync()
    {
        await _indexed.DisposeAsync();
        await _postgres.DisposeAsync();
        await TestServers.DropDatabaseAsync(_connectionString);
    }
}

/// <summary>The in-memory index answers exactly as PostgreSQL full text does, and follows every change at once.</summary>
public sealed class SearchIndexTests(SearchParityFixture both, CatalogFixture catalog) : IClassFixture<SearchParityFixture>, IClassFixture<CatalogFixture>
{
    public static TheoryData<string> Queries() =>
    [
        "q=akku", "q=akkuschrauber", "q=bohrer", "q=rasen", "q=rasenm", "q=gartenschlauch", "q=topf", "q=bosch", "q=edelstahl",
        "q=akku%20bohrschrauber%2018", "q=schlauch%20messing", "q=pfanne%20induktion", "q=makita%20akku&facets=attr.spannung_v",
        "q=a", "q=akku&sort=price", "q=akku&sort=-price", "q=akku&sort=name", "q=akku&sort=newest", "q=akku&limit=100",
        "q=garten&available=true&minPrice=20&maxPrice=200", "q=akku&brand=Makita,Bosch", "q=set&facets=attr.material,attr.farbe",
        "q=cordless%20drill", "q=makita&brand=Gardena", "q=spaten%20makita&brand=Fiskars", "q=akku&minPrice=100000", "q=lawn%20mower", "q=the", "q=rasenmaeher", "q=xyzzy",
        "facets=attr.material", "sort=price&minPrice=100", "sort=name&available=false", "brand=Gardena&sort=-price",
    ];

    [Theory]
    [MemberData(nameof(Queries))]
    public async Task The_index_and_PostgreSQL_give_the_same_answer(string query)
    {
        var (indexed, indexEngine) = await SearchAsync(both.Indexed, query);
        var (postgres, postgresEngine) = await SearchAsync(both.Postgres, query);
        Assert.Equal("postgres", postgresEngine);
        // Misspellings ("rasenmaeher", "xyzzy") go to PostgreSQL's trigram matching from either service.
        Assert.Equal(postgres.GetProperty("fuzzy").GetBoolean() ? "postgres" : "index", indexEngine);

        Assert.Equal(postgres.GetProperty("total").GetInt64(), indexed.GetProperty("total").GetInt64());
        Assert.Equal(Skus(postgres), Skus(indexed));
        Assert.Equal(postgres.GetProperty("relaxed").GetBoolean(), indexed.GetProperty("relaxed").GetBoolean());
        Assert.Equal(postgres.GetProperty("fuzzy").GetBoolean(), indexed.GetProperty("fuzzy").GetBoolean());
        var (expected, actual) = (postgres.GetProperty("facets"), indexed.GetProperty("facets"));
        Assert.Equal(Values(expected.GetProperty("brands")), Values(actual.GetProperty("brands")));
        Assert.Equal(expected.GetProperty("prices").ToString(), actual.GetProperty("prices").ToString());
        Assert.Equal(expected.GetProperty("attributes").ToString(), actual.GetProperty("attributes").ToString());
        // Categories with the same count come in no defined order from PostgreSQL: compared as a set.
        Assert.Equal(Values(expected.GetProperty("categories")).Order(), Values(actual.GetProperty("categories")).Order());

        var cursor = indexed.GetProperty("nextCursor").GetString();
        if (cursor is not null)
        {
            var nextIndexed = await both.Indexed.GetFromJsonAsync<JsonElement>($"/search?{query}&cursor={cursor}");
            var nextPostgres = await both.Postgres.GetFromJsonAsync<JsonElement>($"/search?{query}&cursor={cursor}");
            Assert.Equal(Skus(nextPostgres), Skus(nextIndexed));
        }
    }

    public static TheoryData<string, string?> JointQueries() => new()
    {
        { "akku", null }, { "garten", null }, { "rasen", null }, { "schlauch messing", null }, { "a", null }, { "topf", null }, { "gardena", null },
        { "garten", "Gardena" }, { "akku", "Makita" }, { "xyzzy", null }, { "the", null },
    };

    [Theory]
    [MemberData(nameof(JointQueries))]
    public async Task The_joint_index_and_PostgreSQL_give_the_same_joint_answer(string words, string? brand)
    {
        var request = new { q = words, members = new[] { SearchParityFixture.Tenant, SearchParityFixture.Member }, brand, limit = 50 };
        var (indexed, indexEngine) = await JointAsync(both.IndexedJoint, request);
        var (postgres, postgresEngine) = await JointAsync(both.PostgresJoint, request);
        Assert.Equal(("index", "postgres"), (indexEngine, postgresEngine));

        Assert.Equal(postgres.GetProperty("total").GetInt64(), indexed.GetProperty("total").GetInt64());
        Assert.Equal(Strings(postgres.GetProperty("skus")), Strings(indexed.GetProperty("skus")));
        Assert.Equal(Values(postgres.GetProperty("brands")), Values(indexed.GetProperty("brands")));
        Assert.Equal(postgres.GetProperty("offers").ToString(), indexed.GetProperty("offers").ToString());
    }

    [Fact]
    public async Task Every_write_is_searchable_by_the_next_search()
    {
        var admin = catalog.Client(CatalogFixture.NewTenant());
        await admin.CreateAsync(CatalogRequests.Product("F-1", "Stichsäge Pendelhub", 89m, brand: "Metabo"));
        Assert.Equal(1, await Total(admin, "stichsäge")); // builds the index

        // Created, renamed, archived, deleted: each shows in the very next search.
        var created = await admin.CreateAsync(CatalogRequests.Product("F-2", "Stichsäge Kompakt", 59m, brand: "Metabo"));
        Assert.Equal(2, await Total(admin, "stichsäge"));

        var id = created.GetProperty("id").GetGuid();
        var renamed = new HttpRequestMessage(HttpMethod.Put, $"/products/{id}") { Content = JsonContent.Create(CatalogRequests.Product("F-2", "Kreissäge Kompakt", 59m, brand: "Metabo")) };
        renamed.Headers.IfMatch.Add(new System.Net.Http.Headers.EntityTagHeaderValue($"\"v{created.GetProperty("version").GetInt32()}\""));
        (await admin.SendAsync(renamed)).EnsureSuccessStatusCode();
        Assert.Equal(1, await Total(admin, "stichsäge"));
        Assert.Equal(1, await Total(admin, "kreissäge"));

        (await admin.PostAsync($"/products/{id}/archive", null)).EnsureSuccessStatusCode();
        Assert.Equal(0, await Total(admin, "kreissäge"));

        var first = (await admin.GetFromJsonAsync<JsonElement>("/products/by-sku/F-1")).GetProperty("id").GetGuid();
        (await admin.DeleteAsync($"/products/{first}")).EnsureSuccessStatusCode();
        Assert.Equal(0, await Total(admin, "stichsäge"));
        Assert.Equal(0, await Total(admin, "metabo"));
    }

    [Fact]
    public async Task The_index_keeps_tenants_apart()
    {
        var (a, b) = (catalog.Client(CatalogFixture.NewTenant()), catalog.Client(CatalogFixture.NewTenant()));
        await a.CreateAsync(CatalogRequests.Product("T-1", "Heckenschere Elektro", 79m, brand: "Stihl"));
        await b.CreateAsync(CatalogRequests.Product("T-1", "Laubbläser Akku", 129m, brand: "Stihl"));

        Assert.Equal(1, await Total(a, "heckenschere"));
        Assert.Equal(0, await Total(b, "heckenschere"));
        var facets = (await b.GetFromJsonAsync<JsonElement>("/search?q=stihl")).GetProperty("facets");
        Assert.Equal(1, facets.GetProperty("brands")[0].GetProperty("count").GetInt64());
    }

    private static async Task<(JsonElement Body, string Engine)> SearchAsync(HttpClient client, string query)
    {
        using var response = await client.GetAsync($"/search?{query}");
        response.EnsureSuccessStatusCode();
        var timing = response.Headers.GetValues("Server-Timing").Single();
        return (await response.Content.ReadFromJsonAsync<JsonElement>(), timing[..timing.IndexOf(';', StringComparison.Ordinal)]);
    }

    private static async Task<(JsonElement Body, string Engine)> JointAsync(HttpClient client, object request)
    {
        using var response = await client.PostAsJsonAsync("/joint/search", request);
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
        var timing = response.Headers.GetValues("Server-Timing").Single();
        return (await response.Content.ReadFromJsonAsync<JsonElement>(), timing[..timing.IndexOf(';', StringComparison.Ordinal)]);
    }

    private static string[] Strings(JsonElement values) => [.. values.EnumerateArray().Select(v => v.GetString()!)];

    private static async Task<long> Total(HttpClient client, string word) =>
        (await client.GetFromJsonAsync<JsonElement>($"/search?q={Uri.EscapeDataString(word)}")).GetProperty("total").GetInt64();

    private static string[] Skus(JsonElement result) => [.. result.GetProperty("items").EnumerateArray().Select(p => p.GetProperty("sku").GetString()!)];

    private static string[] Values(JsonElement facet) => [.. facet.EnumerateArray().Select(v => $"{v.GetProperty("value")}={v.GetProperty("count")}:{(v.TryGetProperty("label", out var l) ? l.ToString() : "")}")];
}
