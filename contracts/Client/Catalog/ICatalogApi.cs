namespace MachCommerce.Client.Catalog;

/// <summary>The catalog's REST API at the gateway (<c>/api/catalog</c>): products (read needs catalog:read, write catalog:write).</summary>
public interface ICatalogApi
{
    /// <summary>One page of products, newest first; filters as in the API's documentation.</summary>
    [Get("/api/catalog/products")]
    Task<Page<ProductView>> ListProductsAsync(string? cursor = null, int? limit = null, string? brand = null, Guid? category = null, bool? available = null,
        string? locale = null, CancellationToken cancellationToken = default);

    [Get("/api/catalog/products/{id}")]
    Task<ProductView> GetProductAsync(Guid id, string? locale = null, CancellationToken cancellationToken = default);

    [Get("/api/catalog/products/by-sku/{sku}")]
    Task<ProductView> GetProductBySkuAsync(string sku, string? locale = null, CancellationToken cancellationToken = default);

    [Post("/api/catalog/products/batch-get")]
    Task<BatchGetResponse> GetProductsAsync([Body] BatchGetRequest request, CancellationToken cancellationToken = default);

    [Post("/api/catalog/products")]
    Task<ProductView> CreateProductAsync([Body] ProductInput product, CancellationToken cancellationToken = default);

    /// <param name="ifMatch">The version the change is based on: <see cref="ETags.Of(int)"/> of the product's version.</param>
    [Put("/api/catalog/products/{id}")]
    Task<ProductView> ReplaceProductAsync(Guid id, [Body] ProductInput product, [Header("If-Match")] string ifMatch, CancellationToken cancellationToken = default);

    [Post("/api/catalog/products/{id}/archive")]
    Task ArchiveProductAsync(Guid id, [Header("If-Match")] string ifMatch, CancellationToken cancellationToken = default);

    [Delete("/api/catalog/products/{id}")]
    Task DeleteProductAsync(Guid id, [Header("If-Match")] string ifMatch, CancellationToken cancellationToken = default);

    /// <summary>Creates or replaces up to 1,000 products by SKU; each item's outcome is in the answer.</summary>
    [Post("/api/catalog/products/bulk")]
    Task<BulkUpsertResponse> UpsertProductsAsync([Body] BulkUpsertRequest request, CancellationToken cancellationToken = default);
}

/// <summary>Categories, price lists and search (at <c>/api/catalog</c>): categories read with catalog:read, everything else written or read with catalog:write.</summary>
public interface ICatalogStructureApi
{
    /// <summary>The whole category tree: the roots, each with its children.</summary>
    [Get("/api/catalog/categories")]
    Task<List<CategoryView>> GetCategoryTreeAsync(CancellationToken cancellationToken = default);

    /// <summary>One category with its subtree.</summary>
    [Get("/api/catalog/categories/{id}")]
    Task<CategoryView> GetCategoryAsync(Guid id, CancellationToken cancellationToken = default);

    [Post("/api/catalog/categories")]
    Task<CategoryView> CreateCategoryAsync([Body] CategoryInput category, CancellationToken cancellationToken = default);

    [Put("/api/catalog/categories/{id}")]
    Task<CategoryView> ReplaceCategoryAsync(Guid id, [Body] CategoryInput category, [Header("If-Match")] string ifMatch, CancellationToken cancellationToken = default);

    /// <summary>Only an empty category (no children, no products) can be deleted.</summary>
    [Delete("/api/catalog/categories/{id}")]
    Task DeleteCategoryAsync(Guid id, CancellationToken cancellationToken = default);

    /// <summary>The customer groups' price lists, without their entries.</summary>
    [Get("/api/catalog/price-lists")]
    Task<List<PriceListView>> ListPriceListsAsync(CancellationToken cancellationToken = default);

    [Get("/api/catalog/price-lists/{customerGroup}")]
    Task<PriceListView> GetPriceListAsync(string customerGroup, CancellationToken cancellationToken = default);

    /// <summary>Replaces the group's whole list (an ERP export: up to 20,000 net prices by variant SKU).</summary>
    [Put("/api/catalog/price-lists/{customerGroup}")]
    Task<PriceListView> ReplacePriceListAsync(string customerGroup, [Body] PriceListInput priceList, CancellationToken cancellationToken = default);

    [Delete("/api/catalog/price-lists/{customerGroup}")]
    Task DeletePriceListAsync(string customerGroup, CancellationToken cancellationToken = default);

    /// <summary>Full-text search with typo tolerance and facets; <paramref name="q"/> up to 200 characters (empty: every product, with facets).</summary>
    /// <param name="status">draft, published or archived, comma-separated; only with catalog:write (others see published products).</param>
    [Get("/api/catalog/search")]
    Task<SearchResponse> SearchAsync(string q, Guid? category = null, string? brand = null, decimal? minPrice = null, decimal? maxPrice = null, bool? available = null,
        string? sort = null, int? limit = null, string? cursor = null, string? locale = null, string? status = null, CancellationToken cancellationToken = default);
}

public static class CatalogApiExtensions
{
    /// <summary>Every product (of the filters), page after page.</summary>
    public static IAsyncEnumerable<ProductView> AllProductsAsync(this ICatalogApi catalog, string? brand = null, Guid? category = null, string? locale = null,
        CancellationToken cancellationToken = default) =>
        Pages.ReadAllAsync((cursor, ct) => catalog.ListProductsAsync(cursor, 100, brand, category, null, locale, ct), page => page.Items, page => page.NextCursor, cancellationToken);
}
