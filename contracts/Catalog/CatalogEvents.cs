namespace MachCommerce.Contracts.Catalog.V1;

/// <summary>
/// What personalization (and any other reader) needs to keep a read model of a product: its categories (with
/// their ancestors, so "garden" matches a lawnmower filed under "garden/lawn"), brand, attributes, prices and
/// availability, in the state after the change.
/// </summary>
public sealed record ProductSnapshot
{
    public required Guid ProductId { get; init; }
    public required string Sku { get; init; }
    public required string Slug { get; init; }
    public required string Status { get; init; }
    public string? Brand { get; init; }
    public required IReadOnlyDictionary<string, string> Name { get; init; }
    public required IReadOnlyList<Guid> CategoryIds { get; init; }
    public required IReadOnlyList<Guid> CategoryIdsWithAncestors { get; init; }
    /// <summary>Attribute values as text (lists as several values), e.g. material → ["Stahl"].</summary>
    public required IReadOnlyDictionary<string, IReadOnlyList<string>> Attributes { get; init; }
    public required decimal MinPriceGross { get; init; }
    public required string Currency { get; init; }
    public required bool Available { get; init; }
    public string? ImageUrl { get; init; }
    public required int Version { get; init; }
}

/// <summary>A product became visible to shoppers (status set to published).</summary>
public sealed record ProductPublished : IIntegrationEvent
{
    public required string TenantId { get; init; }
    public required DateTimeOffset OccurredAt { get; init; }
    public required ProductSnapshot Product { get; init; }
}

/// <summary>A product changed: texts, categories, attributes, variants, stock or status other than publishing.</summary>
public sealed record ProductChanged : IIntegrationEvent
{
    public required string TenantId { get; init; }
    public required DateTimeOffset OccurredAt { get; init; }
    public required ProductSnapshot Product { get; init; }
}

/// <summary>A product left the assortment: archived, or deleted (<see cref="Deleted"/>).</summary>
public sealed record ProductArchived : IIntegrationEvent
{
    public required string TenantId { get; init; }
    public required DateTimeOffset OccurredAt { get; init; }
    public required Guid ProductId { get; init; }
    public required string Sku { get; init; }
    public bool Deleted { get; init; }
}

/// <summary>A variant's list price changed (net and gross in EUR).</summary>
public sealed record PriceChanged : IIntegrationEvent
{
    public required string TenantId { get; init; }
    public required DateTimeOffset OccurredAt { get; init; }
    public required Guid ProductId { get; init; }
    public required string VariantSku { get; init; }
    public required decimal OldPriceNet { get; init; }
    public required decimal NewPriceNet { get; init; }
    public required decimal NewPriceGross { get; init; }
    public required decimal TaxRate { get; init; }
    public required string Currency { get; init; }
}
