using System.ComponentModel.DataAnnotations;

namespace MachCommerce.Webhooks;

/// <summary>How deliveries are made (<c>Webhooks__*</c>). The defaults are production's; tests shorten the times.</summary>
public sealed class WebhooksOptions : IValidatableObject
{
    public const string Section = "Webhooks";

    /// <summary>Targets may use plain http (a development receiver); production requires https.</summary>
    public bool AllowHttpTargets { get; set; }

    /// <summary>Targets may be on this machine (127.0.0.0/8, ::1): only for development and tests, never in a cluster.</summary>
    public bool AllowLoopbackTargets { get; set; }

    /// <summary>How long one attempt may take, connect to last byte read.</summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "00:01:00")]
    public TimeSpan AttemptTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>The wait after the first failure; it doubles per failure up to <see cref="MaxRetryDelay"/>, with jitter.</summary>
    [Range(typeof(TimeSpan), "00:00:00.010", "01:00:00")]
    public TimeSpan FirstRetryDelay { get; set; } = TimeSpan.FromSeconds(5);

    [Range(typeof(TimeSpan), "00:00:00.010", "1.00:00:00")]
    public TimeSpan MaxRetryDelay { get; set; } = TimeSpan.FromHours(6);

    /// <summary>After this long a delivery is given up and its subscription switched off: the target has failed that long without a break.</summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "14.00:00:00")]
    public TimeSpan GiveUpAfter { get; set; } = TimeSpan.FromDays(3);

    /// <summary>Deliveries in flight at once, over all subscriptions.</summary>
    [Range(1, 1024)]
    public int MaxConcurrency { get; set; } = 128;

    /// <summary>Deliveries in flight at once to one subscription: a slow or dead receiver holds at most this many.</summary>
    [Range(1, 64)]
    public int MaxConcurrencyPerSubscription { get; set; } = 8;

    /// <summary>How long events and their delivery log are kept (and can be redelivered).</summary>
    [Range(typeof(TimeSpan), "01:00:00", "365.00:00:00")]
    public TimeSpan Retention { get; set; } = TimeSpan.FromDays(30);

    /// <summary>How long a previous secret keeps signing after a rotation when the caller does not say.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "7.00:00:00")]
    public TimeSpan DefaultSecretOverlap { get; set; } = TimeSpan.FromHours(24);

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (Retention <= GiveUpAfter)
        {
            yield return new ValidationResult("must be longer than GiveUpAfter, or a delivery still being retried would lose its event.", [nameof(Retention)]);
        }

        if (MaxRetryDelay < FirstRetryDelay)
        {
            yield return new ValidationResult("must be at least FirstRetryDelay.", [nameof(MaxRetryDelay)]);
        }
    }
}
