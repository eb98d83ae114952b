using MachCommerce.Api.Personalization;
using MachCommerce.MerchantConsole.Platform;

namespace MachCommerce.MerchantConsole.Offers;

/// <summary>An offer's states, placements and validity in a merchant's words.</summary>
public static class OfferTexts
{
    public static readonly IReadOnlyList<(string Key, string Label)> Statuses =
        [("draft", "Entwurf"), ("active", "aktiv"), ("paused", "pausiert"), ("archived", "archiviert")];

    /// <summary>The placements a storefront asks for (the personalization service's list).</summary>
    public static readonly IReadOnlyList<(string Key, string Label)> Placements =
    [
        ("home-hero", "Startseite oben"), ("home-teaser", "Startseite Teaser"), ("category-page", "Kategorieseite"), ("product-detail", "Produktseite"),
        ("search-results", "Suchergebnisse"), ("cart", "Warenkorb"), ("checkout", "Kasse"), ("account", "Kundenkonto"), ("email", "E-Mail"), ("app-home", "App-Start"),
    ];

    public static readonly IReadOnlyList<(string Key, string Label)> Incentives =
        [("", "keiner"), ("percent", "Prozent Rabatt"), ("amount", "Betrag Rabatt (EUR)"), ("free_shipping", "Versand gratis")];

    public static string Status(string status) => Statuses.FirstOrDefault(s => s.Key == status).Label ?? status;

    public static string Validity(DateTimeOffset? from, DateTimeOffset? until) => (from, until) switch
    {
        (null, null) => "immer",
        ({ } f, null) => $"ab {f.ToString("dd.MM.yyyy", Texts.German)}",
        (null, { } u) => $"bis {u.ToString("dd.MM.yyyy", Texts.German)}",
        ({ } f, { } u) => $"{f.ToString("dd.MM.yyyy", Texts.German)} – {u.ToString("dd.MM.yyyy", Texts.German)}",
    };

    /// <summary>An offer's figures over the days its stats cover.</summary>
    public static OfferTotals Totals(OfferStats stats) =>
        new(stats.Days.Sum(d => d.Impressions), stats.Days.Sum(d => d.Clicks), stats.Days.Sum(d => d.Redemptions));
}

public sealed record OfferTotals(long Impressions, long Clicks, long Redemptions);
