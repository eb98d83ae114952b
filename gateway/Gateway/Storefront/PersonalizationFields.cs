using MachCommerce.Gateway.Callers;
using MachCommerce.Gateway.Services;

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
        graph.Resolve("Query.offers", context => OffersAsync(context, pageContext: null), cost: 10);
        graph.Resolve("Query.recommendations", context => RecommendationsAsync(context, productId: null), cost: 10);
        // The same on a product: its page asks for the product by slug and gets its lists in one request.
        graph.Resolve("Product.offers", context => OffersAsync(context, new DecisionContextInput(((ProductView)context.Parent!).Id, null, null)), cost: 10);
        graph.Resolve("Category.offers", context => OffersAsync(context, new DecisionContextInput(null, ((CategoryView)context.Parent!).Id, null)), cost: 10);
        graph.Resolve("Product.recommendations", context => RecommendationsAsync(context, ((ProductView)context.Parent!).Id), cost: 10);
        graph.Resolve("Mutation.trackEvents", TrackAsync, cost: 5);
        graph.Field("Query.offers").MaxPageSize = 10;
        graph.Field("Product.offers").MaxPageSize = 10;
        graph.Field("Category.offers").MaxPageSize = 10;
        graph.Field("Query.recommendations").MaxPageSize = 50; // the personalization service's most items per answer
        graph.Field("Product.recommendations").MaxPageSize = 50;

        graph.Read<Decision>("Decision.decisionId", decision => decision.DecisionId);
        graph.Read<Decision>("Decision.placement", decision => decision.Placement);
        graph.Read<Decision>("Decision.personalized", decision => decision.Personalized);
        graph.Read<Decision>("Decision.experiment", decision => decision.Experiment);
        graph.Read<Decision>("Decision.offers", decision => decision.Offers);
        graph.Read<ExperimentAssignment>("ExperimentAssignment.experimentId", assignment => assignment.ExperimentId);
        graph.Read<ExperimentAssignment>("ExperimentAssignment.variant", assignment => assignment.Variant);
        graph.Read<ExperimentAssignment>("ExperimentAssignment.strategy", assignment => assignment.Strategy);

        graph.Read<DecidedOffer>("Offer.id", offer => offer.OfferId);
        graph.Read<DecidedOffer>("Offer.name", offer => offer.Name);
        graph.Read<DecidedOffer>("Offer.headline", offer => offer.Content?.Headline);
        graph.Read<DecidedOffer>("Offer.text", offer => offer.Content?.Text);
        graph.Read<DecidedOffer>("Offer.imageUrl", offer => offer.Content?.ImageUrl);
        graph.Read<DecidedOffer>("Offer.callToAction", offer => offer.Content?.CallToAction);
        graph.Read<DecidedOffer>("Offer.url", offer => offer.Content?.Url);
        graph.Read<DecidedOffer>("Offer.incentive", offer => offer.Incentive);
        graph.Read<DecidedOffer>("Offer.reason", offer => offer.Reason);
        graph.Read<DecidedOffer>("Offer.products", offer => offer.Products);
        graph.Read<OfferIncentive>("Incentive.type", incentive => incentive.Type);
        graph.Read<OfferIncentive>("Incentive.value", incentive => incentive.Value);
        graph.Read<OfferIncentive>("Incentive.code", incentive => incentive.Code);

        graph.Resolve("OfferProduct.product", context => ProductAsync(context, ((DecidedProduct)context.Parent!).ProductId));
        graph.Read<DecidedProduct>("OfferProduct.reason", product => product.Reason);
        graph.Read<DecidedProduct>("OfferProduct.score", product => product.Score);

        graph.Read<RecommendationList>("Recommendations.requested", recommendations => recommendations.Requested);
        graph.Read<RecommendationList>("Recommendations.strategy", recommendations => recommendations.Strategy);
        graph.Read<RecommendationList>("Recommendations.personalized", recommendations => recommendations.Personalized);
        graph.Read<RecommendationList>("Recommendations.items", recommendations => recommendations.Items);
        graph.Resolve("RecommendedProduct.product", context => ProductAsync(context, ((RecommendedProduct)context.Parent!).ProductId));
        graph.Read<RecommendedProduct>("RecommendedProduct.reason", product => product.Reason);
        graph.Read<RecommendedProduct>("RecommendedProduct.score", product => product.Score);

        graph.Read<Reason>("Reason.code", reason => reason.Code);
        graph.Read<Reason>("Reason.text", reason => reason.Text);
        graph.Read<Reason>("Reason.productId", reason => reason.ProductId);

        graph.Read<int>("TrackResult.accepted", accepted => accepted);
    }

    private static async Task<object?> ProductAsync(ResolveContext context, Guid productId) =>
        await StorefrontRequest.Of(context).ProductAsync(context, productId);

    /// <summary>An id the shop's catalog gave (a UUID), or a clear refusal naming the argument.</summary>
    private static Guid? Id(object? value, string path) => value switch
    {
        null => null,
        string text when Guid.TryParse(text, out var id) => id,
        _ => throw new StorefrontArgumentException($"{path} must be an id this shop's catalog gave (\"{value}\" is not one)."),
    };

    private static List<Guid>? Ids(object? value, string path) =>
        (value as List<object?>)?.Select((item, i) => Id(item, $"{path}[{i}]") ?? throw new StorefrontArgumentException($"{path}[{i}] is missing.")).ToList();

    /// <summary>Offers need to know whom they are for: the signed-in customer, else the visitor.</summary>
    private static void RequireShopper(StorefrontRequest request)
    {
        if (request.Caller.ProfileId is null && request.Caller.VisitorId is null)
        {
            throw new StorefrontArgumentException("Send the shopper's X-Visitor-Id header (or a customer token) so that offers and recommendations can be chosen for them.");
        }
    }

    private static async Task<object?> OffersAsync(ResolveContext context, DecisionContextInput? pageContext)
    {
        var request = StorefrontRequest.Of(context);
        RequireShopper(request);
        var first = context.Arguments.GetValueOrDefault("first") as int? ?? 3;
        if (first is < 1 or > 10)
        {
            throw new StorefrontArgumentException("first must be from 1 to 10.");
        }

        var page = context.Arguments.GetValueOrDefault("context") as IReadOnlyDictionary<string, object?>;
        var decisionContext = pageContext ?? (page is null ? null : new DecisionContextInput(Id(page.GetValueOrDefault("productId"), "context.productId"),
                Id(page.GetValueOrDefault("categoryId"), "context.categoryId"), Ids(page.GetValueOrDefault("cartProductIds"), "context.cartProductIds")));
        var body = new DecisionRequest(null, null, (string)context.Arguments["placement"]!, decisionContext, request.Locale, first);
        return await request.Services.SendJsonAsync(request.Caller, "personalization", HttpMethod.Post, "decisions", body, ServiceJson.Default.Decision, context.CancellationToken,
            locale: request.Locale);
    }

    private static async Task<object?> RecommendationsAsync(ResolveContext context, Guid? productId)
    {
        var request = StorefrontRequest.Of(context);
        RequireShopper(request);
        var strategy = (context.Arguments.GetValueOrDefault("strategy") as string ?? "FOR_YOU").ToLowerInvariant().Replace('_', '-');
        var query = new StringBuilder().Append(CultureInfo.InvariantCulture, $"strategy={strategy}&limit={context.Arguments.GetValueOrDefault("first") as int? ?? 10}&locale={request.Locale}");
        if (productId is not null)
        {
            query.Append(CultureInfo.InvariantCulture, $"&productId={productId}");
        }
        else if (context.Arguments.GetValueOrDefault("context") is IReadOnlyDictionary<string, object?> page)
        {
            if (page.GetValueOrDefault("productId") is string pageProductId)
            {
                query.Append("&productId=").Append(Uri.EscapeDataString(pageProductId));
            }

            if (page.GetValueOrDefault("categoryId") is string categoryId)
            {
                query.Append("&categoryId=").Append(Uri.EscapeDataString(categoryId));
            }
        }

        return await request.Services.GetAsync(request.Caller, "personalization", "recommendations?" + query, ServiceJson.Default.RecommendationList, context.CancellationToken,
            locale: request.Locale);
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
