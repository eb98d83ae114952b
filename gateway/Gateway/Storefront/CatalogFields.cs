using MachCommerce.Gateway.Callers;
using MachCommerce.Gateway.Services;

namespace MachCommerce.Gateway.Storefront;

/// <summary>
/// A page of products as a Relay connection: the items with their cursors, whether a page follows or precedes it
/// (the catalog's next and previous cursors), and (for searches) the total.
/// </summary>
internal sealed record ProductPage(IReadOnlyList<ProductView> Items, IReadOnlyList<string> Cursors, bool HasNext, bool HasPrevious, long? Total)
{
    public static ProductPage Of(Page<ProductView> page) => new(page.Items, page.Cursors ?? [], page.NextCursor is not null, page.PreviousCursor is not null, null);

    public static ProductPage Of(SearchResponse result) =>
        new(result.Items, result.Cursors ?? [], result.NextCursor is not null, result.PreviousCursor is not null, result.Total);
}

internal sealed record ProductEdge(string Cursor, ProductView Node);

internal sealed record AttributeFacet(string Name, IReadOnlyList<FacetValue> Values);

/// <summary>A mistake in a GraphQL request's arguments, reported as the field's error in the client's terms.</summary>
internal sealed class StorefrontArgumentException(string message) : Exception(message);

/// <summary>Products, categories and search: the catalog service's answers shaped for the storefront schema.</summary>
internal static class CatalogFields
{
    public const int MaxPage = 100;

    public static void Wire(GraphWiring graph)
    {
        graph.Resolve("Query.products", context => ListAsync(context, categoryId: null), cost: 5);
        graph.Resolve("Query.product", ProductAsync, cost: 2);
        graph.Resolve("Query.categories", async context => (await StorefrontRequest.Of(context).CategoriesAsync(context.CancellationToken)).Roots, cost: 2);
        graph.Resolve("Query.category", CategoryAsync, cost: 2);
        graph.Resolve("Query.search", SearchAsync, cost: 10);
        graph.Resolve("Query.node", context => NodeAsync(context, (string)context.Arguments["id"]!), cost: 2);
        graph.Resolve("Query.nodes", NodesAsync, cost: 5);
        graph.ResolveType("Node", node => node is CategoryView ? "Category" : "Product");
        foreach (var connection in new[] { "Query.products", "Query.search", "Category.products" })
        {
            graph.Field(connection).MaxPageSize = MaxPage;
        }

        graph.Read<ProductView>("Product.id", product => product.Id);
        graph.Read<ProductView>("Product.sku", product => product.Sku);
        graph.Read<ProductView>("Product.slug", product => product.Slug);
        graph.Read<ProductView>("Product.name", product => product.DisplayName);
        graph.Compute<ProductView>("Product.description", (product, context) => Localized(product.Description, StorefrontRequest.Of(context).Locale));
        graph.Read<ProductView>("Product.brand", product => product.Brand);
        graph.Resolve("Product.categories", async context =>
        {
            var index = await StorefrontRequest.Of(context).CategoriesAsync(context.CancellationToken);
            return ((ProductView)context.Parent!).CategoryIds.Select(id => index.ById.GetValueOrDefault(id)).Where(category => category is not null).ToList();
        });
        graph.Read<ProductView>("Product.attributes", product => product.Attributes.ValueKind is JsonValueKind.Undefined or JsonValueKind.Null ? null : product.Attributes);
        graph.Read<ProductView>("Product.images", product => product.Images);
        graph.Read<ProductView>("Product.variants", product => product.Variants);
        graph.Read<ProductView>("Product.price", LowestPrice);
        graph.Read<ProductView>("Product.available", product => product.Available);
        graph.Read<ProductView>("Product.updatedAt", product => product.UpdatedAt);

        graph.Read<ImageView>("Image.url", image => image.Url);
        graph.Compute<ImageView>("Image.alt", (image, context) => Localized(image.Alt, StorefrontRequest.Of(context).Locale));

        graph.Read<VariantView>("Variant.sku", variant => variant.Sku);
        graph.Read<VariantView>("Variant.options", variant => variant.DisplayOptions); // in the shopper's language
        graph.Read<VariantView>("Variant.price", variant => variant.Price);
        graph.Read<VariantView>("Variant.stockQuantity", variant => variant.StockQuantity);
        graph.Read<VariantView>("Variant.available", variant => variant.Available);

        // B2B customers see net prices (displayGross false), everybody else gross.
        graph.Read<PriceView>("Price.amount", price => price.DisplayGross ? price.Gross : price.Net);
        graph.Read<PriceView>("Price.currency", price => price.Currency);
        graph.Read<PriceView>("Price.net", price => price.Net);
        graph.Read<PriceView>("Price.gross", price => price.Gross);
        graph.Read<PriceView>("Price.taxRate", price => price.TaxRate);
        graph.Read<PriceView>("Price.compareAt", price => price.DisplayGross ? price.CompareAtGross : price.CompareAtNet);
        graph.Read<PriceView>("Price.priceList", price => price.PriceList);
        graph.Read<PriceView>("Price.displayGross", price => price.DisplayGross);

        graph.Read<CategoryView>("Category.id", category => category.Id);
        graph.Read<CategoryView>("Category.slug", category => category.Slug);
        graph.Compute<CategoryView>("Category.name", (category, context) => Localized(category.Name, StorefrontRequest.Of(context).Locale) ?? category.Slug);
        graph.Resolve("Category.parent", async context =>
            ((CategoryView)context.Parent!).ParentId is { } parentId ? (await StorefrontRequest.Of(context).CategoriesAsync(context.CancellationToken)).ById.GetValueOrDefault(parentId) : null);
        graph.Read<CategoryView>("Category.children", category => category.Children);
        graph.Resolve("Category.products", context => ListAsync(context, categoryId: ((CategoryView)context.Parent!).Id.ToString()), cost: 5);

        graph.Read<ProductPage>("ProductConnection.edges", page => page.Items.Select((item, i) => new ProductEdge(page.Cursors[i], item)));
        graph.Read<ProductPage>("ProductConnection.nodes", page => page.Items);
        graph.Read<ProductPage>("ProductConnection.pageInfo", page => page);
        graph.Read<ProductPage>("ProductConnection.totalCount", page => page.Total is { } total ? (int)Math.Min(total, int.MaxValue) : null);
        graph.Read<ProductEdge>("ProductEdge.cursor", edge => edge.Cursor);
        graph.Read<ProductEdge>("ProductEdge.node", edge => edge.Node);
        graph.Read<ProductPage>("PageInfo.hasNextPage", page => page.HasNext);
        graph.Read<ProductPage>("PageInfo.hasPreviousPage", page => page.HasPrevious);
        graph.Read<ProductPage>("PageInfo.startCursor", page => page.Cursors.Count > 0 ? page.Cursors[0] : null);
        graph.Read<ProductPage>("PageInfo.endCursor", page => page.Cursors.Count > 0 ? page.Cursors[^1] : null);

        graph.Read<SearchResponse>("SearchResult.products", ProductPage.Of);
        graph.Read<SearchResponse>("SearchResult.totalCount", result => (int)Math.Min(result.Total, int.MaxValue));
        graph.Read<SearchResponse>("SearchResult.facets", result => result.Facets);
        graph.Read<SearchResponse>("SearchResult.relaxed", result => result.Relaxed);
        graph.Read<SearchResponse>("SearchResult.fuzzy", result => result.Fuzzy);
        graph.Read<Facets>("Facets.brands", facets => facets.Brands);
        graph.Read<Facets>("Facets.categories", facets => facets.Categories);
        graph.Read<Facets>("Facets.prices", facets => facets.Prices);
        graph.Read<Facets>("Facets.attributes", facets => facets.Attributes.Select(a => new AttributeFacet(a.Key, a.Value)).ToList());
        graph.Read<FacetValue>("FacetValue.value", facet => facet.Value);
        graph.Read<FacetValue>("FacetValue.label", facet => facet.Label);
        graph.Read<FacetValue>("FacetValue.count", facet => facet.Count);
        graph.Read<PriceBucket>("PriceBucket.from", bucket => bucket.From);
        graph.Read<PriceBucket>("PriceBucket.to", bucket => bucket.To);
        graph.Read<PriceBucket>("PriceBucket.count", bucket => bucket.Count);
        graph.Read<AttributeFacet>("AttributeFacet.name", facet => facet.Name);
        graph.Read<AttributeFacet>("AttributeFacet.values", facet => facet.Values);
    }

    /// <summary>The text in the shopper's language, else German (the platform's first language), else any there is.</summary>
    private static string? Localized(IReadOnlyDictionary<string, string> texts, string locale) =>
        texts.GetValueOrDefault(locale) ?? texts.GetValueOrDefault("de") ?? texts.Values.FirstOrDefault();

    /// <summary>A product or a category by its id (UUIDs are unique across both); null for an id that is neither.</summary>
    private static async Task<object?> NodeAsync(ResolveContext context, string id)
    {
        if (!Guid.TryParse(id, out var key))
        {
            return null;
        }

        var request = StorefrontRequest.Of(context);
        var categories = await request.CategoriesAsync(context.CancellationToken);
        return categories.ById.GetValueOrDefault(key) is { } category ? category : await request.ProductAsync(context, key);
    }

    private static async Task<object?> NodesAsync(ResolveContext context)
    {
        var ids = (List<object?>)context.Arguments["ids"]!;
        if (ids.Count > MaxPage)
        {
            throw new StorefrontArgumentException($"ids must hold at most {MaxPage} ids.");
        }

        return await Task.WhenAll(ids.Select(id => NodeAsync(context, (string)id!)));
    }

    /// <summary>The price a shopper sees first: the lowest of the available variants (of all, when none is available).</summary>
    private static PriceView? LowestPrice(ProductView product)
    {
        var candidates = product.Variants.Where(v => v.Available).ToList() is { Count: > 0 } available ? available : product.Variants;
        return candidates.Select(v => v.Price).MinBy(p => p.Gross);
    }

    private static async Task<object?> ProductAsync(ResolveContext context)
    {
        var request = StorefrontRequest.Of(context);
        var id = context.Arguments.GetValueOrDefault("id") as string;
        var sku = context.Arguments.GetValueOrDefault("sku") as string;
        var slug = context.Arguments.GetValueOrDefault("slug") as string;
        if (new[] { id, sku, slug }.Count(k => k is not null) != 1)
        {
            throw new StorefrontArgumentException("Name the product by exactly one of id, sku or slug.");
        }

        if (id is not null)
        {
            // By id through the batch loader: a page asking for the same product twice costs one call.
            return Guid.TryParse(id, out var key) ? await request.ProductAsync(context, key) : null;
        }

        var path = sku is not null ? $"products/by-sku/{Uri.EscapeDataString(sku)}" : $"products/by-slug/{Uri.EscapeDataString(slug!)}";
        return await request.Services.GetAsync(request.Caller, "catalog", path, ServiceJson.Default.ProductView, context.CancellationToken, locale: request.Locale);
    }

    /// <summary>A category by id or slug from the request's one copy of the tree (a page linking by slug needs no second request).</summary>
    private static async Task<object?> CategoryAsync(ResolveContext context)
    {
        var id = context.Arguments.GetValueOrDefault("id") as string;
        var slug = context.Arguments.GetValueOrDefault("slug") as string;
        if ((id is null) == (slug is null))
        {
            throw new StorefrontArgumentException("Name the category by exactly one of id or slug.");
        }

        var index = await StorefrontRequest.Of(context).CategoriesAsync(context.CancellationToken);
        return id is not null
            ? Guid.TryParse(id, out var key) ? index.ById.GetValueOrDefault(key) : null
            : index.ById.Values.FirstOrDefault(category => string.Equals(category.Slug, slug, StringComparison.OrdinalIgnoreCase));
    }

    /// <summary>filter.categorySlug as the category's id (from the request's one copy of the tree); null when not given.</summary>
    private static async Task<string?> CategoryBySlugAsync(ResolveContext context)
    {
        var filter = context.Arguments.GetValueOrDefault("filter") as IReadOnlyDictionary<string, object?>;
        if (filter?.GetValueOrDefault("categorySlug") is not string slug)
        {
            return null;
        }

        if (filter.GetValueOrDefault("category") is not null)
        {
            throw new StorefrontArgumentException("filter: give category or categorySlug, not both.");
        }

        var index = await StorefrontRequest.Of(context).CategoriesAsync(context.CancellationToken);
        return index.ById.Values.FirstOrDefault(category => string.Equals(category.Slug, slug, StringComparison.OrdinalIgnoreCase))?.Id.ToString()
            ?? throw new StorefrontArgumentException($"filter.categorySlug: this shop has no category \"{slug}\".");
    }

    private static async Task<object?> ListAsync(ResolveContext context, string? categoryId)
    {
        var request = StorefrontRequest.Of(context);
        var query = PageQuery(context, categoryId ?? await CategoryBySlugAsync(context), defaultSort: "newest");
        var page = await request.Services.GetAsync(request.Caller, "catalog", "products?" + query, ServiceJson.Default.PageProductView, context.CancellationToken, locale: request.Locale);
        return page is { } found ? ProductPage.Of(found) : null;
    }

    private static async Task<object?> SearchAsync(ResolveContext context)
    {
        var request = StorefrontRequest.Of(context);
        var text = (string)context.Arguments["query"]!;
        var query = PageQuery(context, await CategoryBySlugAsync(context), defaultSort: null);
        query.Append("&q=").Append(Uri.EscapeDataString(text));
        if (context.Arguments.GetValueOrDefault("facets") is List<object?> { Count: > 0 } facets)
        {
            query.Append("&facets=").Append(Uri.EscapeDataString(string.Join(',', facets.Select(f => $"attr.{f}"))));
        }

        return await request.Services.GetAsync(request.Caller, "catalog", "search?" + query, ServiceJson.Default.SearchResponse, context.CancellationToken, locale: request.Locale);
    }

    /// <summary>
    /// Relay's paging arguments as the catalog's: first/after forward (first defaults to 20), last/before backward.
    /// Their sizes were checked before anything ran (<see cref="GraphQL.Types.OutputField.MaxPageSize"/>).
    /// </summary>
    private static StringBuilder PageQuery(ResolveContext context, string? categoryId, string? defaultSort)
    {
        // first has a default in the schema; only a first the client wrote competes with last.
        var firstGiven = context.FieldNodes[0].Arguments.Any(a => a.Name.Value == "first");
        var last = context.Arguments.GetValueOrDefault("last") as int?;
        var after = context.Arguments.GetValueOrDefault("after") as string;
        var before = context.Arguments.GetValueOrDefault("before") as string;
        if (last is not null && firstGiven || after is not null && before is not null)
        {
            throw new StorefrontArgumentException("Page forward with first/after or backward with last/before, not both.");
        }

        if (last is null && before is not null)
        {
            throw new StorefrontArgumentException("before pages backward: give last with it.");
        }

        var query = new StringBuilder().Append(CultureInfo.InvariantCulture, $"limit={last ?? context.Arguments.GetValueOrDefault("first") as int? ?? 20}");
        if (after is not null)
        {
            query.Append("&cursor=").Append(Uri.EscapeDataString(after));
        }

        if (before is not null)
        {
            query.Append("&before=").Append(Uri.EscapeDataString(before));
        }

        var sort = context.Arguments.GetValueOrDefault("sort") switch
        {
            "PRICE_ASC" => "price",
            "PRICE_DESC" => "-price",
            "NAME" => "name",
            "RELEVANCE" => "relevance",
            "NEWEST" => "newest",
            _ => defaultSort,
        };
        if (sort is not null)
        {
            query.Append("&sort=").Append(sort);
        }

        var filter = context.Arguments.GetValueOrDefault("filter") as IReadOnlyDictionary<string, object?>;
        var category = categoryId ?? filter?.GetValueOrDefault("category") as string;
        if (category is not null)
        {
            query.Append("&category=").Append(Uri.EscapeDataString(category));
        }

        if (filter is null)
        {
            return query;
        }

        foreach (var brand in filter.GetValueOrDefault("brands") as List<object?> ?? [])
        {
            query.Append("&brand=").Append(Uri.EscapeDataString((string)brand!));
        }

        if (filter.GetValueOrDefault("minPrice") is decimal min)
        {
            query.Append(CultureInfo.InvariantCulture, $"&minPrice={min}");
        }

        if (filter.GetValueOrDefault("maxPrice") is decimal max)
        {
            query.Append(CultureInfo.InvariantCulture, $"&maxPrice={max}");
        }

        if (filter.GetValueOrDefault("available") is bool available)
        {
            query.Append("&available=").Append(available ? "true" : "false");
        }

        foreach (var attribute in filter.GetValueOrDefault("attributes") as List<object?> ?? [])
        {
            var entry = (IReadOnlyDictionary<string, object?>)attribute!;
            var values = ((List<object?>)entry["values"]!).Select(v => (string)v!);
            query.Append("&attr.").Append(Uri.EscapeDataString((string)entry["name"]!)).Append('=').Append(Uri.EscapeDataString(string.Join(',', values)));
        }

        return query;
    }
}
