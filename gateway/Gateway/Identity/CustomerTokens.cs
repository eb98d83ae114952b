using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using MachCommerce.Hosting.Identity;
using Microsoft.Extensions.Options;

namespace MachCommerce.Gateway.Identity;

/// <summary>A verified customer token: a storefront request carrying it acts as this customer.</summary>
public sealed record CustomerToken(string TenantId, string ProfileId, string? CustomerGroup, DateTimeOffset ExpiresAt);

/// <summary>
/// Short-lived customer tokens (<c>ct1.{payload}.{mac}</c>): a partner or admin key mints one for a profile after
/// the shop signed its customer in, and the shop's front end sends it with its storefront key. HMAC-SHA256 with a
/// key derived from the identity signing key for this purpose only, so a customer token can never pass for a
/// service assertion (and the other way round). The previous signing key still verifies during a rotation.
/// </summary>
public sealed class CustomerTokens
{
    public const string HeaderName = "X-Customer-Token";
    private const string Version = "ct1";

    private readonly byte[] _key;
    private readonly byte[]? _previousKey;
    private readonly TimeProvider _time;

    public CustomerTokens(IOptions<IdentityOptions> identity, TimeProvider time)
    {
        _key = Derive(identity.Value.SigningKey);
        _previousKey = string.IsNullOrEmpty(identity.Value.PreviousSigningKey) ? null : Derive(identity.Value.PreviousSigningKey);
        _time = time;
    }

    public (string Token, DateTimeOffset ExpiresAt) Issue(string tenantId, string profileId, string? customerGroup, TimeSpan lifetime)
    {
        var expires = _time.GetUtcNow() + lifetime;
        var payload = new Payload { Tenant = tenantId, Profile = profileId, Group = customerGroup, ExpiresAt = expires.ToUnixTimeSeconds() };
        var signed = $"{Version}.{Base64Url.EncodeToString(JsonSerializer.SerializeToUtf8Bytes(payload, TokenJson.Default.Payload))}";
        return ($"{signed}.{Base64Url.EncodeToString(HMACSHA256.HashData(_key, Encoding.ASCII.GetBytes(signed)))}", DateTimeOffset.FromUnixTimeSeconds(expires.ToUnixTimeSeconds()));
    }

    /// <summary>Checks form, signature and expiry; on failure says why in words fit for a 401 answer.</summary>
    public bool TryVerify(string token, out CustomerToken? customer, out string failure)
    {
        customer = null;
        failure = "The customer token is malformed.";
        var parts = token.Split('.');
        if (token.Length > 2048 || parts.Length != 3 || parts[0] != Version)
        {
            return false;
        }

        byte[] mac;
        Payload? payload;
        try
        {
            mac = Base64Url.DecodeFromChars(parts[2]);
            payload = JsonSerializer.Deserialize(Base64Url.DecodeFromChars(parts[1]), TokenJson.Default.Payload);
        }
        catch (Exception e) when (e is FormatException or JsonException)
        {
            return false;
        }

        var signed = Encoding.ASCII.GetBytes($"{parts[0]}.{parts[1]}");
        var valid = CryptographicOperations.FixedTimeEquals(mac, HMACSHA256.HashData(_key, signed))
            || _previousKey is not null && CryptographicOperations.FixedTimeEquals(mac, HMACSHA256.HashData(_previousKey, signed));
        if (!valid || payload is null || payload.Tenant.Length == 0 || payload.Profile.Length == 0)
        {
            failure = "The customer token's signature is not valid.";
            return false;
        }

        var expires = DateTimeOffset.FromUnixTimeSeconds(payload.ExpiresAt);
        if (expires <= _time.GetUtcNow())
        {
            failure = "The customer token has expired; sign the customer in again.";
            return false;
        }

        customer = new CustomerToken(payload.Tenant, payload.Profile, payload.Group, expires);
        return true;
    }

    private static byte[] Derive(string signingKey) => HMACSHA256.HashData(Convert.FromBase64String(signingKey), "mach-customer-token-v1"u8);

    internal sealed class Payload
    {
        [JsonPropertyName("ten")] public string Tenant { get; set; } = "";
        [JsonPropertyName("pid")] public string Profile { get; set; } = "";
        [JsonPropertyName("grp")] public string? Group { get; set; }
        [JsonPropertyName("exp")] public long ExpiresAt { get; set; }
    }
}

[JsonSerializable(typeof(CustomerTokens.Payload))]
internal sealed partial class TokenJson : JsonSerializerContext;
