using System.Buffers.Text;
using Microsoft.IdentityModel.Tokens;

namespace MachCommerce.Hosting.Identity;

/// <summary>
/// The keys identity assertions are signed with: ECDSA on P-256 (ES256). A signer keeps its private key (base64
/// PKCS#8) to itself; a verifier holds signers' public keys (base64 SubjectPublicKeyInfo). A key's id (<c>kid</c>)
/// is its RFC 7638 thumbprint, so it never needs configuring and two keys of one signer (a rotation) never clash.
/// </summary>
public static class IdentityKeys
{
    public sealed record KeyPair(string PrivateKey, string PublicKey);

    /// <summary>A new key pair in the forms <see cref="IdentityOptions.SigningKey"/> and <see cref="TrustedSigner.PublicKeys"/> expect.</summary>
    public static KeyPair NewKeyPair()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        return new KeyPair(Convert.ToBase64String(key.ExportPkcs8PrivateKey()), Convert.ToBase64String(key.ExportSubjectPublicKeyInfo()));
    }

    /// <summary>The public half of a private key, as a verifier is given it.</summary>
    public static string PublicKeyOf(string privateKey)
    {
        using var key = ECDsa.Create();
        key.ImportPkcs8PrivateKey(Convert.FromBase64String(privateKey), out _);
        return Convert.ToBase64String(key.ExportSubjectPublicKeyInfo());
    }

    public static bool TryReadPrivate(string? value, out ECDsaSecurityKey? key) => TryRead(value, isPrivate: true, out key);

    public static bool TryReadPublic(string? value, out ECDsaSecurityKey? key) => TryRead(value, isPrivate: false, out key);

    private static bool TryRead(string? value, bool isPrivate, out ECDsaSecurityKey? key)
    {
        key = null;
        var bytes = new byte[value?.Length ?? 0];
        if (string.IsNullOrEmpty(value) || !Convert.TryFromBase64String(value, bytes, out var length))
        {
            return false;
        }

        var ecdsa = ECDsa.Create();
        try
        {
            if (isPrivate)
            {
                ecdsa.ImportPkcs8PrivateKey(bytes.AsSpan(0, length), out _);
            }
            else
            {
                ecdsa.ImportSubjectPublicKeyInfo(bytes.AsSpan(0, length), out _);
            }
        }
        catch (CryptographicException)
        {
            ecdsa.Dispose();
            return false;
        }

        if (ecdsa.KeySize != 256 || ecdsa.ExportParameters(false).Curve.Oid.Value != ECCurve.NamedCurves.nistP256.Oid.Value)
        {
            ecdsa.Dispose();
            return false;
        }

        key = new ECDsaSecurityKey(ecdsa) { KeyId = Thumbprint(ecdsa) };
        return true;
    }

    private static string Thumbprint(ECDsa ecdsa)
    {
        using var publicOnly = ECDsa.Create(ecdsa.ExportParameters(false));
        return Base64Url.EncodeToString(JsonWebKeyConverter.ConvertFromECDsaSecurityKey(new ECDsaSecurityKey(publicOnly)).ComputeJwkThumbprint());
    }
}
