using System.Text;

namespace MachCommerce.Messaging;

/// <summary>
/// Events of one ordering key (usually an aggregate id) always fall in one partition, and one relay worker at
/// a time owns a partition, which is what keeps a key's events in commit order on the wire.
/// </summary>
public static class OutboxPartitions
{
    public const int Count = 16;

    public static short Of(string orderingKey)
    {
        // FNV-1a: stable across processes and versions, unlike string.GetHashCode.
        var hash = 2166136261u;
        foreach (var b in Encoding.UTF8.GetBytes(orderingKey))
        {
            hash = (hash ^ b) * 16777619u;
        }

        return (short)(hash % Count);
    }
}
