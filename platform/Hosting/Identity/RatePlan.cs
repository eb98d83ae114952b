namespace MachCommerce.Hosting.Identity;

/// <summary>
/// How many requests (or GraphQL cost units) per second a caller may spend at the gateway, and how many at once.
/// One definition for the gateway (API keys, and the plan carried in an access token, clamped to <see cref="Max"/>)
/// and the identity service (the plan it gives a partner's OAuth client), so the two cannot disagree.
/// </summary>
public sealed record RatePlan(int PerSecond, int Burst)
{
    /// <summary>A partner's or an admin's default: integrations need fewer than a shop front.</summary>
    public static readonly RatePlan Default = new(1_000, 2_000);

    /// <summary>
    /// A storefront key's default: it serves all the shop's shoppers, and a GraphQL request costs its computed cost
    /// (a home page a few hundred), so it carries some 20 to 50 page views a second.
    /// </summary>
    public static readonly RatePlan Storefront = new(10_000, 20_000);

    /// <summary>The most a plan may grant (the gateway's database holds up to 100,000 for each).</summary>
    public static readonly RatePlan Max = new(50_000, 100_000);
}
