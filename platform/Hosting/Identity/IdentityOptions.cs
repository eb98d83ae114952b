using System.ComponentModel.DataAnnotations;

namespace MachCommerce.Hosting.Identity;

/// <summary>Settings of the identity assertion, shared by the gateway (which signs) and the services (which verify).</summary>
public sealed class IdentityOptions : IValidatableObject
{
    public const string Section = "Identity";

    /// <summary>Base64 HMAC-SHA256 key shared with the gateway; at least 32 bytes.</summary>
    [Required]
    public string SigningKey { get; set; } = "";

    /// <summary>The key being rotated out: still accepted for verification, never used to sign.</summary>
    public string? PreviousSigningKey { get; set; }

    /// <summary>When set, only assertions minted for this audience (the service's name) are accepted.</summary>
    public string? Audience { get; set; }

    /// <summary>The longest lifetime an assertion may claim; longer ones are rejected even if signed.</summary>
    public TimeSpan MaxLifetime { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>Tolerance for clocks that disagree between the gateway and a service.</summary>
    public TimeSpan ClockSkew { get; set; } = TimeSpan.FromSeconds(30);

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (!string.IsNullOrEmpty(SigningKey) && !IsUsableKey(SigningKey))
        {
            yield return new ValidationResult("must be base64 of at least 32 bytes (e.g. `openssl rand -base64 32`).", [nameof(SigningKey)]);
        }

        if (!string.IsNullOrEmpty(PreviousSigningKey) && !IsUsableKey(PreviousSigningKey))
        {
            yield return new ValidationResult("must be base64 of at least 32 bytes.", [nameof(PreviousSigningKey)]);
        }

        if (MaxLifetime <= TimeSpan.Zero || MaxLifetime > TimeSpan.FromHours(1))
        {
            yield return new ValidationResult("must be between 00:00:01 and 01:00:00.", [nameof(MaxLifetime)]);
        }
    }

    private static bool IsUsableKey(string key)
    {
        var buffer = new byte[key.Length];
        return Convert.TryFromBase64String(key, buffer, out var length) && length >= 32;
    }
}
