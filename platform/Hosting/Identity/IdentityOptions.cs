namespace MachCommerce.Hosting.Identity;

/// <summary>
/// Who this process is in the identity scheme: the audience it accepts assertions for, the signers it believes
/// (by name, with their public keys), and, if it signs assertions itself (the gateway; profiles asking the data
/// holders), its name and private key. Nobody shares a secret: a compromised service can sign only as itself, and
/// only with the scopes its verifiers allow it.
/// </summary>
public sealed class IdentityOptions : IValidatableObject
{
    public const string Section = "Identity";

    /// <summary>This process's name in the assertions it accepts (<c>aud</c>): catalog, profiles, personalization, gateway.</summary>
    [Required]
    public string Audience { get; set; } = "";

    /// <summary>The signers whose assertions this process accepts, by name (the <c>iss</c> they sign as).</summary>
    public Dictionary<string, TrustedSigner> TrustedSigners { get; set; } = [];

    /// <summary>The name this process signs as; with <see cref="SigningKey"/>.</summary>
    public string? Issuer { get; set; }

    /// <summary>This process's own private key (base64 PKCS#8, P-256); only a process that signs has one.</summary>
    public string? SigningKey { get; set; }

    /// <summary>The longest lifetime an assertion may claim; longer ones are rejected even if signed.</summary>
    public TimeSpan MaxLifetime { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>Tolerance for clocks that disagree between the signer and this process.</summary>
    public TimeSpan ClockSkew { get; set; } = TimeSpan.FromSeconds(30);

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (!string.IsNullOrEmpty(SigningKey))
        {
            if (!IdentityKeys.TryReadPrivate(SigningKey, out _))
            {
                yield return new ValidationResult("must be a base64 PKCS#8 P-256 private key (the launcher makes one; see k8s/README.md).", [nameof(SigningKey)]);
            }

            if (string.IsNullOrWhiteSpace(Issuer))
            {
                yield return new ValidationResult("is required with a signing key: the name this process signs as.", [nameof(Issuer)]);
            }
        }

        if (TrustedSigners.Count == 0)
        {
            yield return new ValidationResult("needs at least one signer this process believes, e.g. Identity__TrustedSigners__gateway__PublicKeys.", [nameof(TrustedSigners)]);
        }

        foreach (var (name, signer) in TrustedSigners)
        {
            if (signer.Keys().Count == 0 || signer.Keys().Any(key => !IdentityKeys.TryReadPublic(key, out _)))
            {
                yield return new ValidationResult("must be one or more base64 P-256 public keys, separated by spaces.",
                    [$"{nameof(TrustedSigners)}:{name}:{nameof(TrustedSigner.PublicKeys)}"]);
            }
        }

        if (MaxLifetime <= TimeSpan.Zero || MaxLifetime > TimeSpan.FromHours(1))
        {
            yield return new ValidationResult("must be between 00:00:01 and 01:00:00.", [nameof(MaxLifetime)]);
        }

        if (ClockSkew < TimeSpan.Zero || ClockSkew > TimeSpan.FromMinutes(5))
        {
            yield return new ValidationResult("must be between 00:00:00 and 00:05:00.", [nameof(ClockSkew)]);
        }
    }
}

/// <summary>A signer this process believes.</summary>
public sealed class TrustedSigner
{
    /// <summary>Its public keys, base64, separated by spaces: two while it rotates (the new one and the old).</summary>
    public string PublicKeys { get; set; } = "";

    /// <summary>The scopes it may assert; none listed means any (the gateway, which grants them).</summary>
    public List<string> Scopes { get; set; } = [];

    public IReadOnlyList<string> Keys() => PublicKeys.Split([' ', ',', '\n'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
}
