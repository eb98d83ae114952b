namespace MachCommerce.Gateway.Tests;

/// <summary>
/// A small German hardware-and-garden shop, created through the gateway's REST routes as a merchant's ERP would:
/// two root categories with a child each, and eight published products with variants and prices.
/// </summary>
public sealed class ShopData
{
    public Guid Garden { get; private set; }
    public Guid Lawn { get; private set; }
    public Guid Tools { get; private set; }
    public Guid Drills { get; private set; }

    /// <summary>Product id by German name.</summary>
    public Dictionary<string, Guid> Products { get; } = [];

    /// <summary>Variant SKU by German name.</summary>
    public Dictionary<string, string> Skus { get; } = [];

    public Dictionary<string, string> Slugs { get; } = [];

    public Guid this[string name] => Products[name];

    public static readonly (string Name, string Brand, string Category, decimal Gross)[] Items =
    [
        ("Akku-Rasenmäher Rotak 36", "Bosch", "lawn", 349m),
        ("Rasensprenger AquaZoom", "Gardena", "lawn", 34m),
        ("Gartenschlauch Classic 20 m", "Gardena", "garden", 39m),
        ("Schlauchwagen 2000", "Gardena", "garden", 69m),
        ("Akku-Bohrschrauber GSR 18V", "Bosch", "drills", 189m),
        ("Schlagbohrmaschine HP2051", "Makita", "drills", 99m),
        ("Stichsäge PST 900", "Bosch", "tools", 89m),
        ("Handkreissäge HS7601", "Makita", "tools", 139m),
    ];

    public static async Task<ShopData> CreateAsync(HttpClient merchant)
    {
        var shop = new ShopData();
        shop.Garden = await CategoryAsync(merchant, "garten", "Garten", "Garden", null);
        shop.Lawn = await CategoryAsync(merchant, "rasen", "Rasen", "Lawn", shop.Garden);
        shop.Tools = await CategoryAsync(merchant, "werkzeug", "Werkzeug", "Tools", null);
        shop.Drills = await CategoryAsync(merchant, "bohrmaschinen", "Bohrmaschinen", "Drills", shop.Tools);
        var items = Items.Select(item =>
        {
            var sku = "SKU-" + Guid.NewGuid().ToString("N")[..8].ToUpperInvariant();
            shop.Skus[item.Name] = sku + "-1";
            shop.Slugs[item.Name] = sku.ToLowerInvariant();
            var category = item.Category switch { "lawn" => shop.Lawn, "garden" => shop.Garden, "drills" => shop.Drills, _ => shop.Tools };
            return new
            {
                sku,
                slug = sku.ToLowerInvariant(),
                status = "published",
                brand = item.Brand,
                name = new { de = item.Name, en = item.Name + " (EN)" },
                description = new { de = $"{item.Name} für Haus und Garten", en = $"{item.Name} for home and garden" },
                categoryIds = new[] { category },
                attributes = new { antrieb = item.Name.StartsWith("Akku", StringComparison.Ordinal) ? "Akku" : "Netz" },
                images = new[] { new { url = $"https://cdn.example/{sku}.jpg", alt = new { de = item.Name } } },
                variants = new[] { new { sku = sku + "-1", priceGross = item.Gross, taxRate = 0.19m, stockQuantity = 25 } },
            };
        }).ToList();
        var response = await merchant.PostAsJsonAsync("/api/catalog/products/bulk", new { items });
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.True(response.IsSuccessStatusCode, $"bulk import answered {(int)response.StatusCode}: {body}");
        Assert.Equal(Items.Length, body.GetProperty("created").GetInt32());
        foreach (var (item, result) in Items.Zip(body.GetProperty("items").EnumerateArray()))
        {
            shop.Products[item.Name] = result.GetProperty("id").GetGuid();
        }

        return shop;
    }

    /// <summary>The shop, returned once personalization's copy of its catalog holds every product (the events travel over RabbitMQ).</summary>
    public static async Task<ShopData> CreateForPersonalizationAsync(HttpClient admin)
    {
        var shop = await CreateAsync(admin);
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (true)
        {
            var status = await admin.GetFromJsonAsync<JsonElement>("/api/personalization/read-models");
            if (status.GetProperty("products").GetProperty("showable").GetInt64() >= Items.Length)
            {
                return shop;
            }

            Assert.True(DateTime.UtcNow < deadline, $"personalization has {status} after 30 s");
            await Task.Delay(200);
        }
    }

    private static async Task<Guid> CategoryAsync(HttpClient merchant, string slug, string de, string en, Guid? parent)
    {
        var response = await merchant.PostAsJsonAsync("/api/catalog/categories", new { slug, name = new { de, en }, parentId = parent, position = 1 });
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.True(response.IsSuccessStatusCode, $"creating category {slug} answered {(int)response.StatusCode}: {body}");
        return body.GetProperty("id").GetGuid();
    }
}
