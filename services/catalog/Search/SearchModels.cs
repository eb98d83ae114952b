using MachCommerce.Catalog.Products;

namespace MachCommerce.Catalog.Search;

public sealed record FacetValue(string Value, long Count, string? Label = null);

public sealed record PriceBucket(decimal? From, decimal? To, long Count);

public sealed record Facets(
    IReadOnlyList<FacetValue> Brands,
    IReadOnlyList<FacetValue> Categories,
    IReadOnlyList<PriceBucket> Prices,
    IReadOnlyDictionary<string, IReadOnlyList<FacetValue>> Attributes);

/// <param name="Relaxed">True when no product matched every word and the results match fewer of them.</param>
/// <param name="Fuzzy">True when the results are spelling or compound-word matches (no exact word matched).</param>
public sealed record SearchResponse(IReadOnlyList<ProductView> Items, long Total, Facets Facets, string? NextCursor, bool Relaxed, bool Fuzzy, string? PreviousCursor = null,
    IReadOnlyList<string>? Cursors = null);
