namespace MachCommerce.Api.Catalog;

/// <summary>A category: its slug, names by language, parent (none: a root) and position among its siblings.</summary>
public sealed record CategoryInput(string? Slug, Dictionary<string, string>? Name, Guid? ParentId, int? Position);

public sealed record CategoryView(Guid Id, Guid? ParentId, string Slug, IReadOnlyDictionary<string, string> Name, int Position, int Version, IReadOnlyList<CategoryView> Children);

/// <summary>A variant's net price (EUR) for a customer group.</summary>
public sealed record PriceListEntry(string? Sku, decimal? PriceNet);

public sealed record PriceListInput(string? Name, List<PriceListEntry>? Entries);

public sealed record PriceListView(string CustomerGroup, string Name, int Version, IReadOnlyList<PriceListEntry> Entries);

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
