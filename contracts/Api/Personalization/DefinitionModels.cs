namespace MachCommerce.Api.Personalization;

public sealed record SegmentInput(string? Name, string? Description, string? Status, JsonElement? Conditions);

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

/// <summary>An experiment as the merchant defines it; the primary metric (revenue per subject unless said otherwise) decides the verdict.</summary>
public sealed record ExperimentInput(string? Name, string? Description, string? Placement, List<ExperimentVariantInput?>? Variants, string? ControlVariant, int? AttributionWindowHours,
    string? PrimaryMetric = null);

/// <summary>
/// What the planner needs: the placement (its measured traffic), the smallest relative uplift worth detecting, and
/// optionally the arms, the power and the baseline (measured from the shop's own subjects when not given).
/// </summary>
public sealed record PlanInput(string? Placement, double? MinimumDetectableEffect, string? PrimaryMetric, int? Variants, double? Power,
    double? BaselineConversionRate, double? BaselineRevenuePerSubject, double? RevenueStandardDeviation, double? DailySubjects);

/// <summary>
/// One arm of an experiment. Strategies: <c>personalized</c> (the full decision engine), <c>broadcast</c> (the
/// same highest-priority offer and the most popular products for everybody: the classic advert), <c>holdout</c>
/// (no offer at all).
/// </summary>
public sealed record ExperimentVariantInput(string? Key, string? Strategy, int? Weight);

/// <summary>A subject in a segment: a signed-in customer (profile) or an anonymous visitor, by its subject key.</summary>
public sealed record SegmentMember(string SubjectKey, Guid? ProfileId, string? VisitorId);

public sealed record SegmentMembersPage(IReadOnlyList<SegmentMember> Items, string? NextCursor);

/// <summary>Conditions to try before saving them as a segment.</summary>
public sealed record SegmentPreviewInput(JsonElement? Conditions);

/// <summary>
/// Who the conditions match now: how many of the subjects looked at (all of them when <c>Complete</c>, else the first
/// <c>Scanned</c>), and the first few of them.
/// </summary>
public sealed record SegmentPreview(int Matching, int Scanned, bool Complete, IReadOnlyList<SegmentMember> Sample);

/// <summary>A segment as stored: the definition as accepted, with its version (for If-Match) and timestamps.</summary>
public sealed record SegmentView(Guid Id, string Name, string Status, string? Description, JsonElement Conditions, int Version, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt);

/// <summary>An offer as stored: the definition as accepted (placements without repeats, priority and product count filled in), with its version and timestamps.</summary>
public sealed record OfferView(
    Guid Id, string Name, string Status, IReadOnlyList<string> Placements, OfferTargeting? Targeting, Dictionary<string, OfferContent>? Content, OfferSelection? Selection,
    OfferIncentive? Incentive, DateTimeOffset? ValidFrom, DateTimeOffset? ValidUntil, int Priority, FrequencyCap? FrequencyCap, int Version, DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt);

/// <summary>An experiment as stored. Status: draft, running (from <see cref="StartedAt"/>) or stopped (at <see cref="StoppedAt"/>).</summary>
public sealed record ExperimentView(
    Guid Id, string Name, string Status, string? Description, string Placement, IReadOnlyList<ExperimentVariantInput> Variants, string ControlVariant, int AttributionWindowHours,
    string PrimaryMetric, DateTimeOffset? StartedAt, DateTimeOffset? StoppedAt, int Version, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt);

/// <summary>One page of segments, offers or experiments; <see cref="NextCursor"/> is null on the last.</summary>
public sealed record DefinitionPage<T>(IReadOnlyList<T> Items, string? NextCursor);

/// <summary>An offer's daily counts, newest day first.</summary>
public sealed record OfferStats(Guid OfferId, IReadOnlyList<OfferDay> Days);

public sealed record OfferDay(DateOnly Day, long Impressions, long Clicks, long Redemptions);
