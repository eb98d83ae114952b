using System.Collections.Concurrent;

namespace MachCommerce.Hosting.Caching;

/// <summary>
/// What was expensive to learn (a verified signature, a signed assertion, a key looked up in the database), kept
/// until a time of each entry's own. Bounded: past <paramref name="capacity"/> entries it starts over rather than
/// grow, because every entry can be learned again; a client sending a new value on every request costs what it
/// would cost without the cache, never memory.
/// </summary>
public sealed class ExpiringCache<TValue>(int capacity, TimeProvider? time = null)
{
    private readonly ConcurrentDictionary<string, (TValue Value, DateTimeOffset Until)> _entries = new(StringComparer.Ordinal);
    private readonly TimeProvider _time = time ?? TimeProvider.System;

    public DateTimeOffset Now => _time.GetUtcNow();

    public bool TryGet(string key, out TValue value)
    {
        if (_entries.TryGetValue(key, out var entry) && entry.Until > _time.GetUtcNow())
        {
            value = entry.Value;
            return true;
        }

        value = default!;
        return false;
    }

    public void Set(string key, TValue value, DateTimeOffset until)
    {
        if (_entries.Count >= capacity)
        {
            _entries.Clear();
        }

        _entries[key] = (value, until);
    }

    public void Remove(string key) => _entries.TryRemove(key, out _);

    /// <summary>Drops every entry whose value matches (a revoked key, a suspended tenant).</summary>
    public void RemoveWhere(Func<TValue, bool> matches)
    {
        foreach (var (key, entry) in _entries)
        {
            if (matches(entry.Value))
            {
                _entries.TryRemove(key, out _);
            }
        }
    }
}
