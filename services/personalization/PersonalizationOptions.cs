using System.ComponentModel.DataAnnotations;

namespace MachCommerce.Personalization;

/// <summary>Personalization settings (<c>Personalization__*</c>).</summary>
public sealed class PersonalizationOptions
{
    public const string Section = "Personalization";

    /// <summary>After this long an interest counts half as much: last month's drill matters less than today's hose.</summary>
    [Range(typeof(TimeSpan), "01:00:00", "365.00:00:00")]
    public TimeSpan AffinityHalfLife { get; set; } = TimeSpan.FromDays(14);

    /// <summary>How far in the future an event's time may be (clock skew of devices), beyond which it is rejected.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "1.00:00:00")]
    public TimeSpan MaxClockSkew { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>How old an event may be; older ones are rejected instead of rewriting history.</summary>
    [Range(typeof(TimeSpan), "1.00:00:00", "3650.00:00:00")]
    public TimeSpan MaxEventAge { get; set; } = TimeSpan.FromDays(365);

    /// <summary>How long offers, segments and experiments are cached per tenant; a local change invalidates at once.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:10:00")]
    public TimeSpan DefinitionCacheLifetime { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>How often each tenant's in-memory product shelves are rebuilt (new products and popularity show up then).</summary>
    [Range(typeof(TimeSpan), "00:00:01", "01:00:00")]
    public TimeSpan ShelfRefreshInterval { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Purchases this recent are not recommended again.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "365.00:00:00")]
    public TimeSpan ExcludePurchasedFor { get; set; } = TimeSpan.FromDays(30);

    /// <summary>
    /// The share of consenting subjects in the global holdout (broadcast on every placement) for tenants that have not
    /// set their own: the control group that proves what personalization as a whole earns.
    /// </summary>
    [Range(0.0, 0.5)]
    public double HoldoutShare { get; set; } = 0.05;

    /// <summary>
    /// How old an experiment report's numbers for the open days (those purchases can still be credited to) may be:
    /// they are recomputed at most this often, so a report over a million subjects is not an aggregation of a
    /// million rows per request. Sealed days are computed once.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00", "01:00:00")]
    public TimeSpan ExperimentReportFreshness { get; set; } = TimeSpan.FromMinutes(5);
}
