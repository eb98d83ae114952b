using MachCommerce.Gateway.Cooperatives;

namespace MachCommerce.Gateway.Storefront;

/// <summary>
/// The cooperative's joint assortment in the storefront schema: <c>jointSearch</c> over every member shop, and a
/// product's <c>memberShops</c> (the same SKU at the other members, nearest first): the REST routes' work
/// (<see cref="JointSearch"/>) shaped for GraphQL.
/// </summary>
internal static class JointFields
{
    public static void Wire(GraphWiring graph)
    {
        graph.Resolve("Query.jointSearch", JointSearchAsync, cost: 20);
        graph.Resolve("Product.memberShops", MemberShopsAsync, cost: 5);

        graph.Read<JointSearchResult>("JointSearchResult.totalCount", result => (int)Math.Min(result.Total, int.MaxValue));
        graph.Read<JointSearchResult>("JointSearchResult.items", result => result.Items);
        graph.Read<JointSearchResult>("JointSearchResult.brands", result => result.Brands);

        graph.Read<JointSearchHit>("JointProduct.sku", hit => hit.Sku);
        graph.Read<JointSearchHit>("JointProduct.name", hit => hit.Name);
        graph.Read<JointSearchHit>("JointProduct.brand", hit => hit.Brand);
        graph.Read<JointSearchHit>("JointProduct.imageUrl", hit => hit.ImageUrl);
        graph.Read<JointSearchHit>("JointProduct.lowestPrice", hit => (double)hit.MinPriceGross);
        graph.Read<JointSearchHit>("JointProduct.shopCount", hit => hit.ShopCount);
        graph.Read<JointSearchHit>("JointProduct.shops", hit => hit.Shops);

        graph.Read<MemberShopOffer>("MemberShop.shopId", shop => shop.TenantId);
        graph.Read<MemberShopOffer>("MemberShop.name", shop => shop.Name);
        graph.Read<MemberShopOffer>("MemberShop.street", shop => shop.Street);
        graph.Read<MemberShopOffer>("MemberShop.postcode", shop => shop.Postcode);
        graph.Read<MemberShopOffer>("MemberShop.city", shop => shop.City);
        graph.Read<MemberShopOffer>("MemberShop.distanceKm", shop => shop.DistanceKm);
        graph.Read<MemberShopOffer>("MemberShop.productId", shop => shop.ProductId);
        graph.Read<MemberShopOffer>("MemberShop.slug", shop => shop.Slug);
        graph.Read<MemberShopOffer>("MemberShop.price", shop => (double)shop.PriceGross);
        graph.Read<MemberShopOffer>("MemberShop.currency", shop => shop.Currency);
        graph.Read<MemberShopOffer>("MemberShop.available", shop => shop.Available);
        graph.Read<MemberShopOffer>("MemberShop.url", shop => shop.ProductUrl);
    }

    private static async Task<object?> JointSearchAsync(ResolveContext context)
    {
        var request = StorefrontRequest.Of(context);
        var query = (string)context.Arguments["query"]!;
        var postcode = context.Arguments.GetValueOrDefault("postcode") as string;
        var first = context.Arguments.GetValueOrDefault("first") is int count ? count : 20;
        if (JointSearch.QueryProblem(query) is { } queryProblem)
        {
            throw new StorefrontArgumentException($"query {queryProblem}");
        }

        if (first is < 1 or > 50)
        {
            throw new StorefrontArgumentException("first must be from 1 to 50.");
        }

        var shopper = await ShopperAsync(request, postcode, context.CancellationToken);
        return shopper is null
            ? null
            : await request.Joint.SearchAsync(shopper, query, context.Arguments.GetValueOrDefault("brand") as string, first, request.Locale, context.CancellationToken);
    }

    private static async Task<object?> MemberShopsAsync(ResolveContext context)
    {
        var request = StorefrontRequest.Of(context);
        var shopper = await ShopperAsync(request, context.Arguments.GetValueOrDefault("postcode") as string, context.CancellationToken);
        return shopper is null
            ? Array.Empty<MemberShopOffer>()
            : (await request.Joint.OffersAsync(shopper, ((ProductView)context.Parent!).Sku, request.Locale, context.CancellationToken))?.Shops ?? [];
    }

    /// <summary>The cooperative of the storefront's shop with the shopper's place; null outside a cooperative.</summary>
    private static Task<JointSearch.Context?> ShopperAsync(StorefrontRequest request, string? postcode, CancellationToken cancellationToken) =>
        JointSearch.PostcodeProblem(postcode) is { } problem
            ? throw new StorefrontArgumentException($"postcode {problem}")
            : request.Joint.ContextAsync(request.Caller, postcode, cancellationToken);
}
