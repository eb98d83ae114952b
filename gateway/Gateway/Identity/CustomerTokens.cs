namespace MachCommerce.Gateway.Identity;

/// <summary>A verified customer token: a storefront request carrying it acts as this customer.</summary>
public sealed record CustomerToken(string TenantId, string ProfileId, string? CustomerGroup, DateTimeOffset ExpiresAt);

/// <summary>
/// Short-lived customer tokens: a partner or admin key mints one for a profile after the shop signed its customer
/// in, and the shop's front end sends it with its storefront key. JWTs signed ES256 with the gateway's own key,
/// of their own type (<c>mach-customer+jwt</c>) and audience, so a customer token never passes for a service
/// assertion (and the other way round). Only the gateway reads them: it believes its own key and, during a
/// rotation, the gateway keys it lists as trusted.
/// </summary>
public sealed class CustomerTokens
{
    public const string HeaderName = "X-Customer-Token";
    public const string TokenType = "mach-customer+jwt";
    private const string Audience = "mach-customer";
    private const int MaxTokenLength = 2048;

    private static readonly JsonWebTokenHandler Tokens = new() { SetDefaultTimesOnTokenCreation = false, MaximumTokenSizeInBytes = MaxTokenLength };

    private readonly string _issuer;
    private readonly SigningCredentials _signing;
    private readonly TokenValidationParameters _validation;
    private readonly TimeProvider _time;

    public CustomerTokens(IOptions<IdentityOptions> identity, TimeProvider time)
    {
        var options = identity.Value;
        _issuer = options.Issuer ?? throw new InvalidOperationException("The gateway needs Identity__Issuer and Identity__SigningKey.");
        if (!IdentityKeys.TryReadPrivate(options.SigningKey, out var signingKey))
        {
            throw new InvalidOperationException("The gateway needs Identity__SigningKey to sign customer tokens.");
        }

        _signing = new SigningCredentials(signingKey, SecurityAlgorithms.EcdsaSha256);
        _time = time;
        // The signing key verifies too (its id is the thumbprint of its public half).
        var keys = new List<SecurityKey> { signingKey! };
        foreach (var text in options.TrustedSigners.GetValueOrDefault(_issuer)?.Keys() ?? [])
        {
            if (IdentityKeys.TryReadPublic(text, out var key) && key!.KeyId != signingKey!.KeyId)
            {
                keys.Add(key);
            }
        }

        _validation = new TokenValidationParameters
        {
            ValidAlgorithms = [SecurityAlgorithms.EcdsaSha256],
            ValidTypes = [TokenType],
            ValidIssuer = _issuer,
            ValidAudience = Audience,
            IssuerSigningKeys = keys,
            TryAllIssuerSigningKeys = false,
            RequireSignedTokens = true,
            RequireExpirationTime = true,
            LifetimeValidator = (_, expires, _, _) => expires is { } expiry && expiry > _time.GetUtcNow().UtcDateTime
                ? true
                : throw new SecurityTokenExpiredException("expired"),
        };
    }

    public (string Token, DateTimeOffset ExpiresAt) Issue(string tenantId, string profileId, string? customerGroup, TimeSpan lifetime)
    {
        var now = DateTimeOffset.FromUnixTimeSeconds(_time.GetUtcNow().ToUnixTimeSeconds());
        var expires = now + lifetime;
        var claims = new Dictionary<string, object> { [JwtRegisteredClaimNames.Sub] = profileId, ["ten"] = tenantId };
        if (customerGroup is not null)
        {
            claims["grp"] = customerGroup;
        }

        var token = Tokens.CreateToken(new SecurityTokenDescriptor
        {
            TokenType = TokenType,
            Issuer = _issuer,
            Audience = Audience,
            IssuedAt = now.UtcDateTime,
            NotBefore = now.UtcDateTime,
            Expires = expires.UtcDateTime,
            Claims = claims,
            SigningCredentials = _signing,
        });
        return (token, expires);
    }

    /// <summary>Checks form, signature and expiry; on failure says why in words fit for a 401 answer.</summary>
    public async Task<(CustomerToken? Customer, string Failure)> VerifyAsync(string token)
    {
        if (token.Length > MaxTokenLength)
        {
            return (null, "The customer token is malformed.");
        }

        var result = await Tokens.ValidateTokenAsync(token, _validation);
        if (!result.IsValid)
        {
            return (null, result.Exception switch
            {
                SecurityTokenExpiredException => "The customer token has expired; sign the customer in again.",
                SecurityTokenInvalidSignatureException or SecurityTokenInvalidIssuerException or SecurityTokenInvalidAlgorithmException => "The customer token's signature is not valid.",
                SecurityTokenInvalidTypeException or SecurityTokenInvalidAudienceException => "The token is not a customer token.",
                _ => "The customer token is malformed.",
            });
        }

        var jwt = (JsonWebToken)result.SecurityToken;
        if (!jwt.TryGetPayloadValue<string>("ten", out var tenant) || string.IsNullOrEmpty(tenant) || string.IsNullOrEmpty(jwt.Subject))
        {
            return (null, "The customer token is malformed.");
        }

        var group = jwt.TryGetPayloadValue<string>("grp", out var g) ? g : null;
        return (new CustomerToken(tenant, jwt.Subject, group, new DateTimeOffset(jwt.ValidTo, TimeSpan.Zero)), "");
    }
}
