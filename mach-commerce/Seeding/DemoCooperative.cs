namespace MachCommerce.Launcher.Seeding;

/// <summary>A member shop of the demo cooperative: one tenant of the platform.</summary>
internal sealed record DemoShop(string TenantId, string Name, string City, string Trade, string DefaultLanguage);

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
        new("eisen-berger", "Eisenwaren Berger", "Rosenheim", "hardware", "de"),
        new("garten-lindner", "Gartencenter Lindner", "Freising", "garden", "de"),
        new("haushalt-kraus", "Haushaltswaren Kraus", "Landshut", "household", "de"),
    ];

    /// <summary>The seed for every generator, so the data set is the same on every machine.</summary>
    public const int RandomSeed = 20261121;
}
