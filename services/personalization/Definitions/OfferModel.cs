using System.Text.Json;

namespace MachCommerce.Personalization.Definitions;

/// <summary>Where offers are kept and the products an offer shows by default and at most.</summary>
internal static class OfferModel
{
    public const string Table = "offers";
    public const int DefaultProducts = 4, MaxProducts = 20;
}

public sealed record OfferInput(
    string? Name, string? Status, List<string>? Placements, OfferTargeting? Targeting, Dictionary<string, OfferContent>? Content, OfferSelection? Selection,
    OfferIncentive? Incentive, DateTimeOffset? ValidFrom, DateTimeOffset? ValidUntil, int? Priority, FrequencyCap? FrequencyCap);

/// <summary>Who sees the offer: members of any of the segments, and (if given) those the inline conditions match. Neither: everybody.</summary>
public sealed record OfferTargeting(List<Guid>? SegmentIds, JsonElement? Conditions);

public sealed record OfferContent(string? Headline, string? Text, string? ImageUrl, string? CallToAction, string? Url);

/// <summary>Which products the offer shows: any product in the categories (with their subcategories), of the brands, or with the SKUs.</summary>
public sealed record OfferSelection(List<Guid>? CategoryIds, List<string>? Brands, List<string>? Skus, int? MaxProducts);

/// <summary>percent (1–100) or amount (EUR) off, or free_shipping; an optional voucher code.</summary>
public sealed record OfferIncentive(string? Type, decimal? Value, string? Code);

/// <summary>At most <see cref="Max"/> impressions per visitor within <see cref="PerHours"/>.</summary>
public sealed record FrequencyCap(int? Max, int? PerHours);

