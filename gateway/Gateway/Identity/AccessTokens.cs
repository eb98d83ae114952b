using MachCommerce.Gateway.Callers;
using MachCommerce.Gateway.Services;

namespace MachCommerce.Gateway.Identity;

/// <summary>
/// A verified access token from the identity service: a partner's client, or a person (<see cref="Role"/> set) of the
/// shop's staff, acting in its tenant.
/// </summary>
public sealed record AccessToken(string TenantId, string Subject, IReadOnlyList<string> Scopes, RatePlan Plan, string? Role = null)
{
    /// <summary>The account's address (a customer's token carries it for the profile it is linked to).</summary>
    public string? Email { get; init; }

    public DateTimeOffset ExpiresAt { get; init; }

    /// <summary>The cooperative a person of its staff acts for (then <see cref="TenantId"/> is empty: the request names the member shop).</summary>
    public string? Cooperative { get; init; }
}

/// <summary>
/// Access tokens from the identity service (OAuth 2.0 client credentials today): JWTs of type <c>at+jwt</c>, signed
/// ES256 with a key from the service's JWKS (<see cref="IdentityKeySet"/>), issued by
/// <see cref="GatewayOptions.TokenIssuer"/> for this gateway.
/// </summary>
public sealed class AccessTokens : IDisposable
{
    public const string Audience = "mach-gateway";
    public const string TokenType = "at+jwt";

    /// <summary>The role of a shop's customer (an account of the identity service): usable only as a customer token.</summary>
    public const string CustomerRole = "customer";

    /// <summary>The role of a person who operates the platform: the token is then what the platform key is.</summary>
    public const string OperatorRole = "operator";
    private const int MaxTokenLength = 4096;

    private static readonly JsonWebTokenHandler Tokens = new() { MaximumTokenSizeInBytes = MaxTokenLength };

    /// <summary>ES256 verification costs ~250 µs here; a partner sends one token for minutes, so it is verified once.</summary>
    private const int MaxRemembered = 20_000;

    private readonly ExpiringCache<AccessToken> _verified;
    private readonly IdentityKeySet? _keys;
    private readonly string _issuer;

    public AccessTokens(IOptions<GatewayOptions> options, ServiceEndpoints endpoints, IHttpClientFactory http, TimeProvider time)
    {
        _verified = new ExpiringCache<AccessToken>(MaxRemembered, time);
        var settings = options.Value;
        _issuer = settings.TokenIssuer ?? "";
        if (_issuer.Length == 0)
        {
            return;
        }

        _keys = new IdentityKeySet(endpoints, http, time, settings.TokenKeysLifetime);
    }

    /// <summary>Whether a bearer credential is a JWT rather than an API key (three base64url parts).</summary>
    public static bool LooksLikeToken(string presented) => presented.StartsWith("eyJ", StringComparison.Ordinal) && presented.AsSpan().Count('.') == 2;

    /// <summary>Checks type, issuer, audience, signature and lifetime; on failure says why in words fit for a 401 answer.</summary>
    public async Task<(AccessToken? Token, string Failure)> VerifyAsync(string token, CancellationToken cancellationToken)
    {
        if (_keys is null)
        {
            return (null, "This gateway accepts API keys only (no token issuer is configured).");
        }

        if (token.Length > MaxTokenLength)
        {
            return (null, "The access token is malformed.");
        }

        // The same bytes verify the same way; only the expiry depends on the time, and the cache keeps a token only until then.
        if (_verified.TryGet(token, out var known))
        {
            return (known, "");
        }

        if (await _keys.GetAsync(cancellationToken) is not { } keys)
        {
            return (null, Unreachable);
        }

        var result = await Tokens.ValidateTokenAsync(token, Validation(keys));
        if (result.Exception is SecurityTokenSignatureKeyNotFoundException)
        {
            // A key we do not hold yet: the identity service may have rotated. Ask again (throttled by RefreshInterval).
            if (await _keys.RefetchAsync(cancellationToken) is not { } fresh)
            {
                return (null, Unreachable);
            }

            result = await Tokens.ValidateTokenAsync(token, Validation(fresh));
        }

        if (!result.IsValid)
        {
            return (null, result.Exception switch
            {
                SecurityTokenExpiredException => "The access token has expired; ask the token endpoint for a new one.",
                SecurityTokenInvalidAudienceException or SecurityTokenInvalidTypeException => "The token is not an access token for this API.",
                SecurityTokenInvalidIssuerException => "The access token was issued by someone this gateway does not trust.",
                SecurityTokenSignatureKeyNotFoundException or SecurityTokenInvalidSignatureException or SecurityTokenInvalidAlgorithmException => "The access token's signature is not valid.",
                _ => "The access token is malformed.",
            });
        }

        var jwt = (JsonWebToken)result.SecurityToken;
        // A token names exactly one place: a shop (ten); a cooperative (coop), whose staff act in each member shop a
        // request names; or, for a platform operator, the platform itself (tenants and cooperatives, no shop).
        var tenant = jwt.TryGetPayloadValue<string>("ten", out var ten) && !string.IsNullOrEmpty(ten) ? ten : null;
        var cooperative = jwt.TryGetPayloadValue<string>("coop", out var coop) && !string.IsNullOrEmpty(coop) ? coop : null;
        var role = jwt.TryGetPayloadValue<string>("role", out var staffRole) ? staffRole : null;
        var operates = role == OperatorRole && cooperative is null;
        if ((tenant is null ? 0 : 1) + (cooperative is null ? 0 : 1) + (operates ? 1 : 0) != 1 || string.IsNullOrEmpty(jwt.Subject))
        {
            return (null, "The access token does not name a shop; only partner clients' tokens are accepted here.");
        }

        var scopes = jwt.TryGetPayloadValue<string>("scope", out var scope) ? scope.Split(' ', StringSplitOptions.RemoveEmptyEntries) : [];
        // The plan the owner chose for the client, within what any key may have; a token without one gets the partner default.
        var plan = jwt.TryGetPayloadValue<int>("rps", out var rate) && jwt.TryGetPayloadValue<int>("burst", out var burst)
            && rate is >= 1 && rate <= RatePlan.Max.PerSecond && burst >= rate && burst <= RatePlan.Max.Burst
                ? new RatePlan(rate, burst)
                : ApiKeyKinds.DefaultPlan(KeyKind.Partner);
        var accepted = new AccessToken(tenant ?? "", jwt.Subject, scopes, plan, role)
        {
            Email = jwt.TryGetPayloadValue<string>("email", out var email) ? email : null,
            Cooperative = cooperative,
            ExpiresAt = new DateTimeOffset(jwt.ValidTo, TimeSpan.Zero),
        };
        _verified.Set(token, accepted, new DateTimeOffset(jwt.ValidTo, TimeSpan.Zero));
        return (accepted, "");
    }

    public const string Unreachable = "Access tokens cannot be checked right now (the identity service is unreachable); API keys still work.";

    private TokenValidationParameters Validation(JsonWebKeySet keys) => new()
    {
        ValidIssuer = _issuer,
        ValidAudience = Audience,
        ValidTypes = [TokenType],
        ValidAlgorithms = [SecurityAlgorithms.EcdsaSha256],
        IssuerSigningKeys = keys.GetSigningKeys(),
        RequireSignedTokens = true,
        RequireExpirationTime = true,
        ClockSkew = TimeSpan.FromSeconds(30),
    };

    public void Dispose() => _keys?.Dispose();
}
