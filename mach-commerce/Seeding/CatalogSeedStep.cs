using MachCommerce.Launcher.DemoData;

namespace MachCommerce.Launcher.Seeding;

/// <summary>
/// Each member shop's catalog: the demo category tree, 2,000 products (the shop's own trade most common) through
/// the bulk API, and a B2B price list for the customer group "fachhandel".
/// </summary>
internal sealed class CatalogSeedStep(int productsPerShop = 2_000) : ISeedStep
{
    public string Name => "catalog";

    public string Service => "catalog";

    public async Task RunAsync(SeedContext context, CancellationToken cancellationToken)
    {
        foreach (var shop in DemoCooperative.Shops)
        {
            var client = context.ClientFor(Service, shop);
            var categoryIds = await CategoriesAsync(client, cancellationToken);
            var skuPrefix = shop.TenantId.Split('-')[0].ToUpperInvariant();
            var products = DemoCatalog.Products(productsPerShop, shop.Trade, DemoCooperative.RandomSeed, skuPrefix).ToList();
            foreach (var chunk in products.Chunk(500))
            {
                await BulkAsync(client, shop.TenantId, chunk.Select(p => p.Input with { CategoryIds = [.. p.CategorySlugs.Select(slug => categoryIds[slug])] }), cancellationToken);
            }

            // Trade customers of the shop pay 12 % less on the first 300 products' variants.
            var entries = products.Take(300).SelectMany(p => p.Input.Variants!)
                .Select(v => new { sku = v.Sku, priceNet = Math.Round((v.PriceGross!.Value / (1 + v.TaxRate!.Value)) * 0.88m, 2) });
            (await client.PutAsJsonAsync("/price-lists/fachhandel", new { name = "Fachhandel", entries }, cancellationToken)).EnsureSuccessStatusCode();
        }
    }

    /// <summary>Stores products through the bulk API; any refused one stops the seed with the reason.</summary>
    public static async Task BulkAsync(HttpClient client, string owner, IEnumerable<Api.Catalog.ProductInput> items, CancellationToken cancellationToken)
    {
        var response = await client.PostAsJsonAsync("/products/bulk", new { items }, cancellationToken);
        response.EnsureSuccessStatusCode();
        var result = await response.Content.ReadFromJsonAsync<JsonElement>(cancellationToken);
        if (result.GetProperty("failed").GetInt32() > 0)
        {
            throw new InvalidOperationException($"catalog seed for {owner}: {result.GetProperty("failed").GetInt32()} products were refused: {result}");
        }
    }

    /// <summary>The demo category tree in the client's tenant: id by slug.</summary>
    public static async Task<Dictionary<string, Guid>> CategoriesAsync(HttpClient client, CancellationToken cancellationToken)
    {
        var ids = new Dictionary<string, Guid>();
        foreach (var category in DemoCatalog.Categories)
        {
            var response = await client.PostAsJsonAsync("/categories", new
            {
                slug = category.Slug,
                name = new { de = category.NameDe, en = category.NameEn },
                parentId = category.ParentSlug is null ? (Guid?)null : ids[category.ParentSlug],
            }, cancellationToken);
            response.EnsureSuccessStatusCode();
            ids[category.Slug] = (await response.Content.ReadFromJsonAsync<JsonElement>(cancellationToken)).GetProperty("id").GetGuid();
        }

        return ids;
    }
}
