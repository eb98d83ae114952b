using MachCommerce.Hosting.Identity;

namespace MachCommerce.Gateway.Callers;

/// <summary>Who holds a key, and so what it may do.</summary>
public enum KeyKind
{
    /// <summary>Public, in a shop's front end: read the catalog, decide offers, track events; bound to the shop's origins.</summary>
    Storefront,

    /// <summary>A B2B partner or integration: the scopes the merchant chose.</summary>
    Partner,

    /// <summary>The merchant's staff: everything within its tenant, including its keys.</summary>
    Admin,

    /// <summary>The platform operator: manages tenants; never acts inside one.</summary>
    Platform,
}

/// <summary>How many requests (or GraphQL cost units) per second a key may spend, and how many at once.</summary>
public sealed record RatePlan(int PerSecond, int Burst);

public static class ApiKeyKinds
{
    public static readonly IReadOnlyList<string> StorefrontScopes = [Scopes.CatalogRead, Scopes.PersonalizationDecide, Scopes.PersonalizationTrack];

    public static string Name(KeyKind kind) => kind switch
    {
        KeyKind.Storefront => "storefront",
        KeyKind.Partner => "partner",
        KeyKind.Admin => "admin",
        _ => "platform",
    };

    public static KeyKind? Parse(string? name) => name switch
    {
        "storefront" => KeyKind.Storefront,
        "partner" => KeyKind.Partner,
        "admin" => KeyKind.Admin,
        _ => null,
    };

    /// <summary>
    /// The default plan of a kind, in tokens per second: a REST request costs one token, a GraphQL request its
    /// computed cost (a storefront home page costs a few hundred). A storefront key serves all the shop's shoppers,
    /// so its default carries some 20 to 50 page views a second; integrations get fewer.
    /// </summary>
    public static RatePlan DefaultPlan(KeyKind kind) => kind switch
    {
        KeyKind.Storefront => new RatePlan(10_000, 20_000),
        _ => new RatePlan(1_000, 2_000),
    };

    /// <summary>The most a plan may grant (the database holds up to 100,000 for each).</summary>
    public static readonly RatePlan MaxPlan = new(50_000, 100_000);

    /// <summary>The scopes a key of this kind carries; a partner's are chosen and checked against the known ones.</summary>
    public static IReadOnlyList<string> ScopesOf(KeyKind kind, IReadOnlyList<string>? chosen) => kind switch
    {
        KeyKind.Storefront => StorefrontScopes,
        KeyKind.Admin => [.. Scopes.All, .. Scopes.OwnerOnly],
        KeyKind.Partner => chosen ?? [],
        _ => [],
    };
}
