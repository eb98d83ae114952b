namespace MachCommerce.Benchmarks;

/// <summary>The demo catalog through the catalog's REST API (directly, or through the gateway with its route prefix).</summary>
internal static class DemoCatalogRequests
{
    /// <summary>Creates the demo category tree (parents first) and returns each category's id by slug.</summary>
    public static async Task<Dictionary<string, Guid>> CreateCategoriesAsync(HttpClient client, string prefix = "")
    {
        var ids = new Dictionary<string, Guid>();
        foreach (var category in DemoCatalog.Categories)
        {
            var response = await client.PostAsJsonAsync($"{prefix}/categories", new
            {
                slug = category.Slug, name = new { de = category.NameDe, en = category.NameEn },
                parentId = category.ParentSlug is null ? (Guid?)null : ids[category.ParentSlug],
            });
            response.EnsureSuccessStatusCode();
            ids[category.Slug] = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
        }

        return ids;
    }

    /// <summary>Up to <paramref name="count"/> product ids, page by page through the listing.</summary>
    public static async Task<List<Guid>> ProductIdsAsync(HttpClient client, int count, string prefix = "")
    {
        var ids = new List<Guid>();
        string? cursor = null;
        do
        {
            var page = await client.GetFromJsonAsync<JsonElement>($"{prefix}/products?limit=100{(cursor is null ? "" : "&cursor=" + cursor)}");
            ids.AddRange(page.GetProperty("items").EnumerateArray().Select(p => p.GetProperty("id").GetGuid()));
            cursor = page.GetProperty("nextCursor").GetString();
        }
        while (ids.Count < count && cursor is not null);
        return ids;
    }
}
