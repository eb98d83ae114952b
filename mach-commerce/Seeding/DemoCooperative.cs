namespace MachCommerce.Launcher.Seeding;

/// <summary>A member shop of the demo cooperative: one tenant of the platform.</summary>
/// <param name="Street">With <paramref name="Postcode"/> and the coordinates: where the shop is, for the cooperative's joint search.</param>
internal sealed record DemoShop(string TenantId, string Name, string City, string Trade, string DefaultLanguage, string Street, string Postcode, double Latitude, double Longitude)
{
    /// <summary>The shop's product pages (an example domain: the demo shops have no web sites of their own).</summary>
    public string ProductUrl => $"https://www.{TenantId}.example/produkt/{{slug}}";
}

/// <summary>
/// The demo data set's cast: a cooperative buying group (Verbundgruppe) of independent shops in Bavaria that
/// share one platform. Fixed ids and names, so every run and every developer sees the same data.
/// </summary>
internal static class DemoCooperative
{
    public const string Name = "EinkaufsVerbund Süd eG";

    /// <summary>The cooperative's id on the platform (its member shops are tenants of their own).</summary>
    public const string Id = "einkaufsverbund-sued";

    public static readonly IReadOnlyList<DemoShop> Shops =
    [
        new("eisen-berger", "Eisenwaren Berger", "Rosenheim", "hardware", "de", "Münchener Straße 12", "83022", 47.8571, 12.1181),
        new("garten-lindner", "Gartencenter Lindner", "Freising", "garden", "de", "Erdinger Straße 40", "85356", 48.3964, 11.7566),
        new("haushalt-kraus", "Haushaltswaren Kraus", "Landshut", "household", "de", "Altstadt 88", "84028", 48.5366, 12.1521),
    ];

    /// <summary>The seed for every generator, so the data set is the same on every machine.</summary>
    public const int RandomSeed = 20261121;
}
