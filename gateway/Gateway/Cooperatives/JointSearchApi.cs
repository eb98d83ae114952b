using MachCommerce.Gateway.Callers;
using MachCommerce.Gateway.Identity;
using MachCommerce.Gateway.Services;

namespace MachCommerce.Gateway.Cooperatives;

/// <summary>
/// "Gemeinsam vermarkten": a cooperative's member shops as one assortment for shoppers. One search over every active
/// member's published products, grouped by SKU, and for a product the member shops that sell it, each with its price,
/// availability, address, distance to the shopper's postcode and its own product page. For any caller of a member
/// shop that may read the catalog (a storefront key too), and for the cooperative's staff. The gateway names the
/// members itself; the catalog answers only with what shoppers see anyway.
/// </summary>
/// <summary>The joint search's work, for the REST routes and the storefront's GraphQL fields alike.</summary>
public sealed class JointSearch(CooperativeStore store, ServiceCalls services)
{
    /// <summary>Who asks, for which cooperative, its active members and the shopper's place.</summary>
    public sealed record Context(Caller Caller, string Cooperative, List<CooperativeMemberView> Members, (double Latitude, double Longitude)? Shopper);

    /// <summary>The caller's cooperative and its members; null when the caller's shop is in none. The postcode must be locatable (checked before).</summary>
    public async Task<Context?> ContextAsync(Caller caller, string? postcode, CancellationToken cancellationToken)
    {
        var cooperative = caller.TenantCooperative is { Length: > 0 } own ? own : caller.Cooperative;
        if (cooperative is null)
        {
            return null;
        }

        (double, double)? shopper = PostcodeRegions.TryLocate(postcode, out var latitude, out var longitude) ? (latitude, longitude) : null;
        // The cooperative's staff outside any member shop ask as its central level.
        var asking = caller.TenantId.Length > 0 ? caller : caller with { TenantId = CooperativeTenants.CentralTenant(cooperative), TenantCooperative = cooperative };
        return new Context(asking, cooperative, await store.ActiveMembersAsync(cooperative, cancellationToken), shopper);
    }

    public async Task<JointSearchResult> SearchAsync(Context context, string query, string? brand, int limit, string? locale, CancellationToken cancellationToken)
    {
        var answer = await services.SendJsonAsync(context.Caller, "catalog", HttpMethod.Post, "joint/search",
            new JointSearchRequest(query, [.. context.Members.Select(m => m.TenantId)], brand, limit), ServiceJson.Default.JointSearchAnswer, cancellationToken,
            read: true, locale: locale, scopes: [Scopes.CatalogJoint]);
        var bySku = answer!.Offers.ToLookup(o => o.Sku);
        return new JointSearchResult(context.Cooperative, query.Trim(), answer.Total, [.. answer.Skus.Select(sku => Hit(sku, bySku[sku], context))], answer.Brands);
    }

    /// <summary>The member shops that sell the SKU; null when none does.</summary>
    public async Task<JointSearchHit?> OffersAsync(Context context, string sku, string? locale, CancellationToken cancellationToken)
    {
        var offers = await services.SendJsonAsync(context.Caller, "catalog", HttpMethod.Post, "joint/offers",
            new JointOffersRequest([sku], [.. context.Members.Select(m => m.TenantId)]), ServiceJson.Default.ListJointOffer, cancellationToken,
            read: true, locale: locale, scopes: [Scopes.CatalogJoint]);
        return offers is { Count: > 0 } ? Hit(sku, offers, context) : null;
    }

    /// <summary>Nearest first with a postcode, else cheapest first.</summary>
    private static JointSearchHit Hit(string sku, IEnumerable<JointOffer> offers, Context context)
    {
        var members = context.Members.ToDictionary(m => m.TenantId);
        var shops = offers.Where(o => members.ContainsKey(o.TenantId)).Select(o => Shop(o, members[o.TenantId], context.Shopper)).ToList();
        shops = context.Shopper is null
            ? [.. shops.OrderBy(s => s.PriceGross).ThenBy(s => s.Name, StringComparer.Ordinal)]
            : [.. shops.OrderBy(s => s.DistanceKm ?? double.MaxValue).ThenBy(s => s.PriceGross)];
        var first = offers.First();
        return new JointSearchHit(sku, first.Name, first.Brand, first.ImageUrl, shops.Count == 0 ? first.MinPriceGross : shops.Min(s => s.PriceGross), shops.Count, shops);
    }

    private static MemberShopOffer Shop(JointOffer offer, CooperativeMemberView member, (double Latitude, double Longitude)? shopper)
    {
        var location = member.Location;
        double? distance = shopper is { } at && location is { Latitude: { } latitude, Longitude: { } longitude }
            ? Math.Round(PostcodeRegions.DistanceKm(at.Latitude, at.Longitude, latitude, longitude), 1)
            : null;
        var page = location?.ProductUrl?.Replace("{slug}", Uri.EscapeDataString(offer.Slug), StringComparison.Ordinal);
        return new MemberShopOffer(member.TenantId, member.Name, location?.Street, location?.Postcode, location?.City, distance, offer.ProductId, offer.Slug,
            offer.MinPriceGross, "EUR", offer.Available, page);
    }

    /// <summary>What is wrong with a shopper's postcode, or null when it is fine (or not given).</summary>
    public static string? PostcodeProblem(string? postcode) =>
        postcode is null || PostcodeRegions.TryLocate(postcode, out _, out _) ? null
        : PostcodeRegions.IsWellFormed(postcode) ? "lies in no German postcode region." : "must be the five digits of a German postcode.";

    /// <summary>What is wrong with a search text, or null.</summary>
    public static string? QueryProblem(string? query) =>
        query?.Trim() is { Length: > 0 and <= 200 } text && text.Any(char.IsLetterOrDigit) ? null : "is required: 1 to 200 characters with letters or digits.";
}

/// <summary>
/// The REST routes of the joint search (<c>/api/cooperative/search</c>, <c>/api/cooperative/offers</c>); the storefront's
/// GraphQL has the same as <c>jointSearch</c> and <c>Product.memberShops</c>.
/// </summary>
public static class JointSearchApi
{
    public static void MapJointSearchApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/cooperative").WithTags("Cooperatives");
        group.MapGet("/search", SearchAsync);
        group.MapGet("/offers", OffersAsync);
    }

    /// <summary>The joint search: the best matching products at any member shop, each with the shops that sell it (nearest first with a postcode).</summary>
    private static async Task<Results<Ok<JointSearchResult>, ValidationProblem, ProblemHttpResult>> SearchAsync(HttpContext http, JointSearch joint,
        CancellationToken cancellationToken, string? q = null, string? postcode = null, string? brand = null, int? limit = null, string? locale = null)
    {
        var errors = new FieldErrors();
        if (JointSearch.QueryProblem(q) is { } queryProblem)
        {
            errors["q"] = [queryProblem];
        }

        if (limit is < 1 or > 50)
        {
            errors["limit"] = ["must be from 1 to 50."];
        }

        var (context, refused) = await ContextAsync<JointSearchResult>(http, joint, errors, postcode, cancellationToken);
        return context is null ? refused! : TypedResults.Ok(await joint.SearchAsync(context, q!, brand, limit ?? 20, locale, cancellationToken));
    }

    /// <summary>The member shops that sell a product (by SKU), nearest first with a postcode, else cheapest first.</summary>
    private static async Task<Results<Ok<JointSearchHit>, ValidationProblem, ProblemHttpResult>> OffersAsync(HttpContext http, JointSearch joint,
        CancellationToken cancellationToken, string? sku = null, string? postcode = null, string? locale = null)
    {
        var errors = new FieldErrors();
        if (string.IsNullOrWhiteSpace(sku) || sku.Length > 64)
        {
            errors["sku"] = ["is required: the product's SKU (up to 64 characters)."];
        }

        var (context, refused) = await ContextAsync<JointSearchHit>(http, joint, errors, postcode, cancellationToken);
        if (context is null)
        {
            return refused!;
        }

        return await joint.OffersAsync(context, sku!.Trim(), locale, cancellationToken) is { } hit
            ? TypedResults.Ok(hit)
            : TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "Not found", detail: $"No member shop of the cooperative sells {sku!.Trim()}.");
    }

    /// <summary>What both routes check: the fields (the postcode's too), the caller's right, and that the caller's shop is in a cooperative.</summary>
    private static async Task<(JointSearch.Context? Context, Results<Ok<T>, ValidationProblem, ProblemHttpResult>? Refused)> ContextAsync<T>(HttpContext http,
        JointSearch joint, FieldErrors errors, string? postcode, CancellationToken cancellationToken)
    {
        if (JointSearch.PostcodeProblem(postcode) is { } postcodeProblem)
        {
            errors["postcode"] = [postcodeProblem];
        }

        if (errors.Count > 0)
        {
            return (null, TypedResults.ValidationProblem(errors));
        }

        if (Refusal(http) is { } refused)
        {
            return (null, refused);
        }

        return await joint.ContextAsync(http.Caller()!, postcode, cancellationToken) is { } context ? (context, null) : (null, NoCooperative());
    }

    /// <summary>Anyone of a member shop who may read its catalog, and a cooperative's staff.</summary>
    private static ProblemHttpResult? Refusal(HttpContext http) => http.Caller() switch
    {
        null => TypedResults.Problem(statusCode: StatusCodes.Status401Unauthorized, title: "Unauthorized", detail: "Send an API key or an access token."),
        { Cooperative: null } caller when !caller.HasScope(Scopes.CatalogRead) =>
            TypedResults.Problem(statusCode: StatusCodes.Status403Forbidden, title: "Forbidden", detail: "Joint search needs the right to read the catalog (catalog:read)."),
        _ => null,
    };

    private static ProblemHttpResult NoCooperative() => TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "Not found",
        detail: "Your shop is not a member of a cooperative, so there is no joint assortment to search.");
}
