namespace MachCommerce.Api.Personalization;

/// <summary>A decision for one shopper in one placement; <c>Preview</c>: what they would see now, recorded nowhere (no impression, exposure or frequency count).</summary>
public sealed record DecisionRequest(string? VisitorId, Guid? ProfileId, string? Placement, DecisionContextInput? Context, string? Locale, int? MaxOffers, bool? Preview = null);

/// <summary>The page the visitor is on: the product, the category, what is in the cart.</summary>
public sealed record DecisionContextInput(Guid? ProductId, Guid? CategoryId, List<Guid>? CartProductIds);

/// <summary>Why something is shown, in words a shopper can read, with a stable code for front ends and analytics.</summary>
public sealed record Reason(string Code, string Text, Guid? ProductId = null);

public sealed record DecidedProduct(Guid ProductId, string Sku, string Slug, string Name, string? Brand, decimal Price, string Currency, string? ImageUrl, double Score, Reason Reason);

public sealed record DecidedOffer(Guid OfferId, string Name, double Score, Reason Reason, OfferContent? Content, OfferIncentive? Incentive, IReadOnlyList<DecidedProduct> Products);

public sealed record ExperimentAssignment(Guid ExperimentId, string Variant, string Strategy);

public sealed record Decision(Guid DecisionId, string Placement, bool Personalized, ExperimentAssignment? Experiment, IReadOnlyList<DecidedOffer> Offers);

public sealed record RecommendedProduct(Guid ProductId, string Sku, string Slug, string Name, string? Brand, decimal Price, string Currency, string? ImageUrl, double Score, Reason Reason);

/// <param name="Strategy">The strategy that produced the items; differs from <paramref name="Requested"/> when it fell back.</param>
public sealed record RecommendationList(string Requested, string Strategy, bool Personalized, IReadOnlyList<RecommendedProduct> Items);
