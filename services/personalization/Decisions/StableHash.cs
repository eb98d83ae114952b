using System.Security.Cryptography;
using System.Text;

namespace MachCommerce.Personalization.Decisions;

/// <summary>
/// A number from a text that is the same on every instance and after every restart (SHA-256, first eight bytes):
/// what assigns a subject to an experiment's variant and to the global holdout without storing anything first.
/// </summary>
internal static class StableHash
{
    public static ulong Of(string text)
    {
        Span<byte> hash = stackalloc byte[32];
        SHA256.HashData(Encoding.UTF8.GetBytes(text), hash);
        return BitConverter.ToUInt64(hash);
    }
}
