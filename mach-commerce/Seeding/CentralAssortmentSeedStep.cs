using MachCommerce.Launcher.DemoData;

namespace MachCommerce.Launcher.Seeding;

/// <summary>
/// The demo cooperative's central assortment (Zentralsortiment): the demo category tree and 600 products kept once at
/// the cooperative's central level, and each member shop subscribed to the part that fits its trade (the central
/// categories file into the shop's own ones of the same slug). Eisenwaren Berger sells one central drill at a price of
/// its own, an override that outlives the cooperative's price changes.
/// </summary>
internal sealed class CentralAssortmentSeedStep(int products = 600) : ISeedStep
{
    public const string SkuPrefix = "ZS";

    /// <summary>Which central category each member shop takes.</summary>
    public static readonly IReadOnlyDictionary<string, string> Subscriptions = new Dictionary<string, string>
    {
        ["eisen-berger"] = "akkuwerkzeug",
        ["garten-lindner"] = "garten",
        ["haushalt-kraus"] = "kueche",
    };

    public string Name => "central-assortment";

    public string Service => "catalog";

    public async Task RunAsync(SeedContext context, CancellationToken cancellationToken)
    {
        var central = context.ClientFor(Service, CooperativeTenants.CentralTenant(DemoCooperative.Id), DemoCooperative.Id);
        var categoryIds = await CatalogSeedStep.CategoriesAsync(central, cancellationToken);
        var items = DemoCatalog.Products(products, "hardware", DemoCooperative.RandomSeed + 1, SkuPrefix)
            .Select(p => p.Input with { Slug = $"{p.Input.Slug}-zs", CategoryIds = [.. p.CategorySlugs.Select(slug => categoryIds[slug])] });
        foreach (var chunk in items.Chunk(300))
        {
            await CatalogSeedStep.BulkAsync(central, "the central assortment", chunk, cancellationToken);
        }

        foreach (var shop in DemoCooperative.Shops)
        {
            var member = context.ClientFor(Service, shop.TenantId, DemoCooperative.Id);
            var subscribed = await member.PostAsJsonAsync("/central/subscriptions", new { categoryId = categoryIds[Subscriptions[shop.TenantId]] }, cancellationToken);
            var result = await subscribed.Content.ReadFromJsonAsync<JsonElement>(cancellationToken);
            if (!subscribed.IsSuccessStatusCode || result.GetProperty("sync").GetProperty("conflicts").GetArrayLength() > 0)
            {
                throw new InvalidOperationException($"central assortment seed for {shop.TenantId}: {(int)subscribed.StatusCode} {result}");
            }

            if (shop.TenantId == "eisen-berger")
            {
                await OwnPriceAsync(member, cancellationToken);
            }
        }
    }

    /// <summary>The shop's first central product at 10 % below the cooperative's price.</summary>
    private static async Task OwnPriceAsync(HttpClient member, CancellationToken cancellationToken)
    {
        var page = await member.GetFromJsonAsync<JsonElement>("/central/products?limit=200", cancellationToken);
        var taken = page.GetProperty("items").EnumerateArray().First(p => p.GetProperty("copyId").ValueKind == JsonValueKind.String);
        var copy = await member.GetFromJsonAsync<JsonElement>($"/products/{taken.GetProperty("copyId").GetGuid()}", cancellationToken);
        var variants = copy.GetProperty("variants").EnumerateArray().ToDictionary(
            v => v.GetProperty("sku").GetString()!,
            v => new { priceGross = Math.Round(v.GetProperty("price").GetProperty("gross").GetDecimal() * 0.9m, 2) });
        (await member.PutAsJsonAsync($"/central/overrides/{copy.GetProperty("id").GetGuid()}", new { variants }, cancellationToken)).EnsureSuccessStatusCode();
    }
}
