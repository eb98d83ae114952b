using System.Buffers.Text;
using System.Security.Cryptography;
using MachCommerce.Gateway.Callers;

namespace MachCommerce.Gateway.Tenants;

/// <summary>
/// Key material: <c>mc_{kind}_{43 random base64url characters}</c> (256 bits), stored as its SHA-256 hash. The
/// prefix names the kind so a leaked key in a log or repository is recognisable (and secret scanners can match it).
/// </summary>
public static class ApiKeySecrets
{
    public const int PrefixLength = 12;

    public static (string Key, string Prefix, byte[] Hash) New(KeyKind kind)
    {
        var code = kind switch
        {
            KeyKind.Storefront => "sf",
            KeyKind.Partner => "pt",
            KeyKind.Admin => "ad",
            _ => "pl",
        };
        var key = $"mc_{code}_{Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(32))}";
        return (key, key[..PrefixLength], Hash(key));
    }

    public static byte[] Hash(string key) => SHA256.HashData(Encoding.UTF8.GetBytes(key));

    /// <summary>Cheap shape check before any lookup, so garbage never reaches the database.</summary>
    public static bool LooksLikeKey(string key) =>
        key.Length is >= 20 and <= 128 && key.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '-');
}
