namespace MachCommerce.Api.Catalog;

/// <summary>Take a central category (with all its subcategories and their products) or one central product.</summary>
public sealed record CentralSubscriptionInput(Guid? CategoryId, Guid? ProductId);

/// <param name="Kind">category or product.</param>
/// <param name="Products">How many of the shop's products come through this subscription now.</param>
public sealed record CentralSubscriptionView(string Kind, Guid CentralId, string Name, int Products, DateTimeOffset CreatedAt);

/// <summary>A central product the shop could not take because a product of its own has the SKU or slug; nothing was overwritten.</summary>
public sealed record CentralConflictView(Guid CentralProductId, string Sku, string Reason, DateTimeOffset DetectedAt);

/// <summary>What a subscription, a cancellation or a change of overrides did to the shop's catalog.</summary>
public sealed record CentralSyncResult(int Added, int Updated, int Removed, IReadOnlyList<CentralConflictView> Conflicts);

public sealed record CentralSubscriptionResult(CentralSubscriptionView Subscription, CentralSyncResult Sync);

/// <summary>One member's use of the central assortment, as its cooperative sees it: counts only.</summary>
public sealed record CentralMemberUse(string TenantId, int Subscriptions, int Products, int Overridden, int Conflicts);

/// <summary>
/// The central assortment from where the caller stands. A member shop sees the cooperative's central categories,
/// its subscriptions and conflicts; the cooperative itself (its central level) sees each member's use of it.
/// </summary>
public sealed record CentralAssortmentView(
    string Cooperative,
    bool IsCentral,
    IReadOnlyList<CategoryView> Categories,
    int PublishedProducts,
    IReadOnlyList<CentralSubscriptionView> Subscriptions,
    IReadOnlyList<CentralConflictView> Conflicts,
    IReadOnlyList<CentralMemberUse> Members);

/// <summary>A central product as a member may take it.</summary>
/// <param name="CopyId">The id of the shop's own copy, when it has taken the product.</param>
public sealed record CentralProductView(Guid CentralProductId, string Sku, string Name, string? Brand, decimal MinPriceGross, IReadOnlyList<Guid> CategoryIds, Guid? CopyId);

public sealed record CentralProductPage(IReadOnlyList<CentralProductView> Items, string? NextCursor);

/// <summary>
/// What a member shop changes on its copy of a central product; every field left out follows the central product.
/// The overrides survive central updates; a variant named here that the central product no longer has is ignored.
/// </summary>
public sealed record CentralOverridesInput
{
    /// <summary>True keeps the product out of the shop's storefront (as a draft) while the subscription stays.</summary>
    public bool? Hidden { get; init; }
    public Dictionary<string, string>? Name { get; init; }
    public Dictionary<string, string>? Description { get; init; }
    public List<ImageInput>? Images { get; init; }
    /// <summary>By variant SKU: the shop's own price and availability.</summary>
    public Dictionary<string, VariantOverrideInput>? Variants { get; init; }
}

public sealed record VariantOverrideInput
{
    /// <summary>Net price in EUR; give it or <see cref="PriceGross"/>.</summary>
    public decimal? PriceNet { get; init; }
    public decimal? PriceGross { get; init; }
    public int? StockQuantity { get; init; }
    public bool? Backorderable { get; init; }
}

/// <param name="ProductId">The shop's copy.</param>
public sealed record CentralOverridesView(Guid ProductId, Guid CentralProductId, CentralOverridesInput Overrides, int Version, DateTimeOffset? UpdatedAt);
