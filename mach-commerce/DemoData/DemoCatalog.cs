using MachCommerce.Api.Catalog;

namespace MachCommerce.Launcher.DemoData;

/// <summary>A category of the demo tree, by slug, with its parent's slug.</summary>
public sealed record DemoCategory(string Slug, string? ParentSlug, string NameDe, string NameEn);

/// <summary>
/// A deterministic, realistic German catalog for demos and benchmarks: hardware, garden and household, with
/// brands, a category tree, attributes and variants. The same seed gives the same products on every machine.
/// Products name categories by slug (<see cref="DemoProduct.CategorySlugs"/>); the caller maps them to ids.
/// </summary>
public static class DemoCatalog
{
    public sealed record DemoProduct(ProductInput Input, IReadOnlyList<string> CategorySlugs);

    private sealed record ProductType(string Category, string NameDe, string NameEn, string[] Brands, decimal MinPrice, decimal MaxPrice,
        decimal TaxRate, Func<Random, Dictionary<string, object>> Attributes, string[]? Sizes = null, string[]? Colours = null);

    public static readonly IReadOnlyList<DemoCategory> Categories =
    [
        new("werkzeug", null, "Werkzeug", "Tools"),
        new("akkuwerkzeug", "werkzeug", "Akkuwerkzeug", "Cordless tools"),
        new("handwerkzeug", "werkzeug", "Handwerkzeug", "Hand tools"),
        new("befestigung", "werkzeug", "Befestigungstechnik", "Fixings"),
        new("garten", null, "Garten", "Garden"),
        new("rasenpflege", "garten", "Rasenpflege", "Lawn care"),
        new("bewaesserung", "garten", "Bewässerung", "Watering"),
        new("gartenwerkzeug", "garten", "Gartenwerkzeug", "Garden tools"),
        new("haushalt", null, "Haushalt", "Household"),
        new("kueche", "haushalt", "Küche", "Kitchen"),
        new("reinigung", "haushalt", "Reinigung", "Cleaning"),
        new("aufbewahrung", "haushalt", "Aufbewahrung", "Storage"),
    ];

    private static readonly string[] Colours = ["schwarz", "rot", "blau", "grün", "grau", "weiß"];

    /// <summary>The colours as English shoppers read them (the German value stays the variant's own option).</summary>
    private static readonly Dictionary<string, string> ColoursEn = new()
    {
        ["schwarz"] = "black", ["rot"] = "red", ["blau"] = "blue", ["grün"] = "green", ["grau"] = "grey", ["weiß"] = "white",
    };
    private static readonly string[] GloveSizes = ["S", "M", "L", "XL"];

    private static readonly ProductType[] Types =
    [
        new("akkuwerkzeug", "Akku-Bohrschrauber", "Cordless drill driver", ["Makita", "Bosch", "Metabo", "Einhell", "DeWalt"], 59, 349, 0.19m,
            r => new() { ["spannung_v"] = r.Next(2) == 0 ? 12 : 18, ["drehmoment_nm"] = r.Next(30, 140), ["akku_enthalten"] = r.Next(2) == 0 }),
        new("akkuwerkzeug", "Akku-Schlagschrauber", "Cordless impact driver", ["Makita", "Bosch", "Metabo", "DeWalt"], 89, 399, 0.19m,
            r => new() { ["spannung_v"] = 18, ["drehmoment_nm"] = r.Next(150, 600), ["akku_enthalten"] = r.Next(2) == 0 }),
        new("akkuwerkzeug", "Akku-Winkelschleifer", "Cordless angle grinder", ["Makita", "Bosch", "Metabo", "Einhell"], 79, 299, 0.19m,
            r => new() { ["spannung_v"] = 18, ["scheibe_mm"] = r.Next(2) == 0 ? 115 : 125 }),
        new("handwerkzeug", "Schraubendreher-Set", "Screwdriver set", ["Wera", "Wiha", "Stanley", "Bahco"], 12, 89, 0.19m,
            r => new() { ["teile"] = r.Next(6, 40), ["material"] = "Chrom-Vanadium" }),
        new("handwerkzeug", "Hammer", "Hammer", ["Picard", "Stanley", "Estwing"], 9, 59, 0.19m,
            r => new() { ["gewicht_g"] = r.Next(2, 12) * 100, ["material"] = r.Next(2) == 0 ? "Stahl" : "Fiberglas" }),
        new("handwerkzeug", "Arbeitshandschuhe", "Work gloves", ["Uvex", "Kübler", "Ejendals"], 4, 29, 0.19m,
            r => new() { ["material"] = r.Next(2) == 0 ? "Nitril" : "Leder" }, Sizes: GloveSizes),
        new("befestigung", "Dübel-Sortiment", "Wall plug assortment", ["Fischer", "Tox", "Würth"], 6, 49, 0.19m,
            r => new() { ["teile"] = r.Next(50, 500), ["material"] = "Nylon" }),
        new("befestigung", "Spanplattenschrauben", "Chipboard screws", ["Spax", "Würth", "Reisser"], 5, 39, 0.19m,
            r => new() { ["laenge_mm"] = r.Next(2, 12) * 10, ["material"] = r.Next(2) == 0 ? "Stahl verzinkt" : "Edelstahl A2" }),
        new("rasenpflege", "Rasenmäher", "Lawn mower", ["Gardena", "Bosch", "Husqvarna", "Einhell", "Wolf-Garten"], 129, 899, 0.19m,
            r => new() { ["schnittbreite_cm"] = r.Next(32, 53), ["antrieb"] = new[] { "Akku", "Elektro", "Benzin" }[r.Next(3)], ["fangkorb_l"] = r.Next(30, 70) }),
        new("rasenpflege", "Rasentrimmer", "Grass trimmer", ["Gardena", "Bosch", "Einhell", "Stihl"], 39, 249, 0.19m,
            r => new() { ["antrieb"] = r.Next(2) == 0 ? "Akku" : "Elektro", ["schnittbreite_cm"] = r.Next(23, 33) }),
        new("rasenpflege", "Vertikutierer", "Scarifier", ["Gardena", "Wolf-Garten", "Einhell"], 99, 449, 0.19m,
            r => new() { ["arbeitsbreite_cm"] = r.Next(30, 40), ["antrieb"] = "Elektro" }),
        new("bewaesserung", "Gartenschlauch", "Garden hose", ["Gardena", "Kärcher", "Hozelock"], 15, 99, 0.19m,
            r => new() { ["laenge_m"] = r.Next(2, 6) * 10, ["durchmesser_zoll"] = r.Next(2) == 0 ? "1/2" : "3/4" }, Colours: Colours[..3]),
        new("bewaesserung", "Rasensprenger", "Lawn sprinkler", ["Gardena", "Kärcher", "Rain Bird"], 12, 79, 0.19m,
            r => new() { ["flaeche_m2"] = r.Next(50, 400) }),
        new("gartenwerkzeug", "Gartenschere", "Pruning shears", ["Felco", "Gardena", "Fiskars", "Wolf-Garten"], 14, 89, 0.19m,
            r => new() { ["schnitt_mm"] = r.Next(15, 30), ["material"] = "Stahl" }),
        new("gartenwerkzeug", "Spaten", "Spade", ["Fiskars", "Gardena", "Sneeboer"], 24, 119, 0.19m,
            r => new() { ["stiel"] = r.Next(2) == 0 ? "Holz" : "Fiberglas" }),
        new("kueche", "Kochtopf-Set", "Cookware set", ["WMF", "Fissler", "Silit", "Zwilling"], 59, 399, 0.19m,
            r => new() { ["teile"] = r.Next(3, 10), ["material"] = r.Next(2) == 0 ? "Edelstahl" : "Aluguss", ["induktion"] = true }),
        new("kueche", "Messerblock", "Knife block", ["WMF", "Zwilling", "Wüsthof"], 49, 299, 0.19m,
            r => new() { ["teile"] = r.Next(5, 9), ["material"] = "Edelstahl" }),
        new("kueche", "Kaffeevollautomat", "Bean-to-cup coffee machine", ["De'Longhi", "Siemens", "Jura", "Melitta"], 299, 1499, 0.19m,
            r => new() { ["wassertank_l"] = Math.Round(1.2 + r.NextDouble() * 1.3, 1), ["milchsystem"] = r.Next(2) == 0 }),
        new("reinigung", "Akku-Staubsauger", "Cordless vacuum cleaner", ["Dyson", "Bosch", "Kärcher", "AEG"], 149, 699, 0.19m,
            r => new() { ["laufzeit_min"] = r.Next(25, 70), ["beutellos"] = true }),
        new("reinigung", "Fenstersauger", "Window vacuum", ["Kärcher", "Leifheit", "Vileda"], 39, 149, 0.19m,
            r => new() { ["laufzeit_min"] = r.Next(20, 40) }),
        new("aufbewahrung", "Aufbewahrungsbox", "Storage box", ["Rotho", "Keeeper", "Sunware"], 4, 39, 0.19m,
            r => new() { ["volumen_l"] = r.Next(5, 70), ["material"] = "Kunststoff" }, Colours: Colours),
    ];

    /// <summary>
    /// <paramref name="count"/> products for a shop: a shop's <paramref name="trade"/> (hardware, garden, household)
    /// makes its own kinds of products most common, the rest fill in. Seeded by <paramref name="seed"/> and the trade.
    /// </summary>
    public static IEnumerable<DemoProduct> Products(int count, string trade, int seed, string skuPrefix)
    {
        var random = new Random(HashCode.Combine(seed, StableHash(trade)));
        var home = trade switch { "hardware" => "werkzeug", "garden" => "garten", _ => "haushalt" };
        var homeTypes = Types.Where(t => Categories.First(c => c.Slug == t.Category).ParentSlug == home).ToArray();
        for (var i = 0; i < count; i++)
        {
            var type = random.Next(10) < 6 ? homeTypes[random.Next(homeTypes.Length)] : Types[random.Next(Types.Length)];
            var brand = type.Brands[random.Next(type.Brands.Length)];
            var model = $"{(char)('A' + random.Next(26))}{random.Next(100, 9999)}";
            var sku = $"{skuPrefix}-{i + 1:D6}";
            var warrantyYears = random.Next(2, 6); // one number for both languages
            var price = Math.Round((decimal)random.NextDouble() * (type.MaxPrice - type.MinPrice) + type.MinPrice, 0) - 0.01m;
            var attributes = type.Attributes(random).ToDictionary(a => a.Key, a => JsonSerializer.SerializeToElement(a.Value));
            var options = type.Sizes ?? type.Colours;
            var optionName = type.Sizes is null ? "farbe" : "groesse";
            var variantOptions = options is null ? new string?[] { null } : options.Take(random.Next(1, Math.Min(4, options.Length) + 1)).Cast<string?>().ToArray();
            var variants = variantOptions.Select((option, v) => new VariantInput
            {
                Sku = option is null ? $"{sku}-V" : $"{sku}-{v + 1}",
                Options = option is null ? [] : new Dictionary<string, string> { [optionName] = option },
                OptionLabels = option is not null && ColoursEn.TryGetValue(option, out var english)
                    ? new() { ["en"] = new() { [optionName] = english } }
                    : null,
                PriceGross = price,
                TaxRate = type.TaxRate,
                CompareAtNet = random.Next(8) == 0 ? Math.Round(price * 1.2m / (1 + type.TaxRate), 2) : null,
                StockQuantity = random.Next(10) == 0 ? 0 : random.Next(1, 250),
                Backorderable = random.Next(5) == 0,
            }).ToList();

            yield return new DemoProduct(new ProductInput
            {
                Sku = sku,
                Slug = $"{Slug($"{brand} {type.NameDe} {model}")}-{i + 1}",
                Status = random.Next(20) == 0 ? "draft" : "published",
                Brand = brand,
                Name = new() { ["de"] = $"{brand} {type.NameDe} {model}", ["en"] = $"{brand} {type.NameEn} {model}" },
                Description = new()
                {
                    ["de"] = $"{type.NameDe} von {brand} für Heimwerker und Profis. Robust, langlebig und mit {warrantyYears} Jahren Herstellergarantie.",
                    ["en"] = $"{type.NameEn} by {brand} for DIY and trade. Sturdy, durable, with a {warrantyYears}-year manufacturer warranty.",
                },
                Attributes = attributes,
                Images = [new ImageInput { Url = $"https://images.example.com/{sku.ToLowerInvariant()}.jpg", Alt = new() { ["de"] = $"{brand} {type.NameDe}", ["en"] = $"{brand} {type.NameEn}" } }],
                Variants = variants,
            }, [type.Category]);
        }
    }

    /// <summary>
    /// The demo names' slug as the catalog would make it ("Gardena Rasenmäher M3" → "gardena-rasenmaeher-m3"); the demo
    /// gives it with a number, since several demo products share a name.
    /// </summary>
    private static string Slug(string name)
    {
        var words = name.ToLowerInvariant().Replace("ä", "ae").Replace("ö", "oe").Replace("ü", "ue").Replace("ß", "ss")
            .Split([.. name.Where(c => !char.IsAsciiLetterOrDigit(c)).Distinct()], StringSplitOptions.RemoveEmptyEntries);
        return string.Join('-', words);
    }

    private static int StableHash(string text) => text.Aggregate(17, (hash, c) => unchecked(hash * 31 + c));
}
