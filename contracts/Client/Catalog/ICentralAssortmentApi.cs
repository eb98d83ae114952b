namespace MachCommerce.Client.Catalog;

/// <summary>
/// A member shop's side of its cooperative's central assortment (at <c>/api/catalog/central</c>; every call needs
/// catalog:write: what the shop could take is its merchant's business, not a storefront's). Subscribed central products are the shop's products: read them with
/// <see cref="ICatalogApi"/>, change the shop's part of them (price, stock, texts, images, hidden) here.
/// </summary>
public interface ICentralAssortmentApi
{
    /// <summary>The central categories, the shop's subscriptions and conflicts (at the cooperative's central level: each member's use, in counts).</summary>
    [Get("/api/catalog/central")]
    Task<CentralAssortmentView> GetAsync(CancellationToken cancellationToken = default);

    /// <summary>The published central products by id, each with the shop's copy when it took it.</summary>
    [Get("/api/catalog/central/products")]
    Task<CentralProductPage> ListProductsAsync(Guid? categoryId = null, string? cursor = null, int? limit = null, CancellationToken cancellationToken = default);

    /// <summary>Takes a central category (with its subcategories) or one central product; SKUs the shop has already are reported, not overwritten.</summary>
    [Post("/api/catalog/central/subscriptions")]
    Task<CentralSubscriptionResult> SubscribeAsync([Body] CentralSubscriptionInput subscription, CancellationToken cancellationToken = default);

    /// <param name="kind">category or product.</param>
    [Delete("/api/catalog/central/subscriptions/{kind}/{centralId}")]
    Task<CentralSyncResult> CancelAsync(string kind, Guid centralId, CancellationToken cancellationToken = default);

    /// <param name="productId">The shop's copy of the central product.</param>
    [Get("/api/catalog/central/overrides/{productId}")]
    Task<CentralOverridesView> GetOverridesAsync(Guid productId, CancellationToken cancellationToken = default);

    /// <param name="ifMatch">The overrides' version the change is based on (<see cref="ETags.Of(int)"/>), or null to replace whatever is there.</param>
    [Put("/api/catalog/central/overrides/{productId}")]
    Task<CentralOverridesView> ReplaceOverridesAsync(Guid productId, [Body] CentralOverridesInput changes, [Header("If-Match")] string? ifMatch = null,
        CancellationToken cancellationToken = default);

    /// <summary>The copy follows the central product wholly again.</summary>
    [Delete("/api/catalog/central/overrides/{productId}")]
    Task ResetOverridesAsync(Guid productId, CancellationToken cancellationToken = default);
}
