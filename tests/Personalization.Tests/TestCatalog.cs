namespace MachCommerce.Personalization.Tests;

/// <summary>
/// A small hardware-and-garden catalog: Garten (Rasen, Bewässerung) and Werkzeug (Bohrmaschinen, Sägen), four
/// products each, as the catalog would publish them. Ids are fresh per instance, so tenants never share them.
/// </summary>
public sealed class TestCatalog
{
    public Guid Garden { get; } = Guid.CreateVersion7();
    public Guid Lawn { get; } = Guid.CreateVersion7();
    public Guid Watering { get; } = Guid.CreateVersion7();
    public Guid Tools { get; } = Guid.CreateVersion7();
    public Guid Drills { get; } = Guid.CreateVersion7();
    public Guid Saws { get; } = Guid.CreateVersion7();

    public List<ProductSnapshot> Products { get; } = [];

    public TestCatalog()
    {
        Add("Akku-Rasenmäher Rotak 36", "Bosch", Lawn, Garden, 349m);
        Add("Rasentrimmer EasyGrass", "Bosch", Lawn, Garden, 79m);
        Add("Rasensprenger AquaZoom", "Gardena", Lawn, Garden, 34m);
        Add("Vertikutierer EVC 1000", "Gardena", Lawn, Garden, 159m);
        Add("Schlauchwagen 2000", "Gardena", Watering, Garden, 69m);
        Add("Gartenschlauch Classic 20 m", "Gardena", Watering, Garden, 39m);
        Add("Bewässerungscomputer Flex", "Kärcher", Watering, Garden, 89m);
        Add("Gartenpumpe BP 4", "Kärcher", Watering, Garden, 129m);
        Add("Akku-Bohrschrauber GSR 18V", "Bosch", Drills, Tools, 189m);
        Add("Schlagbohrmaschine HP2051", "Makita", Drills, Tools, 99m);
        Add("Bohrhammer HR2470", "Makita", Drills, Tools, 149m);
        Add("Akku-Bohrhammer Uneo", "Bosch", Drills, Tools, 129m);
        Add("Handkreissäge HS7601", "Makita", Saws, Tools, 139m);
        Add("Stichsäge PST 900", "Bosch", Saws, Tools, 89m);
        Add("Säbelsäge JR3051", "Makita", Saws, Tools, 119m);
        Add("Multimaster AMM 700", "Fein", Saws, Tools, 299m);
    }

    public IEnumerable<ProductSnapshot> In(Guid category) => Products.Where(p => p.CategoryIdsWithAncestors.Contains(category));

    public ProductSnapshot Named(string prefix) => Products.First(p => p.Name["de"].StartsWith(prefix, StringComparison.Ordinal));

    private void Add(string name, string brand, Guid leaf, Guid root, decimal price)
    {
        var id = Guid.CreateVersion7();
        var sku = "SKU-" + id.ToString("N")[..10].ToUpperInvariant();
        Products.Add(new ProductSnapshot
        {
            ProductId = id,
            Sku = sku,
            Slug = sku.ToLowerInvariant(),
            Status = "published",
            Brand = brand,
            Name = new Dictionary<string, string> { ["de"] = name, ["en"] = name },
            CategoryIds = [leaf],
            CategoryIdsWithAncestors = [leaf, root],
            Attributes = new Dictionary<string, IReadOnlyList<string>> { ["antrieb"] = [name.StartsWith("Akku", StringComparison.Ordinal) ? "Akku" : "Netz"] },
            MinPriceGross = price,
            Currency = "EUR",
            Available = true,
            ImageUrl = $"https://img.example/{sku}.jpg",
            Version = 1,
        });
    }
}
