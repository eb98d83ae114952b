using MachCommerce.Hosting.Identity;

namespace MachCommerce.Identity.Tokens;

/// <summary>The OpenID Connect provider's own settings (<c>IdentityServer__*</c>).</summary>
public sealed class IdentityServerOptions : IValidatableObject
{
    public const string Section = "IdentityServer";

    /// <summary>
    /// The issuer, as clients reach it: the gateway's public address (https://api.shop.example/). Tokens carry it as
    /// <c>iss</c>, and the gateway accepts only tokens that do.
    /// </summary>
    [Required]
    public string Issuer { get; set; } = "";

    /// <summary>
    /// ES256 private keys (base64 PKCS#8, P-256), separated by spaces. The first signs; all are published in the
    /// JWKS, so a new key can be added in front while tokens signed with the old one are still valid (rotation).
    /// </summary>
    [Required]
    public string SigningKeys { get; set; } = "";

    /// <summary>A 256-bit symmetric key (base64) for the tokens OpenIddict encrypts for itself; access tokens are signed only.</summary>
    [Required]
    public string EncryptionKey { get; set; } = "";

    /// <summary>How long an access token lives: also how long a revoked partner client's last token keeps working.</summary>
    [Range(typeof(TimeSpan), "00:01:00", "01:00:00")]
    public TimeSpan AccessTokenLifetime { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>How long a refresh token that was just used may be used once more (a client whose answer got lost retries);
    /// after that, using it again revokes every token of the sign-in it belongs to.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:05:00")]
    public TimeSpan RefreshTokenReuseLeeway { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>The front ends people sign in to, by client id (e.g. <c>IdentityServer__FrontEnds__mach-console__RedirectUris__0</c>).</summary>
    public Dictionary<string, FrontEndClient> FrontEnds { get; set; } = [];

    public IReadOnlyList<string> SigningKeyList() => SigningKeys.Split([' ', ',', '\n'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (!Uri.TryCreate(Issuer, UriKind.Absolute, out var issuer) || issuer.Scheme is not ("https" or "http") || !string.IsNullOrEmpty(issuer.Query) || !string.IsNullOrEmpty(issuer.Fragment))
        {
            yield return new ValidationResult("must be the absolute address clients reach the platform at, like https://api.shop.example/.", [nameof(Issuer)]);
        }

        if (SigningKeyList().Count == 0 || SigningKeyList().Any(key => !IdentityKeys.TryReadPrivate(key, out _)))
        {
            yield return new ValidationResult("must be one or more base64 PKCS#8 P-256 private keys, separated by spaces (the launcher makes one; see k8s/README.md).", [nameof(SigningKeys)]);
        }

        foreach (var (clientId, client) in FrontEnds)
        {
            if (client.RedirectUris.Count == 0 || client.RedirectUris.Any(u => !Uri.TryCreate(u, UriKind.Absolute, out var uri) || uri.Scheme is not ("https" or "http") || !string.IsNullOrEmpty(uri.Fragment)))
            {
                yield return new ValidationResult("needs one or more absolute http(s) redirect addresses without a fragment.", [$"{nameof(FrontEnds)}:{clientId}:{nameof(FrontEndClient.RedirectUris)}"]);
            }

            if (client.Shop is { } shop && !System.Text.RegularExpressions.Regex.IsMatch(shop, "^[a-z0-9][a-z0-9-]{1,62}$"))
            {
                yield return new ValidationResult("must be a shop's tenant id (lower-case letters, digits and hyphens).", [$"{nameof(FrontEnds)}:{clientId}:{nameof(FrontEndClient.Shop)}"]);
            }
        }

        var bytes = new byte[EncryptionKey.Length];
        if (!Convert.TryFromBase64String(EncryptionKey, bytes, out var length) || length != 32)
        {
            yield return new ValidationResult("must be 32 random bytes, base64.", [nameof(EncryptionKey)]);
        }
    }
}
