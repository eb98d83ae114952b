using System.Net.Http.Headers;

namespace MachCommerce.Webhooks.Dispatch;

/// <summary>
/// When to try again: the wait doubles from the first delay to the maximum, each drawn ±20 % so that receivers
/// coming back from an outage are not hit by every sender in the same second; a receiver's Retry-After is
/// honoured when it asks for longer (never past the maximum).
/// </summary>
public static class RetrySchedule
{
    public static TimeSpan DelayAfter(int failedAttempts, WebhooksOptions options, RetryConditionHeaderValue? retryAfter = null, DateTimeOffset? now = null)
    {
        var exponent = Math.Min(Math.Max(failedAttempts - 1, 0), 30);
        var baseDelay = Math.Min(options.FirstRetryDelay.TotalMilliseconds * Math.Pow(2, exponent), options.MaxRetryDelay.TotalMilliseconds);
        var delay = TimeSpan.FromMilliseconds(baseDelay * (0.8 + (Random.Shared.NextDouble() * 0.4)));
        var asked = retryAfter switch
        {
            { Delta: { } delta } => delta,
            { Date: { } date } => date - (now ?? DateTimeOffset.UtcNow),
            _ => TimeSpan.Zero,
        };
        return TimeSpan.FromTicks(Math.Min(Math.Max(delay.Ticks, asked.Ticks), options.MaxRetryDelay.Ticks));
    }
}
