using System.Collections.Concurrent;
using MachCommerce.Gateway.Callers;

namespace MachCommerce.Gateway.RateLimits;

/// <summary>
/// One token bucket per key, sized by the key's plan: a REST request costs one token, a GraphQL request its
/// computed cost (a request costing more than the whole bucket empties it). One flood of requests from one key
/// meets 429s while every other key keeps its own bucket. The buckets refill continuously, computed when asked
/// (no timer); finding a key's bucket takes no lock, and each bucket locks only itself for its few arithmetic
/// steps (System.Threading.RateLimiting's partitioned limiter took one lock shared by every key on every request,
/// which the gateway's profile showed as contention under load).
/// </summary>
public sealed class KeyRateLimits(TimeProvider? time = null)
{
    /// <summary>Past this many keys' buckets it starts over rather than grow (a bucket forgotten is a full bucket, as an idle key's would be).</summary>
    private const int MaxBuckets = 100_000;

    private readonly TimeProvider _time = time ?? TimeProvider.System;
    private readonly ConcurrentDictionary<string, Bucket> _buckets = new(StringComparer.Ordinal);

    /// <summary>Takes <paramref name="cost"/> tokens; when the bucket cannot pay, how long until it could (at least a second).</summary>
    public (bool Allowed, TimeSpan RetryAfter) TryAcquire(Caller caller, int cost)
    {
        var now = _time.GetTimestamp();
        if (!_buckets.TryGetValue(caller.RatePartition, out var bucket))
        {
            if (_buckets.Count >= MaxBuckets)
            {
                _buckets.Clear();
            }

            bucket = _buckets.GetOrAdd(caller.RatePartition, _ => new Bucket(caller.Plan, now));
        }

        return bucket.TryTake(Math.Clamp(cost, 1, caller.Plan.Burst), now, _time.TimestampFrequency);
    }

    private sealed class Bucket(RatePlan plan, long now)
    {
        private readonly Lock _gate = new();
        private double _tokens = plan.Burst;
        private long _at = now;

        public (bool Allowed, TimeSpan RetryAfter) TryTake(int cost, long now, long frequency)
        {
            var perSecond = Math.Max(1, plan.PerSecond);
            lock (_gate)
            {
                if (now > _at)
                {
                    _tokens = Math.Min(plan.Burst, _tokens + (double)(now - _at) / frequency * perSecond);
                    _at = now;
                }

                if (_tokens >= cost)
                {
                    _tokens -= cost;
                    return (true, TimeSpan.Zero);
                }

                var wait = TimeSpan.FromSeconds((cost - _tokens) / perSecond);
                return (false, wait < TimeSpan.FromSeconds(1) ? TimeSpan.FromSeconds(1) : wait);
            }
        }
    }
}
