using System.Globalization;
using System.Text;
using System.Text.Json;
using MachCommerce.Gateway.Callers;
using MachCommerce.GraphQL.Execution;
using MachCommerce.GraphQL.Types;

namespace MachCommerce.Gateway.Storefront;

/// <summary>
/// A page of products as a Relay connection: the items with their cursors, whether a page follows or precedes it
/// (the catalog's next and previous cursors), and (for searches) the total.
/// </summary>
internal sealed record ProductPage(IReadOnlyList<JsonElement> Items, IReadOnlyList<string> Cursors, bool HasNext, bool HasPrevious, long? Total)
{
    /// <summary>The catalog's answer (a listing's or a search's): items, cursors, nextCursor, previousCursor.</summary>
    public static ProductPage Of(JsonElement page, long? total) =>
        new([.. page.Items("items")], [.. page.Items("cursors").Select(c => c.GetString()!)], page.Str("nextCursor") is not null, page.Str("previousCursor") is not null, total);
}

internal sealed record ProductEdge(string Cursor, JsonElement Node);

internal sealed record AttributeFacet(string Name, JsonElement Values);

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
        graph.Resolve("Query.search", SearchAsync, cost: 10);
        graph.Resolve("Query.node", context => NodeAsync(context, (string)context.Arguments["id"]!), cost: 2);
        graph.Resolve("Query.nodes", NodesAsync, cost: 5);
        graph.ResolveType("Node", node => ((JsonElement)node).Prop("sku") is null ? "Category" : "Product");
        foreach (var connection in new[] { "Query.products", "Query.search", "Category.products" })
        {
            graph.Field(connection).MaxPageSize = MaxPage;
        }

        graph.Json("Product.id");
        graph.Json("Product.sku");
        graph.Json("Product.slug");
        graph.Json("Product.name", "displayName");
        graph.Compute<JsonElement>("Product.description", (product, context) => product.Localized("description", StorefrontRequest.Of(context).Locale));
        graph.Json("Product.brand");
        graph.Resolve("Product.categories", async context =>
        {
            var index = await StorefrontRequest.Of(context).CategoriesAsync(context.CancellationToken);
            return ((JsonElement)context.Parent!).Items("categoryIds").Select(id => index.ById.GetValueOrDefault(id.GetString()!))
                .Where(category => category.ValueKind == JsonValueKind.Object).ToList();
        });
        graph.Json("Product.attributes");
        graph.Read<JsonElement>("Product.images", product => product.Items("images"));
        graph.Read<JsonElement>("Product.variants", product => product.Items("variants"));
        graph.Read<JsonElement>("Product.price", LowestPrice);
        graph.Json("Product.available");
        graph.Read<JsonElement>("Product.updatedAt", product => product.Prop("updatedAt")?.GetDateTimeOffset());

        graph.Json("Image.url");
        graph.Compute<JsonElement>("Image.alt", (image, context) => image.Localized("alt", StorefrontRequest.Of(context).Locale));

        graph.Json("Variant.sku");
        graph.Json("Variant.options", "displayOptions"); // in the shopper's language
        graph.Json("Variant.price");
        graph.Json("Variant.stockQuantity");
        graph.Json("Variant.available");

        graph.Read<JsonElement>("Price.amount", price => price.Prop("displayGross")?.GetBoolean() == false ? price.Dec("net") : price.Dec("gross"));
        graph.Json("Price.currency");
        graph.Read<JsonElement>("Price.net", price => price.Dec("net"));
        graph.Read<JsonElement>("Price.gross", price => price.Dec("gross"));
        graph.Read<JsonElement>("Price.taxRate", price => price.Dec("taxRate"));
        graph.Read<JsonElement>("Price.compareAt", price => price.Prop("displayGross")?.GetBoolean() == false ? price.Dec("compareAtNet") : price.Dec("compareAtGross"));
        graph.Json("Price.priceList");
        graph.Read<JsonElement>("Price.displayGross", price => price.Prop("displayGross")?.GetBoolean() ?? true);

        graph.Json("Category.id");
        graph.Json("Category.slug");
        graph.Compute<JsonElement>("Category.name", (category, context) => category.Localized("name", StorefrontRequest.Of(context).Locale) ?? category.Str("slug"));
        graph.Resolve("Category.parent", async context =>
        {
            var parentId = ((JsonElement)context.Parent!).Str("parentId");
            return parentId is null ? null : (await StorefrontRequest.Of(context).CategoriesAsync(context.CancellationToken)).ById.GetValueOrDefault(parentId) is { ValueKind: JsonValueKind.Object } parent ? parent : null;
        });
        graph.Read<JsonElement>("Category.children", category => category.Items("children"));
        graph.Resolve("Category.products", context => ListAsync(context, categoryId: ((JsonElement)context.Parent!).Str("id")), cost: 5);

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

        graph.Read<JsonElement>("SearchResult.products", result => ProductPage.Of(result, result.Prop("total")?.GetInt64()));
        graph.Read<JsonElement>("SearchResult.totalCount", result => (int)Math.Min(result.Prop("total")?.GetInt64() ?? 0, int.MaxValue));
        graph.Json("SearchResult.facets");
        graph.Read<JsonElement>("SearchResult.relaxed", result => result.Prop("relaxed")?.GetBoolean() ?? false);
        graph.Read<JsonElement>("SearchResult.fuzzy", result => result.Prop("fuzzy")?.GetBoolean() ?? false);
        graph.Read<JsonElement>("Facets.brands", facets => facets.Items("brands"));
        graph.Read<JsonElement>("Facets.categories", facets => facets.Items("categories"));
        graph.Read<JsonElement>("Facets.prices", facets => facets.Items("prices"));
        graph.Read<JsonElement>("Facets.attributes", facets => facets.Prop("attributes") is { ValueKind: JsonValueKind.Object } attributes
            ? attributes.EnumerateObject().Select(a => new AttributeFacet(a.Name, a.Value)).ToList()
            : []);
        graph.Json("FacetValue.value");
        graph.Json("FacetValue.label");
        graph.Json("FacetValue.count");
        graph.Read<JsonElement>("PriceBucket.from", bucket => bucket.Dec("from"));
        graph.Read<JsonElement>("PriceBucket.to", bucket => bucket.Dec("to"));
        graph.Json("PriceBucket.count");
        graph.Read<AttributeFacet>("AttributeFacet.name", facet => facet.Name);
        graph.Read<AttributeFacet>("AttributeFacet.values", facet => facet.Values.ValueKind == JsonValueKind.Array ? facet.Values.EnumerateArray() : []);
    }

    /// <summary>A product or a category by its id (UUIDs are unique across both); null for an id that is neither.</summary>
    private static async Task<object?> NodeAsync(ResolveContext context, string id)
    {
        if (!Guid.TryParse(id, out _))
        {
            return null;
        }

        var request = StorefrontRequest.Of(context);
        var categories = await request.CategoriesAsync(context.CancellationToken);
        return categories.ById.GetValueOrDefault(id) is { ValueKind: JsonValueKind.Object } category ? category : await request.ProductAsync(context, id);
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
    private static object? LowestPrice(JsonElement product)
    {
        var variants = product.Items("variants").ToList();
        var candidates = variants.Where(v => v.Prop("available")?.GetBoolean() == true).ToList() is { Count: > 0 } available ? available : variants;
        return candidates.Select(v => v.Prop("price")).Where(p => p is not null).MinBy(p => p!.Value.Dec("gross") ?? decimal.MaxValue);
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
            return Guid.TryParse(id, out _) ? await request.ProductAsync(context, id) : null;
        }

        var path = sku is not null ? $"products/by-sku/{Uri.EscapeDataString(sku)}" : $"products/by-slug/{Uri.EscapeDataString(slug!)}";
        return await request.Services.GetAsync(request.Caller, "catalog", path, context.CancellationToken, locale: request.Locale);
    }

    private static async Task<object?> ListAsync(ResolveContext context, string? categoryId)
    {
        var request = StorefrontRequest.Of(context);
        var query = PageQuery(context, categoryId, defaultSort: "newest");
        var page = await request.Services.GetAsync(request.Caller, "catalog", "products?" + query, context.CancellationToken, locale: request.Locale);
        return page is { } found ? ProductPage.Of(found, null) : null;
    }

    private static async Task<object?> SearchAsync(ResolveContext context)
    {
        var request = StorefrontRequest.Of(context);
        var text = (string)context.Arguments["query"]!;
        var query = PageQuery(context, categoryId: null, defaultSort: null);
        query.Append("&q=").Append(Uri.EscapeDataString(text));
        if (context.Arguments.GetValueOrDefault("facets") is List<object?> { Count: > 0 } facets)
        {
            query.Append("&facets=").Append(Uri.EscapeDataString(string.Join(',', facets.Select(f => $"attr.{f}"))));
        }

        return await request.Services.GetAsync(request.Caller, "catalog", "search?" + query, context.CancellationToken, locale: request.Locale);
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
