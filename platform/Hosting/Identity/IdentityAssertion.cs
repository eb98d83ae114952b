namespace MachCommerce.Hosting.Identity;

/// <summary>
/// Who a request acts for, as the gateway vouches: the tenant, the scopes granted to the caller's key and,
/// for a customer session, the profile (or the anonymous visitor). Services never read these facts from
/// plain client headers, only from an assertion signed with the key they share with the gateway.
/// </summary>
public sealed record IdentityAssertion
{
    public required string TenantId { get; init; }

    public required IReadOnlyList<string> Scopes { get; init; }

    /// <summary>The authenticated caller, e.g. the API key's id; for logs and audit.</summary>
    public required string Subject { get; init; }

    public string? ProfileId { get; init; }

    public string? VisitorId { get; init; }

    /// <summary>The B2B customer group of the customer (or partner key) the request acts for: drives price lists.</summary>
    public string? CustomerGroup { get; init; }

    /// <summary>
    /// The cooperative (Verbundgruppe) the tenant is a member of, or whose central assortment the tenant is
    /// (<see cref="CooperativeTenants"/>); the gateway looks it up, so a shop cannot claim another's cooperative.
    /// </summary>
    public string? Cooperative { get; init; }

    /// <summary>The service the assertion was minted for; a service with an audience configured rejects others.</summary>
    public string? Audience { get; init; }

    public required DateTimeOffset IssuedAt { get; init; }

    public required DateTimeOffset ExpiresAt { get; init; }

    public bool HasScope(string scope) => Scopes.Contains(scope, StringComparer.Ordinal);
}
