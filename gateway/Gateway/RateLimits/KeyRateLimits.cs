using System.Threading.RateLimiting;
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

/// <summary>
/// Failed authentications per client address: guessing keys from one address soon meets 429s (before any key
/// lookup), while the same address with a valid key is unaffected as long as it stops failing.
/// </summary>
public sealed class FailedAuthentications : IDisposable
{
    private readonly PartitionedRateLimiter<string> _limiter;
    private readonly TimeSpan _refill;

    public FailedAuthentications(IOptions<GatewayOptions> options)
    {
        _refill = options.Value.FailedAuthenticationRefill;
        var burst = options.Value.FailedAuthenticationBurst;
        _limiter = PartitionedRateLimiter.Create<string, string>(address => RateLimitPartition.GetTokenBucketLimiter(address, _ => new TokenBucketRateLimiterOptions
        {
            TokenLimit = burst,
            TokensPerPeriod = 1,
            ReplenishmentPeriod = _refill,
            QueueLimit = 0,
            AutoReplenishment = true,
        }));
    }

    /// <summary>Whether the address has used up its failures; then how long it should wait.</summary>
    public bool IsBlocked(string address, out TimeSpan retryAfter)
    {
        retryAfter = _refill < TimeSpan.FromSeconds(1) ? TimeSpan.FromSeconds(1) : _refill;
        return _limiter.GetStatistics(address) is { CurrentAvailablePermits: <= 0 };
    }

    public void Record(string address)
    {
        using var lease = _limiter.AttemptAcquire(address);
    }

    public void Dispose() => _limiter.Dispose();
}
