using MachCommerce.Personalization.Behaviour;
using MachCommerce.Personalization.Subjects;

namespace MachCommerce.Personalization.Decisions;

/// <summary>A subject's interests decayed to one moment, computed once per request.</summary>
internal sealed class Interests
{
    public static readonly Interests None = new([]);

    private readonly Dictionary<string, double> _values;

    private Interests(Dictionary<string, double> values) => _values = values;

    public bool Any => _values.Count > 0;

    public double Of(string key) => _values.GetValueOrDefault(key);

    public static Interests From(SubjectModel? model, DateTimeOffset now, TimeSpan halfLife) => model is null
        ? None
        : new(model.Affinities.ToDictionary(a => a.Key, a => a.Value.ValueAt(now, halfLife), StringComparer.Ordinal));

    /// <summary>How much the subject cares about what a product is: its categories, brand and attribute values.</summary>
    public double Of(CandidateProduct product)
    {
        if (!Any)
        {
            return 0;
        }

        var score = product.Brand is { } brand ? Of(AffinityKeys.Brand(brand)) : 0;
        foreach (var category in product.CategoryIds)
        {
            score += Of(AffinityKeys.Category(category));
        }

        foreach (var attribute in product.Attributes)
        {
            score += 0.5 * Of(AffinityKeys.Attribute(attribute));
        }

        return score;
    }
}

internal sealed record RankedProduct(CandidateProduct Product, double Score, Reason Reason);

/// <summary>What ranking needs besides the candidates: the subject, the page's context, what must not be shown.</summary>
internal sealed record RankingInput(
    Interests Interests, SubjectModel? Model, IReadOnlyDictionary<Guid, CandidateProduct> KnownProducts, CandidateProduct? ContextProduct, Guid? ContextCategory,
    IReadOnlySet<Guid> Excluded, bool German, DateTimeOffset Now, IReadOnlySet<Guid> BoughtTogether);

/// <summary>
/// Ranks candidates by a blend of what the subject likes (content affinity), what everybody likes now
/// (popularity), what goes with the context product (co-occurrence) and the page itself (same category), each
/// normalised to the best candidate, and explains each pick by the strongest personal link it has.
/// </summary>
internal static class ProductRanker
{
    private const double ContentWeight = 0.5, PopularityWeight = 0.25, NeighbourWeight = 0.25, ContextWeight = 0.15;

    public static List<RankedProduct> Rank(IEnumerable<(CandidateProduct Product, double Weight)> candidates, RankingInput input, int limit, Reason fallback)
    {
        var unique = new Dictionary<Guid, (CandidateProduct Product, double Neighbour)>();
        foreach (var (product, weight) in candidates)
        {
            if (input.Excluded.Contains(product.ProductId) || !product.Available)
            {
                continue;
            }

            unique[product.ProductId] = unique.TryGetValue(product.ProductId, out var seen) ? (product, Math.Max(seen.Neighbour, weight)) : (product, weight);
        }

        var scored = unique.Values.Select(c => (c.Product, c.Neighbour, Content: input.Interests.Of(c.Product),
            Popularity: Math.Log2(1 + Popularity.ValueAt(c.Product.Trend, input.Now)), Context: ContextMatch(c.Product, input))).ToList();
        if (scored.Count == 0)
        {
            return [];
        }

        var maxContent = Math.Max(scored.Max(s => s.Content), 1e-9);
        var maxPopularity = Math.Max(scored.Max(s => s.Popularity), 1e-9);
        var maxNeighbour = Math.Max(scored.Max(s => s.Neighbour), 1e-9);
        return [.. scored
            .Select(s => (s.Product, s.Neighbour, s.Content,
                Score: ContentWeight * s.Content / maxContent + PopularityWeight * s.Popularity / maxPopularity + NeighbourWeight * s.Neighbour / maxNeighbour + ContextWeight * s.Context))
            .OrderByDescending(s => s.Score).ThenBy(s => s.Product.ProductId)
            .Take(limit)
            .Select(s => new RankedProduct(s.Product, Math.Round(s.Score, 4), Explain(s.Product, s.Neighbour, s.Content, input, fallback)))];
    }

    private static double ContextMatch(CandidateProduct product, RankingInput input)
    {
        if (input.ContextCategory is { } category && product.CategoryIds.Contains(category))
        {
            return 1;
        }

        if (input.ContextProduct is not { } context)
        {
            return 0;
        }

        var shared = product.CategoryIds.Intersect(context.CategoryIds).Count();
        return context.CategoryIds.Length == 0 ? 0 : (double)shared / context.CategoryIds.Length;
    }

    private static Reason Explain(CandidateProduct product, double neighbour, double content, RankingInput input, Reason fallback)
    {
        if (neighbour > 0 && input.ContextProduct is { } context)
        {
            var name = context.Name(input.German ? "de" : "en");
            return input.BoughtTogether.Contains(product.ProductId) ? Reasons.BoughtTogether(name, context.ProductId, input.German) : Reasons.ViewedTogether(name, context.ProductId, input.German);
        }

        if (content > 0 && Because(product.CategoryIds, product.Brand, product.ProductId, input, threshold: 2) is { } personal)
        {
            return personal;
        }

        if (content > 0 && product.Brand is { } brand && input.Interests.Of(AffinityKeys.Brand(brand)) > 0)
        {
            return Reasons.Brand(brand, input.German);
        }

        if (input.ContextProduct is { } page && ContextMatch(product, input) > 0)
        {
            return Reasons.Context(page.Name(input.German ? "de" : "en"), page.ProductId, input.German);
        }

        return fallback;
    }

    /// <summary>
    /// The recent item (in the cart, viewed, bought) that shares most with the categories and brand, if it shares
    /// at least <paramref name="threshold"/> (a category counts one, the brand two): "because you looked at …".
    /// </summary>
    public static Reason? Because(IReadOnlyCollection<Guid> categoryIds, string? brand, Guid? self, RankingInput input, int threshold)
    {
        if (input.Model is not { } model)
        {
            return null;
        }

        (RecentItem Item, string Kind, int Shared)? best = null;
        foreach (var (list, kind) in new[] { (model.Carted, "cart"), (model.Viewed, "viewed"), (model.Purchased, "purchased") })
        {
            foreach (var item in list)
            {
                if (item.ProductId == self || !input.KnownProducts.TryGetValue(item.ProductId, out var facts))
                {
                    continue;
                }

                var shared = facts.CategoryIds.Count(categoryIds.Contains)
                    + (brand is not null && string.Equals(facts.Brand, brand, StringComparison.OrdinalIgnoreCase) ? 2 : 0);
                if (shared >= threshold && (best is null || shared > best.Value.Shared))
                {
                    best = (item with { Name = facts.Name(input.German ? "de" : "en") }, kind, shared);
                }
            }
        }

        return best switch
        {
            null => null,
            { Kind: "cart" } b => Reasons.Carted(b.Item, input.German),
            { Kind: "viewed" } b => Reasons.Viewed(b.Item, input.Now, input.German),
            { } b => Reasons.Purchased(b.Item, input.German),
        };
    }
}
