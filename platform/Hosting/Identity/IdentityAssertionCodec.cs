using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace MachCommerce.Hosting.Identity;

/// <summary>
/// Signs and verifies identity assertions as a compact token: <c>v1.{base64url(json)}.{base64url(hmac-sha256)}</c>.
/// HMAC with a shared key keeps it inside the framework's own crypto; the JWT packages that restore here are old.
/// </summary>
public sealed class IdentityAssertionCodec
{
    /// <summary>The request header that carries the assertion from the gateway to a service.</summary>
    public const string HeaderName = "X-Mach-Identity";

    private const string Version = "v1";
    private const int MaxTokenLength = 4096;

    private readonly byte[] _signingKey;
    private readonly byte[]? _previousKey;
    private readonly IdentityOptions _options;
    private readonly TimeProvider _time;

    public IdentityAssertionCodec(IdentityOptions options, TimeProvider? time = null)
    {
        _options = options;
        _time = time ?? TimeProvider.System;
        _signingKey = Convert.FromBase64String(options.SigningKey);
        _previousKey = string.IsNullOrEmpty(options.PreviousSigningKey) ? null : Convert.FromBase64String(options.PreviousSigningKey);
    }

    /// <summary>A new random key in the form <see cref="IdentityOptions.SigningKey"/> expects.</summary>
    public static string NewKey() => Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));

    public string Sign(IdentityAssertion assertion)
    {
        var payload = new Payload
        {
            Tenant = assertion.TenantId,
            Scopes = [.. assertion.Scopes],
            Subject = assertion.Subject,
            Profile = assertion.ProfileId,
            Visitor = assertion.VisitorId,
            Group = assertion.CustomerGroup,
            Audience = assertion.Audience,
            IssuedAt = assertion.IssuedAt.ToUnixTimeSeconds(),
            ExpiresAt = assertion.ExpiresAt.ToUnixTimeSeconds(),
        };
        var body = Base64Url.EncodeToString(JsonSerializer.SerializeToUtf8Bytes(payload, PayloadJson.Default.Payload));
        var signed = $"{Version}.{body}";
        return $"{signed}.{Base64Url.EncodeToString(Mac(_signingKey, signed))}";
    }

    /// <summary>Mints an assertion valid from now for <paramref name="lifetime"/> (default one minute).</summary>
    public string Mint(string tenantId, IEnumerable<string> scopes, string subject, string? profileId = null,
        string? visitorId = null, string? audience = null, TimeSpan? lifetime = null, string? customerGroup = null)
    {
        var now = _time.GetUtcNow();
        return Sign(new IdentityAssertion
        {
            TenantId = tenantId,
            Scopes = [.. scopes],
            Subject = subject,
            ProfileId = profileId,
            VisitorId = visitorId,
            CustomerGroup = customerGroup,
            Audience = audience,
            IssuedAt = now,
            ExpiresAt = now + (lifetime ?? TimeSpan.FromMinutes(1)),
        });
    }

    /// <summary>Verifies signature, lifetime and audience; on failure says why in words fit for a 401 answer.</summary>
    public bool TryVerify(string? token, out IdentityAssertion? assertion, out string failure)
    {
        assertion = null;
        failure = "";
        if (string.IsNullOrEmpty(token))
        {
            failure = "The identity assertion is missing.";
            return false;
        }

        var parts = token.Length <= MaxTokenLength ? token.Split('.') : [];
        if (parts.Length != 3 || parts[0] != Version)
        {
            failure = "The identity assertion is malformed.";
            return false;
        }

        if (!Base64Url.IsValid(parts[2]) || !SignatureMatches(token.AsSpan(0, token.LastIndexOf('.')), Base64Url.DecodeFromChars(parts[2])))
        {
            failure = "The identity assertion's signature is invalid.";
            return false;
        }

        Payload? payload;
        try
        {
            payload = JsonSerializer.Deserialize(Base64Url.DecodeFromChars(parts[1]), PayloadJson.Default.Payload);
        }
        catch (Exception exception) when (exception is JsonException or FormatException)
        {
            payload = null;
        }

        if (payload is null || string.IsNullOrEmpty(payload.Tenant) || string.IsNullOrEmpty(payload.Subject))
        {
            failure = "The identity assertion is malformed.";
            return false;
        }

        var now = _time.GetUtcNow();
        var issuedAt = DateTimeOffset.FromUnixTimeSeconds(payload.IssuedAt);
        var expiresAt = DateTimeOffset.FromUnixTimeSeconds(payload.ExpiresAt);
        if (expiresAt + _options.ClockSkew < now)
        {
            failure = "The identity assertion has expired.";
            return false;
        }

        if (issuedAt - _options.ClockSkew > now || expiresAt - issuedAt > _options.MaxLifetime)
        {
            failure = "The identity assertion's lifetime is not acceptable.";
            return false;
        }

        if (_options.Audience is { Length: > 0 } audience && !string.Equals(payload.Audience, audience, StringComparison.Ordinal))
        {
            failure = $"The identity assertion was not issued for {audience}.";
            return false;
        }

        assertion = new IdentityAssertion
        {
            TenantId = payload.Tenant,
            Scopes = payload.Scopes ?? [],
            Subject = payload.Subject,
            ProfileId = payload.Profile,
            VisitorId = payload.Visitor,
            CustomerGroup = payload.Group,
            Audience = payload.Audience,
            IssuedAt = issuedAt,
            ExpiresAt = expiresAt,
        };
        return true;
    }

    private bool SignatureMatches(ReadOnlySpan<char> signed, byte[] signature)
    {
        var text = signed.ToString();
        return CryptographicOperations.FixedTimeEquals(Mac(_signingKey, text), signature)
            || (_previousKey is not null && CryptographicOperations.FixedTimeEquals(Mac(_previousKey, text), signature));
    }

    private static byte[] Mac(byte[] key, string signed) => HMACSHA256.HashData(key, Encoding.ASCII.GetBytes(signed));

    internal sealed class Payload
    {
        [JsonPropertyName("ten")] public string Tenant { get; set; } = "";
        [JsonPropertyName("scp")] public string[]? Scopes { get; set; }
        [JsonPropertyName("sub")] public string Subject { get; set; } = "";
        [JsonPropertyName("pid")] public string? Profile { get; set; }
        [JsonPropertyName("vid")] public string? Visitor { get; set; }
        [JsonPropertyName("grp")] public string? Group { get; set; }
        [JsonPropertyName("aud")] public string? Audience { get; set; }
        [JsonPropertyName("iat")] public long IssuedAt { get; set; }
        [JsonPropertyName("exp")] public long ExpiresAt { get; set; }
    }
}

[JsonSourceGenerationOptions(DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(IdentityAssertionCodec.Payload))]
internal sealed partial class PayloadJson : JsonSerializerContext;
