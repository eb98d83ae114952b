namespace MachCommerce.Api.Catalog;

/// <summary>The gateway's question to the catalog for a cooperative: these SKUs (or this search) at these member shops.</summary>
public sealed record JointOffersRequest(List<string>? Skus, List<string>? Members);

public sealed record JointSearchRequest(string? Q, List<string>? Members, string? Brand, int? Limit);

/// <summary>A member shop's published product with the SKU: its own id and slug, lowest gross price, availability.</summary>
public sealed record JointOffer(string TenantId, Guid ProductId, string Sku, string Slug, string Name, string? Brand, string? ImageUrl, decimal MinPriceGross, bool Available);

/// <param name="Total">How many SKUs match at any of the members.</param>
/// <param name="Skus">The best matching SKUs, best first; <paramref name="Offers"/> holds every member's product of each.</param>
public sealed record JointSearchAnswer(long Total, IReadOnlyList<string> Skus, IReadOnlyList<JointOffer> Offers, IReadOnlyList<FacetValue> Brands);
