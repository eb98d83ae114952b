namespace MachCommerce.Api.Catalog;

/// <summary>A product as a client writes it (create, replace, bulk upsert). Everything is optional here so that
/// validation, not deserialisation, says what is missing.</summary>
public sealed record ProductInput
{
    public string? Sku { get; init; }
    public string? Slug { get; init; }
    /// <summary>draft (default), published or archived.</summary>
    public string? Status { get; init; }
    public string? Brand { get; init; }
    /// <summary>Language code → text, e.g. { "de": "Akku-Bohrschrauber", "en": "Cordless drill" }.</summary>
    public Dictionary<string, string>? Name { get; init; }
    public Dictionary<string, string>? Description { get; init; }
    public List<Guid>? CategoryIds { get; init; }
    /// <summary>Free-form attributes: text, number, boolean, or a list of those.</summary>
    public Dictionary<string, JsonElement>? Attributes { get; init; }
    public List<ImageInput>? Images { get; init; }
    public List<VariantInput>? Variants { get; init; }
}

public sealed record ImageInput
{
    public string? Url { get; init; }
    public Dictionary<string, string>? Alt { get; init; }
}

public sealed record VariantInput
{
    public string? Sku { get; init; }
    /// <summary>Option attributes that tell variants apart, e.g. { "size": "M", "colour": "rot" }.</summary>
    public Dictionary<string, string>? Options { get; init; }
    /// <summary>
    /// The options as shoppers read them, by language: { "en": { "colour": "red" } } beside { "colour": "rot" }.
    /// An option without a label in the caller's language shows its own value.
    /// </summary>
    public Dictionary<string, Dictionary<string, string>>? OptionLabels { get; init; }
    /// <summary>Net price in EUR; give it or <see cref="PriceGross"/>.</summary>
    public decimal? PriceNet { get; init; }
    public decimal? PriceGross { get; init; }
    /// <summary>VAT rate as a fraction: 0.19, 0.07 or 0.</summary>
    public decimal? TaxRate { get; init; }
    public decimal? CompareAtNet { get; init; }
    public int? StockQuantity { get; init; }
    public bool Backorderable { get; init; }
}

/// <summary>A price as shown to one caller: the list price, or the caller's customer-group price when one exists.</summary>
public sealed record PriceView(decimal Net, decimal Gross, decimal TaxRate, string Currency, decimal? CompareAtNet, decimal? CompareAtGross, string? PriceList, bool DisplayGross);

/// <param name="Options">The shop's own option values (what filters and feeds use).</param>
/// <param name="OptionLabels">The options by language, as written.</param>
/// <param name="DisplayOptions">The options in the caller's language: its label where there is one, else the value.</param>
public sealed record VariantView(string Sku, IReadOnlyDictionary<string, string> Options, PriceView Price, int StockQuantity, bool Backorderable, bool Available,
    IReadOnlyDictionary<string, Dictionary<string, string>> OptionLabels, IReadOnlyDictionary<string, string> DisplayOptions);

public sealed record ImageView(string Url, IReadOnlyDictionary<string, string> Alt);

public sealed record ProductView
{
    public required Guid Id { get; init; }
    public required string Sku { get; init; }
    public required string Slug { get; init; }
    public required string Status { get; init; }
    public string? Brand { get; init; }
    public required IReadOnlyDictionary<string, string> Name { get; init; }
    public required IReadOnlyDictionary<string, string> Description { get; init; }
    /// <summary>The name in the requested language, else the tenant's default language, else any.</summary>
    public required string DisplayName { get; init; }
    public required IReadOnlyList<Guid> CategoryIds { get; init; }
    public required JsonElement Attributes { get; init; }
    public required IReadOnlyList<ImageView> Images { get; init; }
    public required IReadOnlyList<VariantView> Variants { get; init; }
    public required decimal MinPriceGross { get; init; }
    public required bool Available { get; init; }
    public required int Version { get; init; }
    public required DateTimeOffset CreatedAt { get; init; }
    public required DateTimeOffset UpdatedAt { get; init; }
}

/// <summary>
/// A page of a listing: its items, each item's cursor (a page may start after or end before any of them), the
/// cursor of the page after it (<c>cursor=</c>) and of the page before it (<c>before=</c>), null where there is none.
/// </summary>
public sealed record Page<T>(IReadOnlyList<T> Items, string? NextCursor, string? PreviousCursor = null, IReadOnlyList<string>? Cursors = null);

public sealed record BatchGetRequest(List<Guid>? Ids);

public sealed record BatchGetResponse(IReadOnlyList<ProductView> Items, IReadOnlyList<Guid> Missing);

public sealed record BulkUpsertRequest(List<ProductInput>? Items);

public sealed record BulkItemResult(int Index, string? Sku, string Status, Guid? Id, int? Version, IReadOnlyDictionary<string, string[]>? Errors);

public sealed record BulkUpsertResponse(int Created, int Updated, int Failed, IReadOnlyList<BulkItemResult> Items);
