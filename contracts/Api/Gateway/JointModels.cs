using MachCommerce.Api.Catalog;

namespace MachCommerce.Api.Gateway;

/// <summary>A member shop that sells a product, as a shopper near <c>postcode</c> sees it.</summary>
/// <param name="DistanceKm">From the shopper's postcode (region) to the shop; null without a postcode or a located shop.</param>
/// <param name="ProductUrl">The product's page at that shop, when the shop gave its page address.</param>
public sealed record MemberShopOffer(string TenantId, string Name, string? Street, string? Postcode, string? City, double? DistanceKm,
    Guid ProductId, string Slug, decimal PriceGross, string Currency, bool Available, string? ProductUrl);

/// <summary>One product of the joint search: the same SKU at every member shop that sells it, nearest first.</summary>
public sealed record JointSearchHit(string Sku, string Name, string? Brand, string? ImageUrl, decimal MinPriceGross, int ShopCount, IReadOnlyList<MemberShopOffer> Shops);

/// <param name="Total">How many products (SKUs) match at any member shop.</param>
public sealed record JointSearchResult(string Cooperative, string Query, long Total, IReadOnlyList<JointSearchHit> Items, IReadOnlyList<FacetValue> Brands);
