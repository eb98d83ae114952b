using MachCommerce.Personalization.Decisions;
using MachCommerce.Personalization.Subjects;

namespace MachCommerce.Personalization.Recommendations;

/// <summary>
/// Recommendations outside of offers: viewed together and bought together (item-to-item co-occurrence), for you
/// (the subject's interests against the products' categories, brands and attributes), and popular (trending,
/// optionally in a category). A strategy without data falls back to popular and says so.
/// </summary>
internal static class RecommendationsApi
{
    public static readonly string[] Strategies = ["viewed-together", "bought-together", "for-you", "popular"];
    public const int MaxItems = 50;

    public static void MapRecommendationsApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/recommendations", Recommend).WithTags("Recommendations").RequireScope(Scopes.PersonalizationDecide).WithName("Recommend");
    }

    private static async Task<Results<Ok<RecommendationList>, ValidationProblem>> Recommend(RequestIdentity identity, PersonalizationDatabase database, ProductShelves productShelves, IOptions<PersonalizationOptions> options, TimeProvider time,
        CancellationToken cancellationToken, string? strategy = null, string? visitorId = null, Guid? profileId = null, Guid? productId = null, Guid? categoryId = null,
        int limit = 10, string? locale = null)
    {
        var errors = new FieldErrors();
        (visitorId, profileId) = Shopper.Resolve(visitorId, profileId, identity, errors);
        var language = Shopper.Language(locale, errors);
        strategy ??= productId is null ? "for-you" : "viewed-together";
        if (!Strategies.Contains(strategy))
        {
            errors.Add("strategy", $"must be one of {string.Join(", ", Strategies)}.");
        }
        else if (strategy is "viewed-together" or "bought-together" && productId is null)
        {
            errors.Add("productId", $"{strategy} needs the product the recommendations go with.");
        }

        if (limit is < 1 or > MaxItems)
        {
            errors.Add("limit", $"must be between 1 and {MaxItems}.");
        }

        if (errors.Any)
        {
            return TypedResults.ValidationProblem(errors);
        }

        var now = time.GetUtcNow();
        var halfLife = options.Value.AffinityHalfLife;
        var shelves = await productShelves.GetAsync(identity.TenantId, cancellationToken);
        await using var db = await database.BeginReadAsync(identity.TenantId, cancellationToken);
        var subject = await SubjectContext.LoadAsync(db.Transaction, identity.TenantId, visitorId!, profileId, identity.CustomerGroup, language, now, halfLife, cancellationToken);
        var interests = subject.Consent ? Interests.From(subject.Model, now, halfLife) : Interests.None;

        var candidates = new ProductCandidates(identity.TenantId);
        var known = candidates.ById([.. DecisionEngine.RecentProductIds(subject.Model).Append(productId ?? Guid.Empty).Where(id => id != Guid.Empty).Distinct()]);
        int? neighbours = strategy switch
        {
            "viewed-together" => candidates.Neighbours('v', productId!.Value),
            "bought-together" => candidates.Neighbours('b', productId!.Value),
            _ => null,
        };
        var hidden = candidates.HiddenSince(shelves.LoadedAt);
        await candidates.ExecuteAsync(db.Transaction, cancellationToken);
        var forYou = strategy == "for-you" && interests.Any
            ? shelves.Pool(TopCategories(interests, subject.Model!), TopBrands(interests, subject.Model!), false, ProductCandidates.PoolSize).Select(p => (p, 0.0)).ToList()
            : null;
        var popular = shelves.Pool(categoryId is { } c ? [c] : [], [], false, ProductCandidates.PoolSize).Select(p => (p, 0.0)).ToList();

        var knownProducts = candidates[known].ToDictionary(k => k.Product.ProductId, k => k.Product);
        var input = new RankingInput(interests, subject.Model, knownProducts, productId is { } p ? knownProducts.GetValueOrDefault(p) : null, categoryId,
            DecisionEngine.Excluded([], productId, subject.Model, now, options.Value.ExcludePurchasedFor, candidates[hidden]), language == "de", now,
            strategy == "bought-together" && neighbours is { } b ? candidates[b].Select(n => n.Product.ProductId).ToHashSet() : []);
        var fallback = categoryId is null ? Reasons.Popular(language == "de") : Reasons.PopularInCategory(language == "de");

        var used = strategy;
        var items = neighbours is { } n ? ProductRanker.Rank(candidates[n], input, limit, fallback)
            : forYou is not null ? ProductRanker.Rank(forYou, input, limit, fallback)
            : [];
        if (items.Count == 0)
        {
            used = "popular";
            // Popular means popular: the subject's interests only explain, they do not reorder it.
            items = ProductRanker.Rank(popular, strategy == "popular" ? input with { Interests = Interests.None } : input, limit, fallback);
        }

        await db.Transaction.CommitAsync(cancellationToken);
        return TypedResults.Ok(new RecommendationList(strategy, used, interests.Any && used != "popular",
            [.. items.Select(r => new RecommendedProduct(r.Product.ProductId, r.Product.Sku, r.Product.Slug, r.Product.Name(language), r.Product.Brand, r.Product.Price,
                r.Product.Currency, r.Product.ImageUrl, r.Score, r.Reason))]));
    }

    /// <summary>The subject's five strongest category interests: where "for you" looks for candidates.</summary>
    private static Guid[] TopCategories(Interests interests, SubjectModel model) =>
        [.. model.Affinities.Keys.Where(k => k.StartsWith("c:", StringComparison.Ordinal)).OrderByDescending(interests.Of).Take(5).Select(k => Guid.ParseExact(k[2..], "N"))];

    private static string[] TopBrands(Interests interests, SubjectModel model) =>
        [.. model.Affinities.Keys.Where(k => k.StartsWith("b:", StringComparison.Ordinal)).OrderByDescending(interests.Of).Take(3).Select(k => k[2..])];
}
