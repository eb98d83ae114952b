using System.ComponentModel.DataAnnotations;

namespace MachCommerce.Gateway;

/// <summary>The gateway's own settings (<c>Gateway__*</c>).</summary>
public sealed class GatewayOptions : IValidatableObject
{
    public const string Section = "Gateway";

    /// <summary>
    /// The platform operator's key (manages tenants). It comes from the environment (a Kubernetes Secret in
    /// production), because someone has to create the first tenant; without it tenants cannot be managed.
    /// </summary>
    public string? PlatformKey { get; set; }

    private byte[]? _platformKeyHash;

    /// <summary>The platform key's hash, worked out once: every request with a key is compared with it.</summary>
    internal byte[]? PlatformKeyHash() =>
        PlatformKey is { Length: > 0 } key ? _platformKeyHash ??= Tenants.ApiKeySecrets.Hash(key) : null;

    /// <summary>How long a looked-up key is trusted before it is read again (a revocation on this instance is immediate).</summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:05:00")]
    public TimeSpan KeyCacheLifetime { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Lifetime of a customer token unless the minting call asks for less.</summary>
    [Range(typeof(TimeSpan), "00:01:00", "1.00:00:00")]
    public TimeSpan CustomerTokenLifetime { get; set; } = TimeSpan.FromMinutes(30);

    /// <summary>Failed authentications one client address may make in a burst before it gets 429s.</summary>
    [Range(1, 10_000)]
    public int FailedAuthenticationBurst { get; set; } = 20;

    /// <summary>How fast a client address earns back one failed authentication.</summary>
    [Range(typeof(TimeSpan), "00:00:00.010", "00:10:00")]
    public TimeSpan FailedAuthenticationRefill { get; set; } = TimeSpan.FromSeconds(3);

    /// <summary>
    /// The networks of the proxies in front of the gateway (an ingress controller), comma-separated CIDRs such as
    /// <c>10.0.0.0/8</c>. Only their X-Forwarded-For is believed, so the per-address limit on failed
    /// authentications counts real clients rather than the ingress; empty (the default) believes no one.
    /// </summary>
    public string TrustedProxies { get; set; } = "";

    /// <summary>Serve GraphiQL at /graphql to browsers (development).</summary>
    public bool Playground { get; set; }

    /// <summary>Timeout of one call from a GraphQL resolver to a service.</summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "00:01:00")]
    public TimeSpan ServiceCallTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// The identity service's issuer (its <c>IdentityServer__Issuer</c>: the platform's public address). Access tokens
    /// from it are accepted beside API keys; empty accepts API keys only.
    /// </summary>
    public string? TokenIssuer { get; set; }

    /// <summary>How long the identity service's public keys are kept before they are fetched again (a token with an unknown key fetches at once).</summary>
    [Range(typeof(TimeSpan), "00:00:10", "1.00:00:00")]
    public TimeSpan TokenKeysLifetime { get; set; } = TimeSpan.FromMinutes(10);

    public IReadOnlyList<System.Net.IPNetwork> TrustedProxyNetworks() =>
        [.. TrustedProxies.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(c => System.Net.IPNetwork.Parse(c))];

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        var invalid = TrustedProxies.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .FirstOrDefault(c => !System.Net.IPNetwork.TryParse(c, out _));
        if (invalid is not null)
        {
            yield return new ValidationResult($"\"{invalid}\" is not a network in CIDR notation (e.g. 10.0.0.0/8).", [nameof(TrustedProxies)]);
        }

        if (PlatformKey is { Length: > 0 and < 32 })
        {
            yield return new ValidationResult("must be at least 32 characters (a random secret).", [nameof(PlatformKey)]);
        }
    }
}
