using System.Security.Claims;
using System.Security.Cryptography;
using System.Text.Encodings.Web;
using MachCommerce.Gateway.Callers;
using MachCommerce.Gateway.RateLimits;
using MachCommerce.Gateway.Tenants;

namespace MachCommerce.Gateway.Identity;

/// <summary>
/// Authenticates a request by its API key (<c>Authorization: Bearer mc_…</c> or <c>X-Api-Key</c>) or an access
/// token from the identity service (<c>Authorization: Bearer eyJ…</c>) and, on a
/// storefront request, its customer token. A missing, unknown, revoked or expired key is a 401 that says which;
/// an address that keeps failing gets 429 with Retry-After before its keys are even looked up.
/// </summary>
public sealed class ApiKeyAuthentication(
    IOptionsMonitor<AuthenticationSchemeOptions> options,
    ILoggerFactory logger,
    UrlEncoder encoder,
    KeyStore keys,
    AccessTokens accessTokens,
    CustomerTokens customerTokens,
    CustomerAccounts customerAccounts,
    Cooperatives.CooperativeStore cooperatives,
    FailedAuthentications failures,
    IOptions<GatewayOptions> gateway,
    TimeProvider time,
    IProblemDetailsService problems)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "ApiKey";
    public const string ApiKeyHeader = "X-Api-Key";

    /// <summary>The member shop a cooperative's staff member acts in with this request.</summary>
    public const string TenantHeader = "X-Tenant";
    public const string KindClaim = "kind";

    /// <summary>Where a cooperative's staff member who names no member shop works on the cooperative's central assortment.</summary>
    public const string CentralAssortmentPath = "/api/catalog";

    /// <summary>Where a cooperative's staff member who names no member shop keeps the cooperative's central campaigns.</summary>
    public const string CentralCampaignsPath = "/api/personalization/central";

    /// <summary>Where a cooperative's staff member who names no member shop reads the contacts customers shared with the cooperative.</summary>
    public const string CooperativeContactsPath = "/api/profiles/cooperative";

    private static readonly RatePlan PlatformPlan = new(100, 200);

    private string? _failure;
    private TimeSpan? _blockedFor;

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        if (PresentedKey() is not { } presented)
        {
            return AuthenticateResult.NoResult();
        }

        var address = Context.Connection.RemoteIpAddress?.ToString() ?? "unknown";
        if (failures.IsBlocked(address, out var retryAfter))
        {
            _blockedFor = retryAfter;
            return Fail("Too many failed authentications from this address; wait before trying again.");
        }

        var (caller, failure) = await IdentifyAsync(presented);
        if (caller is not null && Request.Headers.TryGetValue(CustomerTokens.HeaderName, out var tokenValues) && tokenValues.ToString() is { Length: > 0 } token)
        {
            (caller, failure) = await ActAsCustomerAsync(caller!, token);
        }

        if (caller is null)
        {
            failures.Record(address);
            return Fail(failure!);
        }

        if (caller.TenantId.Length > 0 && !CooperativeTenants.IsCentral(caller.TenantId))
        {
            caller = caller with { TenantCooperative = await cooperatives.CooperativeOfAsync(caller.TenantId, Context.RequestAborted) };
        }

        Context.Features.Set(caller);
        var claims = new List<Claim>
        {
            new(ClaimTypes.NameIdentifier, caller.Subject),
            new(IdentityAssertionAuthentication.TenantClaim, caller.TenantId),
            new(KindClaim, ApiKeyKinds.Name(caller.Kind)),
        };
        claims.AddRange(caller.Scopes.Select(scope => new Claim(IdentityAssertionAuthentication.ScopeClaim, scope)));
        return AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(new ClaimsIdentity(claims, SchemeName)), SchemeName));
    }

    private AuthenticateResult Fail(string failure)
    {
        _failure = failure;
        return AuthenticateResult.Fail(failure);
    }

    private string? PresentedKey()
    {
        var authorization = Request.Headers.Authorization.ToString();
        if (authorization.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            return authorization[7..].Trim();
        }

        return Request.Headers.TryGetValue(ApiKeyHeader, out var values) && values.ToString() is { Length: > 0 } key ? key.Trim() : null;
    }

    private async Task<(Caller? Caller, string? Failure)> IdentifyAsync(string presented)
    {
        if (AccessTokens.LooksLikeToken(presented))
        {
            return await IdentifyByTokenAsync(presented);
        }

        var hash = ApiKeySecrets.Hash(presented);
        if (gateway.Value.PlatformKeyHash() is { } platformKey && CryptographicOperations.FixedTimeEquals(hash, platformKey))
        {
            return (new Caller("", KeyKind.Platform, null, [], [], PlatformPlan), null);
        }

        if (!ApiKeySecrets.LooksLikeKey(presented) || await keys.FindAsync(hash, Context.RequestAborted) is not { } found)
        {
            return (null, "The API key is not valid.");
        }

        var key = found.Key;
        if (key.RevokedAt is not null)
        {
            return (null, "The API key has been revoked.");
        }

        if (key.ExpiresAt is { } expires && expires <= time.GetUtcNow())
        {
            return (null, $"The API key expired at {expires.ToString("u", CultureInfo.InvariantCulture)}.");
        }

        if (!found.TenantActive)
        {
            return (null, "The tenant of this API key is suspended.");
        }

        // A partner key keeps the scopes chosen for it; the other kinds have their kind's scopes, so keys made before a
        // scope existed (clients:manage) get it too.
        var scopes = key.Kind == KeyKind.Partner ? key.Scopes : ApiKeyKinds.ScopesOf(key.Kind, null);
        // A cooperative's own (storefront) key acts in the cooperative's central level.
        return (new Caller(key.TenantId, key.Kind, key.Id, scopes, key.AllowedOrigins, key.Plan)
        {
            TenantCooperative = CooperativeTenants.IsCentral(key.TenantId) ? key.TenantId[CooperativeTenants.CentralPrefix.Length..] : "",
        }, null);
    }

    /// <summary>A partner client's access token: its tenant, its scopes, its plan; its tenant must be active as a key's must.</summary>
    private async Task<(Caller? Caller, string? Failure)> IdentifyByTokenAsync(string presented)
    {
        var (token, failure) = await accessTokens.VerifyAsync(presented, Context.RequestAborted);
        if (token is null)
        {
            return (null, failure);
        }

        if (token.Role == AccessTokens.CustomerRole)
        {
            return (null, $"A customer's access token is not an API credential: send it in the {CustomerTokens.HeaderName} header beside the shop's storefront key.");
        }

        if (token.Cooperative is { } cooperative)
        {
            return await IdentifyCooperativeStaffAsync(token, cooperative);
        }

        if (token is { Role: AccessTokens.OperatorRole, TenantId.Length: 0 })
        {
            return (new Caller("", KeyKind.Platform, null, [], [], PlatformPlan) { UserId = token.Subject }, null);
        }

        if (!await keys.IsTenantActiveAsync(token.TenantId, Context.RequestAborted))
        {
            return (null, "The tenant of this access token is suspended or does not exist.");
        }

        // The shop's owner signed in is its admin (keys, clients, staff); everyone else has the partner scopes their
        // role or client was given, never an owner's.
        if (token.Role == "owner")
        {
            return (new Caller(token.TenantId, KeyKind.Admin, null, ApiKeyKinds.ScopesOf(KeyKind.Admin, null), [], token.Plan) { UserId = token.Subject }, null);
        }

        var scopes = token.Scopes.Where(Scopes.All.Contains).ToList();
        return (new Caller(token.TenantId, KeyKind.Partner, null, scopes, [], token.Plan)
        {
            ClientId = token.Role is null ? token.Subject : null,
            UserId = token.Role is null ? null : token.Subject,
        }, null);
    }

    /// <summary>
    /// A person of a cooperative's staff: in the member shop the request names in <see cref="TenantHeader"/> (checked
    /// against the cooperative's members now, so a detached shop is closed to them at once), with their role's scopes;
    /// without the header, in the cooperative's central level for the catalog's routes (central assortment), the
    /// central campaigns and the contacts customers shared with it, and in no shop otherwise
    /// (<c>/api/cooperative</c> tells them which shops they may name).
    /// </summary>
    private async Task<(Caller? Caller, string? Failure)> IdentifyCooperativeStaffAsync(AccessToken token, string cooperative)
    {
        var scopes = token.Scopes.Where(Scopes.All.Contains).ToList();
        var caller = new Caller("", KeyKind.Partner, null, scopes, [], token.Plan) { UserId = token.Subject, Cooperative = cooperative };
        if (!Request.Headers.TryGetValue(TenantHeader, out var named) || named.ToString() is not { Length: > 0 } tenant)
        {
            return Request.Path.StartsWithSegments(CentralAssortmentPath) || Request.Path.StartsWithSegments(CentralCampaignsPath) || Request.Path.StartsWithSegments(CooperativeContactsPath)
                ? (caller with { TenantId = CooperativeTenants.CentralTenant(cooperative), TenantCooperative = cooperative }, null)
                : (caller, null);
        }

        if (await cooperatives.CooperativeOfAsync(tenant, Context.RequestAborted) != cooperative)
        {
            return (null, $"The shop \"{tenant}\" named in {TenantHeader} is not a member of your cooperative \"{cooperative}\".");
        }

        return await keys.IsTenantActiveAsync(tenant, Context.RequestAborted)
            ? (caller with { TenantId = tenant }, null)
            : (null, $"The shop \"{tenant}\" is suspended.");
    }

    private async Task<(Caller? Caller, string? Failure)> ActAsCustomerAsync(Caller caller, string token)
    {
        if (caller.Kind == KeyKind.Platform)
        {
            return (null, "A platform key does not act for customers.");
        }

        // The shop's backend minted it (its own login), or the shopper signed in with a customer account of the identity service.
        var (customer, failure) = CustomerAccounts.IsAccessToken(token)
            ? await customerAccounts.VerifyAsync(token, caller.TenantId, Context.RequestAborted)
            : await customerTokens.VerifyAsync(token);
        if (customer is null)
        {
            return (null, failure);
        }

        // A token minted for another tenant is as good as none: it must never let one shop act in another.
        return customer.TenantId != caller.TenantId
            ? (null, "The customer token belongs to another tenant.")
            : (caller with { ProfileId = customer.ProfileId, CustomerGroup = customer.CustomerGroup }, null);
    }

    protected override Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        var status = _blockedFor is null ? StatusCodes.Status401Unauthorized : StatusCodes.Status429TooManyRequests;
        Response.StatusCode = status;
        if (_blockedFor is { } wait)
        {
            Response.Headers.RetryAfter = ((int)Math.Ceiling(wait.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
        }
        else
        {
            Response.Headers.WWWAuthenticate = "Bearer";
        }

        return problems.WriteAsync(new ProblemDetailsContext
        {
            HttpContext = Context,
            ProblemDetails =
            {
                Status = status,
                Title = _blockedFor is null ? "Unauthorized" : "Too Many Requests",
                Detail = _failure ?? $"An API key is required: send it as 'Authorization: Bearer <key>' or in the {ApiKeyHeader} header.",
            },
        }).AsTask();
    }
}
