using System.Threading.RateLimiting;
using MachCommerce.Gateway.Identity;

namespace MachCommerce.Gateway.Callers;

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
