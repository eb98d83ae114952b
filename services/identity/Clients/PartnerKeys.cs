using System.Text.Json;

namespace MachCommerce.Identity.Clients;

/// <summary>
/// The public keys a partner registers instead of a secret (<c>private_key_jwt</c>, RFC 7523): the partner keeps its
/// private key and proves itself with a short JWT signed by it, so no secret of ours is ever in its hands. A key set
/// is checked before it is stored: public halves only, signing keys of a strength worth trusting, a handful at most
/// (two while the partner rotates).
/// </summary>
public static class PartnerKeys
{
    public const int MaxKeys = 5;

    /// <summary>The members of a JWK that only its owner should ever hold (EC's and RSA's private parts, a symmetric key).</summary>
    private static readonly string[] PrivateParts = ["d", "p", "q", "dp", "dq", "qi", "k"];

    /// <summary>The key set, or the reason per field (<c>jwks</c>, <c>jwks.keys[i]</c>) why it cannot be one.</summary>
    public static JsonWebKeySet? Read(JsonElement jwks, FieldErrors errors)
    {
        if (jwks.ValueKind != JsonValueKind.Object || !jwks.TryGetProperty("keys", out var keys) || keys.ValueKind != JsonValueKind.Array)
        {
            errors["jwks"] = ["must be a JSON Web Key Set: an object with a \"keys\" array."];
            return null;
        }

        if (keys.GetArrayLength() is 0 or > MaxKeys)
        {
            errors["jwks.keys"] = [$"must hold 1 to {MaxKeys} public keys."];
            return null;
        }

        var index = 0;
        foreach (var key in keys.EnumerateArray())
        {
            if (Problem(key) is { } problem)
            {
                errors[$"jwks.keys[{index}]"] = [problem];
            }

            index++;
        }

        if (errors.Keys.Any(k => k.StartsWith("jwks", StringComparison.Ordinal)))
        {
            return null;
        }

        try
        {
            return new JsonWebKeySet(jwks.GetRawText());
        }
        catch (ArgumentException)
        {
            errors["jwks"] = ["is not a JSON Web Key Set that can be read."];
            return null;
        }
    }

    private static string? Problem(JsonElement key)
    {
        if (key.ValueKind != JsonValueKind.Object)
        {
            return "must be a JSON Web Key (an object).";
        }

        string? Text(string name) => key.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

        // Any private part means the partner sent us what only it should hold.
        if (PrivateParts.Any(part => key.TryGetProperty(part, out _)))
        {
            return "holds a private key: send the public half only, and keep the private key to yourself (and consider it exposed).";
        }

        if (Text("use") is { } use && use != "sig")
        {
            return "must be a signing key (\"use\": \"sig\").";
        }

        return Text("kty") switch
        {
            "EC" when Text("crv") == "P-256" && Text("x") is { Length: > 0 } && Text("y") is { Length: > 0 } => null,
            "EC" => "must be an EC key on P-256 with x and y (ES256).",
            "RSA" when Text("n") is { } n && Text("e") is { Length: > 0 } && Base64UrlEncoder.DecodeBytes(n).Length * 8 >= 2048 => null,
            "RSA" => "must be an RSA key of at least 2048 bits with n and e.",
            _ => "must be an EC (P-256) or RSA public key (\"kty\": \"EC\" or \"RSA\").",
        };
    }
}
