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

    /// <summary>The default plan of a kind, in tokens per second: a REST request costs one token, a GraphQL request its computed cost.</summary>
    public static RatePlan DefaultPlan(KeyKind kind) => kind == KeyKind.Storefront ? RatePlan.Storefront : RatePlan.Default;

    /// <summary>The scopes a key of this kind carries; a partner's are chosen and checked against the known ones.</summary>
    public static IReadOnlyList<string> ScopesOf(KeyKind kind, IReadOnlyList<string>? chosen) => kind switch
    {
        KeyKind.Storefront => StorefrontScopes,
        KeyKind.Admin => [.. Scopes.All, .. Scopes.OwnerOnly],
        KeyKind.Partner => chosen ?? [],
        _ => [],
    };
}
