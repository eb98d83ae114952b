namespace MachCommerce.Catalog.Tests;

/// <summary>Search in the in-memory index (see <see cref="SearchBehaviour"/>).</summary>
public sealed class SearchTests(CatalogFixture catalog) : SearchBehaviour(catalog), IClassFixture<CatalogFixture>;

/// <summary>The same behaviour from PostgreSQL full text alone, which answers while an index is being built.</summary>
public sealed class PostgresSearchTests(PostgresSearchFixture catalog) : SearchBehaviour(catalog), IClassFixture<PostgresSearchFixture>;

/// <summary>Search relevance on a small fixed German catalog, facets, filters and pages, whichever way search runs.</summary>
public abstract class SearchBehaviour(CatalogFixture catalog) : IAsyncLifetime
{
    private readonly string _tenant = CatalogFixture.NewTenant();
    private Guid _garden;
    private Guid _lawn;
    private Guid _tools;

    private HttpClient Admin => catalog.Client(_tenant);

    public async Task InitializeAsync()
    {
        _garden = await Admin.CategoryAsync("garten");
        _lawn = await Admin.CategoryAsync("rasenpflege", _garden);
        _tools = await Admin.CategoryAsync("werkzeug");
        await Admin.CreateAsync(CatalogRequests.Product("S-1", "Makita Akku-Bohrschrauber DDF485", 149m, brand: "Makita", categories: [_tools], attributes: new { spannung_v = 18, material = "Kunststoff" }));
        await Admin.CreateAsync(CatalogRequests.Product("S-2", "Bosch Akku-Schlagschrauber GDR 18V", 199m, brand: "Bosch", categories: [_tools], attributes: new { spannung_v = 18 }));
        await Admin.CreateAsync(CatalogRequests.Product("S-3", "Gardena Rasenmäher PowerMax 37E", 229m, brand: "Gardena", categories: [_lawn], attributes: new { antrieb = "Elektro" }));
        await Admin.CreateAsync(CatalogRequests.Product("S-4", "Einhell Akku-Rasenmäher GE-CM 36", 329m, brand: "Einhell", categories: [_lawn], attributes: new { antrieb = "Akku" }));
        await Admin.CreateAsync(CatalogRequests.Product("S-5", "Wolf-Garten Vertikutierer", 149m, brand: "Wolf-Garten", categories: [_lawn],
            descriptionDe: "Ideal nach dem Rasenmäher: lüftet den Rasen"));
        await Admin.CreateAsync(CatalogRequests.Product("S-6", "WMF Kochtopf-Set", 129m, brand: "WMF", attributes: new { material = "Edelstahl" }));
        await Admin.CreateAsync(CatalogRequests.Product("S-7", "Fiskars Spaten", 39m, brand: "Fiskars", categories: [_garden], stock: 0));
    }

    public Task DisposeAsync() => Task.CompletedTask;

    private async Task<JsonElement> Search(string query) => await Admin.GetFromJsonAsync<JsonElement>($"/search?{query}");

    private static string[] Skus(JsonElement result) => [.. result.GetProperty("items").EnumerateArray().Select(p => p.GetProperty("sku").GetString()!)];

    [Fact]
    public async Task A_compound_word_finds_its_hyphenated_relative()
    {
        var result = await Search("q=Akkuschrauber");

        Assert.Contains("S-1", Skus(result));
    }

    [Fact]
    public async Task Lower_case_umlaut_and_transliterated_spellings_all_find_the_lawn_mowers()
    {
        foreach (var query in new[] { "rasenmäher", "Rasenmaeher", "Rasenmaher" })
        {
            var skus = Skus(await Search($"q={Uri.EscapeDataString(query)}"));
            Assert.Contains("S-3", skus);
            Assert.Contains("S-4", skus);
        }
    }

    [Fact]
    public async Task A_name_match_ranks_above_a_description_match()
    {
        var skus = Skus(await Search("q=rasenmäher"));

        Assert.Contains("S-5", skus); // mentions it only in the description
        Assert.True(Array.IndexOf(skus, "S-3") < Array.IndexOf(skus, "S-5"));
        Assert.True(Array.IndexOf(skus, "S-4") < Array.IndexOf(skus, "S-5"));
    }

    [Fact]
    public async Task A_prefix_finds_as_you_type()
    {
        Assert.Contains("S-3", Skus(await Search("q=rasenm")));
        Assert.Contains("S-6", Skus(await Search("q=kocht")));
    }

    [Fact]
    public async Task Three_words_narrow_the_result()
    {
        var skus = Skus(await Search("q=akku%20rasenm%C3%A4her%20einhell"));

        Assert.Equal("S-4", skus[0]);
    }

    [Fact]
    public async Task Facets_count_brands_categories_prices_and_chosen_attributes()
    {
        var result = await Search("q=akku&facets=attr.spannung_v");
        var facets = result.GetProperty("facets");

        var brands = facets.GetProperty("brands").EnumerateArray().ToDictionary(b => b.GetProperty("value").GetString()!, b => b.GetProperty("count").GetInt64());
        Assert.Equal(1, brands["Makita"]);
        Assert.Equal(1, brands["Einhell"]);
        Assert.Equal(result.GetProperty("total").GetInt64(), facets.GetProperty("prices").EnumerateArray().Sum(p => p.GetProperty("count").GetInt64()));
        Assert.Equal("18", facets.GetProperty("attributes").GetProperty("spannung_v")[0].GetProperty("value").GetString());
        Assert.Contains(facets.GetProperty("categories").EnumerateArray(), c => c.GetProperty("label").GetString() == "werkzeug");
    }

    [Fact]
    public async Task Filters_that_leave_no_match_give_an_empty_answer_not_spelling_guesses()
    {
        var result = await Search("q=makita&brand=Gardena");
        Assert.Equal(0, result.GetProperty("total").GetInt64());
        Assert.False(result.GetProperty("fuzzy").GetBoolean());

        var misspelt = await Search("q=rasenmaeher&brand=Gardena"); // no such word: typo matching, within the filters
        Assert.True(misspelt.GetProperty("fuzzy").GetBoolean());
        Assert.Equal(["S-3"], Skus(misspelt));
    }

    [Fact]
    public async Task Filters_apply_to_search_and_listing_alike()
    {
        var inGarden = Skus(await Search($"category={_garden}&sort=price"));
        Assert.Equal(["S-7", "S-5", "S-3", "S-4"], inGarden); // the lawn category is below garden

        var listed = await Admin.GetFromJsonAsync<JsonElement>($"/products?category={_lawn}&brand=Gardena,Einhell&minPrice=200&maxPrice=400&sort=-price");
        Assert.Equal(["S-4", "S-3"], listed.GetProperty("items").EnumerateArray().Select(p => p.GetProperty("sku").GetString()!));

        var byAttribute = await Admin.GetFromJsonAsync<JsonElement>("/products?attr.spannung_v=18&attr.material=Kunststoff,Holz");
        Assert.Equal(["S-1"], byAttribute.GetProperty("items").EnumerateArray().Select(p => p.GetProperty("sku").GetString()!));

        var unavailable = await Admin.GetFromJsonAsync<JsonElement>("/products?available=false");
        Assert.Equal(["S-7"], unavailable.GetProperty("items").EnumerateArray().Select(p => p.GetProperty("sku").GetString()!));
    }

    [Fact]
    public async Task Cursor_pages_walk_the_whole_listing_once_in_order()
    {
        var seen = new List<string>();
        string? cursor = null;
        do
        {
            var page = await Admin.GetFromJsonAsync<JsonElement>($"/products?sort=price&limit=2{(cursor is null ? "" : "&cursor=" + cursor)}");
            seen.AddRange(page.GetProperty("items").EnumerateArray().Select(p => p.GetProperty("sku").GetString()!));
            cursor = page.GetProperty("nextCursor").GetString();
        }
        while (cursor is not null);

        Assert.Equal(7, seen.Count);
        Assert.Equal(7, seen.Distinct().Count());
        var prices = await Task.WhenAll(seen.Select(async sku => (await Admin.GetFromJsonAsync<JsonElement>($"/products/by-sku/{sku}")).GetProperty("minPriceGross").GetDecimal()));
        Assert.Equal(prices.Order(), prices);
    }

    [Theory]
    [InlineData("/products", "sort=price")]
    [InlineData("/products", "sort=-price")]
    [InlineData("/products", "sort=name")]
    [InlineData("/products", "sort=newest")]
    [InlineData("/search", "q=akku+rasen+spaten+topf+vertikutierer&sort=relevance")]
    [InlineData("/search", "q=akku+rasen+spaten+topf+vertikutierer&sort=price")]
    public async Task Pages_go_forward_and_backward_from_any_items_cursor(string path, string sort)
    {
        async Task<JsonElement> Page(string query) => await Admin.GetFromJsonAsync<JsonElement>($"{path}?{sort}&limit=2{query}");

        // Forward to the end, every item with its cursor.
        var forward = new List<string>();
        var cursors = new List<string>();
        var page = await Page("");
        Assert.Equal(JsonValueKind.Null, page.GetProperty("previousCursor").ValueKind);
        while (true)
        {
            forward.AddRange(Skus(page));
            cursors.AddRange(page.GetProperty("cursors").EnumerateArray().Select(c => c.GetString()!));
            if (page.GetProperty("nextCursor").GetString() is not { } next)
            {
                break;
            }

            Assert.Equal(cursors[^1], next);
            page = await Page("&cursor=" + next);
            Assert.Equal(page.GetProperty("cursors")[0].GetString(), page.GetProperty("previousCursor").GetString());
        }

        Assert.Equal(forward.Count, cursors.Count);
        Assert.Equal(forward.Count, forward.Distinct().Count());
        Assert.True(forward.Count >= 4, string.Join(",", forward));

        // Backward from the end: the same items, page by page, in the listing's order.
        var backward = new List<string>();
        page = await Page("&before=" + cursors[^1]);
        backward.InsertRange(0, [forward[^1]]);
        while (true)
        {
            backward.InsertRange(0, Skus(page));
            Assert.NotEqual(JsonValueKind.Null, page.GetProperty("nextCursor").ValueKind); // the item it ended before is after it
            if (page.GetProperty("previousCursor").GetString() is not { } previous)
            {
                break;
            }

            page = await Page("&before=" + previous);
        }

        Assert.Equal(forward, backward);

        // After and before any single item's cursor.
        for (var i = 0; i < cursors.Count; i++)
        {
            var after = Skus(await Page("&cursor=" + cursors[i]));
            Assert.Equal(forward.Skip(i + 1).Take(2), after);
            var before = Skus(await Page("&before=" + cursors[i]));
            Assert.Equal(forward.Take(i).TakeLast(2), before);
        }

        var both = await Admin.GetAsync($"{path}?{sort}&cursor={cursors[0]}&before={cursors[1]}");
        Assert.Equal(HttpStatusCode.BadRequest, both.StatusCode);
    }

    [Theory]
    [InlineData("/products?limit=101", "limit")]
    [InlineData("/products?limit=0", "limit")]
    [InlineData("/products?cursor=not-a-cursor", "cursor")]
    [InlineData("/products?sort=cheapest", "sort")]
    [InlineData("/products?minPrice=-1", "minPrice")]
    [InlineData("/products?minPrice=50&maxPrice=10", "minPrice")]
    [InlineData("/products?category=garden", "category")]
    [InlineData("/search?q=%20%21%21", "q")]
    public async Task Bad_listing_parameters_are_400_naming_the_parameter(string path, string field)
    {
        var response = await Admin.GetAsync(path);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.True((await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").TryGetProperty(field, out _));
    }

    [Fact]
    public async Task A_cursor_of_one_sort_is_refused_for_another()
    {
        var page = await Admin.GetFromJsonAsync<JsonElement>("/products?sort=price&limit=1");
        var response = await Admin.GetAsync($"/products?sort=name&cursor={page.GetProperty("nextCursor").GetString()}");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }
}
