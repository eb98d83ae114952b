using System.Text;

namespace MachCommerce.Messaging;

/// <summary>
/// Events of one ordering key (usually an aggregate id) always fall in one partition, and one relay worker at
/// a time owns a partition, which is what keeps a key's events in commit order on the wire.
/// </summary>
public static class OutboxPartitions
{
    public const int Count = 16;

    public static short Of(string orderingKey) => (short)(StableHash(orderingKey) % Count);

    /// <summary>FNV-1a over UTF-8: the same in every process and version, unlike string.GetHashCode.</summary>
    internal static uint StableHash(string text)
    {
        var hash = 2166136261u;
        foreach (var b in Encoding.UTF8.GetBytes(text))
        {
            hash = (hash ^ b) * 16777619u;
        }

        return hash;
    }
}
