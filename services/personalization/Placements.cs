namespace MachCommerce.Personalization;

/// <summary>
/// The places in a front end where offers and recommendations appear. A fixed list, so a typo in an offer
/// ("home-heor") is a 400 at once instead of an offer nobody ever sees.
/// </summary>
internal static class Placements
{
    public static readonly IReadOnlySet<string> Known = new HashSet<string>(StringComparer.Ordinal)
    {
        "home-hero", "home-teaser", "product-detail", "category-page", "search-results", "cart", "checkout", "account", "email", "app-home",
    };

    public static string List => string.Join(", ", Known.Order(StringComparer.Ordinal));
}
