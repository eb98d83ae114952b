using System.Globalization;
using System.Text;
using System.Text.Json;
using MachCommerce.Gateway.Callers;
using MachCommerce.GraphQL.Execution;
using MachCommerce.GraphQL.Types;

namespace MachCommerce.Gateway.Storefront;

/// <summary>
/// Offers and recommendations for the shopper (a customer, else the visitor), each with its reason, and the
/// behaviour events the storefront reports. Their products are completed from the catalog in one batch per
/// request (with the caller's prices), never one call per item.
/// </summary>
internal static class PersonalizationFields
{
    private const int MaxEvents = 500;

    public static void Wire(GraphWiring graph)
    {
        graph.Resolve("Query.offers", OffersAsync, cost: 10);
        graph.Resolve("Query.recommendations", RecommendationsAsync, cost: 10);
        graph.Resolve("Mutation.trackEvents", TrackAsync, cost: 5);
        graph.Field("Query.offers").MaxPageSize = 10;
        graph.Field("Query.recommendations").MaxPageSize = 50; // the personalization service's most items per answer

        graph.Json("Decision.decisionId");
        graph.Json("Decision.placement");
        graph.Json("Decision.personalized");
        graph.Json("Decision.experiment");
        graph.Read<JsonElement>("Decision.offers", decision => decision.Items("offers"));
        graph.Json("ExperimentAssignment.experimentId");
        graph.Json("ExperimentAssignment.variant");
        graph.Json("ExperimentAssignment.strategy");

        graph.Json("Offer.id", "offerId");
        graph.Json("Offer.name");
        graph.Read<JsonElement>("Offer.headline", offer => offer.Prop("content")?.Str("headline"));
        graph.Read<JsonElement>("Offer.text", offer => offer.Prop("content")?.Str("text"));
        graph.Read<JsonElement>("Offer.imageUrl", offer => offer.Prop("content")?.Str("imageUrl"));
        graph.Read<JsonElement>("Offer.callToAction", offer => offer.Prop("content")?.Str("callToAction"));
        graph.Read<JsonElement>("Offer.url", offer => offer.Prop("content")?.Str("url"));
        graph.Json("Offer.incentive");
        graph.Json("Offer.reason");
        graph.Read<JsonElement>("Offer.products", offer => offer.Items("products"));
        graph.Json("Incentive.type");
        graph.Read<JsonElement>("Incentive.value", incentive => incentive.Dec("value"));
        graph.Json("Incentive.code");

        graph.Resolve("OfferProduct.product", ProductOfItemAsync);
        graph.Json("OfferProduct.reason");
        graph.Json("OfferProduct.score");

        graph.Json("Recommendations.requested");
        graph.Json("Recommendations.strategy");
        graph.Json("Recommendations.personalized");
        graph.Read<JsonElement>("Recommendations.items", recommendations => recommendations.Items("items"));
        graph.Resolve("RecommendedProduct.product", ProductOfItemAsync);
        graph.Json("RecommendedProduct.reason");
        graph.Json("RecommendedProduct.score");

        graph.Json("Reason.code");
        graph.Json("Reason.text");
        graph.Json("Reason.productId");

        graph.Read<int>("TrackResult.accepted", accepted => accepted);
    }

    private static async Task<object?> ProductOfItemAsync(ResolveContext context) =>
        ((JsonElement)context.Parent!).Str("productId") is { } productId ? await StorefrontRequest.Of(context).ProductAsync(context, productId) : null;

    /// <summary>Offers need to know whom they are for: the signed-in customer, else the visitor.</summary>
    private static void RequireShopper(StorefrontRequest request)
    {
        if (request.Caller.ProfileId is null && request.Caller.VisitorId is null)
        {
            throw new StorefrontArgumentException("Send the shopper's X-Visitor-Id header (or a customer token) so that offers and recommendations can be chosen for them.");
        }
    }

    private static async Task<object?> OffersAsync(ResolveContext context)
    {
        var request = StorefrontRequest.Of(context);
        RequireShopper(request);
        var first = context.Arguments.GetValueOrDefault("first") as int? ?? 3;
        if (first is < 1 or > 10)
        {
            throw new StorefrontArgumentException("first must be from 1 to 10.");
        }

        var page = context.Arguments.GetValueOrDefault("context") as IReadOnlyDictionary<string, object?>;
        var body = new
        {
            placement = (string)context.Arguments["placement"]!,
            context = page is null ? null : new
            {
                productId = page.GetValueOrDefault("productId"),
                categoryId = page.GetValueOrDefault("categoryId"),
                cartProductIds = page.GetValueOrDefault("cartProductIds"),
            },
            locale = request.Locale,
            maxOffers = first,
        };
        return await request.Services.SendJsonAsync(request.Caller, "personalization", HttpMethod.Post, "decisions", body, context.CancellationToken, locale: request.Locale);
    }

    private static async Task<object?> RecommendationsAsync(ResolveContext context)
    {
        var request = StorefrontRequest.Of(context);
        RequireShopper(request);
        var strategy = (context.Arguments.GetValueOrDefault("strategy") as string ?? "FOR_YOU").ToLowerInvariant().Replace('_', '-');
        var query = new StringBuilder().Append(CultureInfo.InvariantCulture, $"strategy={strategy}&limit={context.Arguments.GetValueOrDefault("first") as int? ?? 10}&locale={request.Locale}");
        if (context.Arguments.GetValueOrDefault("context") is IReadOnlyDictionary<string, object?> page)
        {
            if (page.GetValueOrDefault("productId") is string productId)
            {
                query.Append("&productId=").Append(Uri.EscapeDataString(productId));
            }

            if (page.GetValueOrDefault("categoryId") is string categoryId)
            {
                query.Append("&categoryId=").Append(Uri.EscapeDataString(categoryId));
            }
        }

        return await request.Services.GetAsync(request.Caller, "personalization", "recommendations?" + query, context.CancellationToken, locale: request.Locale);
    }

    private static async Task<object?> TrackAsync(ResolveContext context)
    {
        var request = StorefrontRequest.Of(context);
        RequireShopper(request);
        var events = (List<object?>)context.Arguments["events"]!;
        if (events.Count is 0 or > MaxEvents)
        {
            throw new StorefrontArgumentException($"events must hold 1 to {MaxEvents} events.");
        }

        var batch = events.Select(e =>
        {
            var input = (IReadOnlyDictionary<string, object?>)e!;
            return new Dictionary<string, object?>
            {
                ["id"] = input.GetValueOrDefault("id") as string ?? Guid.CreateVersion7().ToString(),
                ["type"] = ((string)input["type"]!).ToLowerInvariant(),
                ["visitorId"] = request.Caller.VisitorId,
                ["profileId"] = request.Caller.ProfileId,
                ["occurredAt"] = input.GetValueOrDefault("occurredAt") ?? DateTimeOffset.UtcNow,
                ["channel"] = "web",
                ["placement"] = input.GetValueOrDefault("placement"),
                ["productId"] = input.GetValueOrDefault("productId"),
                ["sku"] = input.GetValueOrDefault("sku"),
                ["categoryId"] = input.GetValueOrDefault("categoryId"),
                ["quantity"] = input.GetValueOrDefault("quantity"),
                ["price"] = input.GetValueOrDefault("price"),
                ["orderId"] = input.GetValueOrDefault("orderId"),
                ["query"] = input.GetValueOrDefault("query"),
                ["offerId"] = input.GetValueOrDefault("offerId"),
                ["decisionId"] = input.GetValueOrDefault("decisionId"),
                ["consent"] = input.GetValueOrDefault("consent"),
            };
        }).ToList();
        await request.Services.SendJsonAsync(request.Caller, "personalization", HttpMethod.Post, "events", new { events = batch }, context.CancellationToken);
        return batch.Count;
    }
}
