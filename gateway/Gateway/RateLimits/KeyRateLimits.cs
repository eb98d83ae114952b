using System.Threading.RateLimiting;
using MachCommerce.Gateway.Callers;
using MachCommerce.Gateway.Identity;
using Microsoft.Extensions.Options;

namespace MachCommerce.Gateway.RateLimits;

/// <summary>
/// One token bucket per key, sized by the key's plan: a REST request costs one token, a GraphQL request its
/// computed cost (a request costing more than the whole bucket empties it). One flood of requests from one key
/// meets 429s while every other key keeps its own bucket. All buckets share one replenishment timer.
/// </summary>
public sealed class KeyRateLimits : IDisposable
{
    private readonly PartitionedRateLimiter<Caller> _limiter = PartitionedRateLimiter.Create<Caller, string>(caller =>
        RateLimitPartition.GetTokenBucketLimiter(caller.RatePartition, _ => new TokenBucketRateLimiterOptions
        {
            TokenLimit = caller.Plan.Burst,
            TokensPerPeriod = Math.Max(1, caller.Plan.PerSecond / 10),
            ReplenishmentPeriod = TimeSpan.FromMilliseconds(100),
            QueueLimit = 0,
            AutoReplenishment = true,
        }));

    /// <summary>Takes <paramref name="cost"/> tokens; when the bucket cannot pay, how long until it could.</summary>
    public (bool Allowed, TimeSpan RetryAfter) TryAcquire(Caller caller, int cost)
    {
        using var lease = _limiter.AttemptAcquire(caller, Math.Clamp(cost, 1, caller.Plan.Burst));
        if (lease.IsAcquired)
        {
            return (true, TimeSpan.Zero);
        }

        var perSecond = Math.Max(1, caller.Plan.PerSecond);
        var wait = lease.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter) ? retryAfter : TimeSpan.FromSeconds((double)cost / perSecond);
        return (false, wait < TimeSpan.FromSeconds(1) ? TimeSpan.FromSeconds(1) : wait);
    }

    public void Dispose() => _limiter.Dispose();
}
