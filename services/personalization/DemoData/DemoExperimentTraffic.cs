using MachCommerce.Personalization.Behaviour;

namespace MachCommerce.Personalization.DemoData;

/// <summary>
/// Simulated visitors for the demo's running experiment (personalized against broadcast on the home page), so that
/// its report shows a result from the first start: each visitor agrees to personalization and views a product, is
/// shown the home page (which assigns the variant and logs the exposure), and a fixed share of each variant's
/// visitors buys afterwards: 6.5 % of the personalized, 4 % of the broadcast. Exact shares, drawn in a seeded
/// order, so every machine shows the same report.
/// </summary>
public static class DemoExperimentTraffic
{
    public const string Placement = "home-hero";
    public const double PersonalizedConversion = 0.065;
    public const double BroadcastConversion = 0.04;

    public static IReadOnlyList<string> Visitors(string shop, int count) => [.. Enumerable.Range(1, count).Select(i => $"sim-{shop}-{i:D5}")];

    /// <summary>Each visitor's first event, with the consent banner's answer, a minute before the decisions.</summary>
    public static IEnumerable<BehaviourEventInput> ConsentingVisits(IReadOnlyList<string> visitors, IReadOnlyList<DemoProduct> products, int seed, DateTimeOffset at)
    {
        var random = new Random(seed);
        return visitors.Select(visitor => new BehaviourEventInput(Guid.CreateVersion7(at), "product_viewed", visitor, null, at, "web", null,
            products[random.Next(products.Count)].ProductId, null, null, null, null, null, null, null, null, Consent: true));
    }

    /// <summary>The purchases after the exposures: the share of each variant that converts, each visitor's one order.</summary>
    public static IEnumerable<BehaviourEventInput> Purchases(IReadOnlyDictionary<string, string> variantByVisitor, IReadOnlyList<DemoProduct> products, int seed, DateTimeOffset at)
    {
        var random = new Random(seed);
        foreach (var arm in variantByVisitor.GroupBy(v => v.Value, v => v.Key))
        {
            var visitors = arm.Order(StringComparer.Ordinal).OrderBy(_ => random.Next()).ToList();
            var buyers = (int)Math.Round(visitors.Count * (arm.Key == "personalized" ? PersonalizedConversion : BroadcastConversion));
            foreach (var visitor in visitors.Take(buyers))
            {
                var product = products[random.Next(products.Count)];
                yield return new BehaviourEventInput(Guid.CreateVersion7(at), "purchased", visitor, null, at, "web", Placement, product.ProductId, null, null, 1,
                    product.Price, $"O-{visitor}", null, null, null, Consent: true);
            }
        }
    }
}
