using System.ComponentModel.DataAnnotations;

namespace MachCommerce.Messaging;

/// <summary>Tuning of the outbox relay, the consumers and housekeeping (<c>Messaging__*</c>).</summary>
public sealed class MessagingOptions : IValidatableObject
{
    public const string Section = "Messaging";

    /// <summary>Concurrent relay loops in this process; each takes whole partitions, so per-key order holds.</summary>
    [Range(1, OutboxPartitions.Count)]
    public int RelayWorkers { get; set; } = 2;

    [Range(1, 5000)]
    public int RelayBatchSize { get; set; } = 500;

    /// <summary>Fallback poll when no NOTIFY arrives (a lost listener connection, a row written by hand).</summary>
    public TimeSpan RelayPollInterval { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>How long one publish may wait for the broker's confirm before the batch is retried later.</summary>
    public TimeSpan PublishTimeout { get; set; } = TimeSpan.FromSeconds(10);

    [Range(1, 1000)]
    public int PrefetchCount { get; set; } = 32;

    [Range(1, 256)]
    public int ConcurrentMessageLimit { get; set; } = 8;

    /// <summary>
    /// Waits between a consumer's attempts at one message, comma-separated: zeros are immediate retries, the rest
    /// back off exponentially. After the last one the message moves to the endpoint's <c>_error</c> queue.
    /// (A string rather than a list: configuration binding appends to a list's defaults instead of replacing them.)
    /// </summary>
    public string RetryIntervals { get; set; } = "00:00:00, 00:00:00, 00:00:00.5, 00:00:02, 00:00:10";

    public TimeSpan[] ParsedRetryIntervals() =>
        [.. RetryIntervals.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(text => TimeSpan.TryParse(text, System.Globalization.CultureInfo.InvariantCulture, out var interval) ? interval : TimeSpan.MinValue)];

    /// <summary>Sent outbox rows are kept this long (for diagnosis), then deleted.</summary>
    public TimeSpan SentRetention { get; set; } = TimeSpan.FromDays(1);

    /// <summary>Inbox rows are kept this long: longer than any redelivery can arrive late.</summary>
    public TimeSpan InboxRetention { get; set; } = TimeSpan.FromDays(7);

    public TimeSpan PruneInterval { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>An unsent event older than this makes readiness report Degraded (still 200: writes go on).</summary>
    public TimeSpan BacklogAgeWarning { get; set; } = TimeSpan.FromMinutes(1);

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (RelayPollInterval <= TimeSpan.Zero || PublishTimeout <= TimeSpan.Zero || PruneInterval <= TimeSpan.Zero)
        {
            yield return new ValidationResult("must be positive.", [nameof(RelayPollInterval), nameof(PublishTimeout), nameof(PruneInterval)]);
        }

        if (ParsedRetryIntervals().Any(interval => interval < TimeSpan.Zero))
        {
            yield return new ValidationResult("must be comma-separated non-negative time spans, e.g. 00:00:00, 00:00:01.", [nameof(RetryIntervals)]);
        }
    }
}
