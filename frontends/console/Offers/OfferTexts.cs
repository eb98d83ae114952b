using MachCommerce.Api.Personalization;
using MachCommerce.MerchantConsole.Localization;
using MachCommerce.MerchantConsole.Platform;

namespace MachCommerce.MerchantConsole.Offers;

/// <summary>An offer's states, placements and validity in a merchant's words (the labels are the German keys of <see cref="ConsoleTexts"/>).</summary>
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

    public static string Status(string status, IStringLocalizer<ConsoleTexts> L) => Statuses.FirstOrDefault(s => s.Key == status).Label is { } label ? L[label] : status;

    public static string Validity(DateTimeOffset? from, DateTimeOffset? until, IStringLocalizer<ConsoleTexts> L) => (from, until) switch
    {
        (null, null) => L["immer"],
        ({ } f, null) => L["ab {0}", f.ToString("d", Texts.Culture)],
        (null, { } u) => L["bis {0}", u.ToString("d", Texts.Culture)],
        ({ } f, { } u) => $"{f.ToString("d", Texts.Culture)} – {u.ToString("d", Texts.Culture)}",
    };

    /// <summary>An offer's figures over the days its stats cover.</summary>
    public static OfferTotals Totals(OfferStats stats) =>
        new(stats.Days.Sum(d => d.Impressions), stats.Days.Sum(d => d.Clicks), stats.Days.Sum(d => d.Redemptions));
}

public sealed record OfferTotals(long Impressions, long Clicks, long Redemptions);
