using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace MachCommerce.Client.Webhooks;

/// <summary>
/// For the partner's receiving end: checks a delivery's Standard Webhooks signature (HMAC-SHA256 over
/// <c>{webhook-id}.{webhook-timestamp}.{body}</c> with the subscription's <c>whsec_</c> secret) and its age, in
/// constant time. Verify the raw body as received, before parsing it.
/// </summary>
public sealed class WebhookVerifier(string secret, TimeSpan? tolerance = null, TimeProvider? time = null)
{
    private readonly byte[] _key = Convert.FromBase64String(secret.StartsWith("whsec_", StringComparison.Ordinal) ? secret["whsec_".Length..] : secret);
    private readonly TimeSpan _tolerance = tolerance ?? TimeSpan.FromMinutes(5);
    private readonly TimeProvider _time = time ?? TimeProvider.System;

    /// <summary>True when one of the signatures was made with this secret and the timestamp is within the tolerance (a replay is refused).</summary>
    public bool IsValid(string? webhookId, string? webhookTimestamp, string? webhookSignature, string body)
    {
        if (string.IsNullOrEmpty(webhookId) || string.IsNullOrEmpty(webhookSignature)
            || !long.TryParse(webhookTimestamp, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds))
        {
            return false;
        }

        var sent = DateTimeOffset.FromUnixTimeSeconds(seconds);
        if ((_time.GetUtcNow() - sent).Duration() > _tolerance)
        {
            return false;
        }

        var expected = HMACSHA256.HashData(_key, Encoding.UTF8.GetBytes($"{webhookId}.{webhookTimestamp}.{body}"));
        foreach (var candidate in webhookSignature.Split(' ', StringSplitOptions.RemoveEmptyEntries))
        {
            if (candidate.StartsWith("v1,", StringComparison.Ordinal) && TryDecode(candidate[3..], out var signature)
                && CryptographicOperations.FixedTimeEquals(signature, expected))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Reads the three headers from a request's header collection (any casing).</summary>
    public bool IsValid(Func<string, string?> header, string body) =>
        IsValid(header("webhook-id"), header("webhook-timestamp"), header("webhook-signature"), body);

    private static bool TryDecode(string text, out byte[] bytes)
    {
        bytes = new byte[32];
        return Convert.TryFromBase64String(text, bytes, out var written) && written == 32;
    }
}
