namespace MachCommerce.Gateway.Callers;

/// <summary>
/// Who is calling, as the gateway established it from the API key or access token (and a customer token or visitor id on a
/// storefront request). Everything the services learn about the caller comes from here, signed; nothing a client
/// sends as a header reaches them.
/// </summary>
public sealed record Caller(string TenantId, KeyKind Kind, Guid? KeyId, IReadOnlyList<string> Scopes, IReadOnlyList<string> AllowedOrigins, RatePlan Plan)
{
    /// <summary>The customer a storefront request acts for (from a verified customer token).</summary>
    public string? ProfileId { get; init; }

    /// <summary>The customer's group (B2B price lists), from the same token.</summary>
    public string? CustomerGroup { get; init; }

    /// <summary>The anonymous visitor (the storefront's own id for the browser), when no customer is signed in.</summary>
    public string? VisitorId { get; init; }

    /// <summary>The partner client an access token was issued to (instead of a key).</summary>
    public string? ClientId { get; init; }

    /// <summary>The person of the shop's staff a signed-in access token belongs to.</summary>
    public string? UserId { get; init; }

    /// <summary>The cooperative a person of its staff acts for, in the member shop <see cref="TenantId"/> (empty until the request names one).</summary>
    public string? Cooperative { get; init; }

    /// <summary>
    /// The cooperative <see cref="TenantId"/> is a member of, or whose central assortment it is ("" for none): the
    /// services read it from the assertion, e.g. the catalog to offer the central assortment to a member.
    /// </summary>
    public string TenantCooperative { get; init; } = "";

    public string Subject => KeyId is { } id ? $"key:{id}" : ClientId is { } client ? $"client:{client}" : UserId is { } user ? $"user:{user}" : "platform";

    /// <summary>The rate-limit partition: one bucket per key or client (per plan, so a changed plan starts a fresh bucket).</summary>
    public string RatePartition => $"{KeyId?.ToString() ?? ClientId ?? UserId ?? "platform"}/{Plan.PerSecond}/{Plan.Burst}";

    public bool HasScope(string scope) => Scopes.Contains(scope, StringComparer.Ordinal);
}
