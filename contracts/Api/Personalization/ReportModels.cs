using System.Text.Json.Serialization;

namespace MachCommerce.Api.Personalization;

/// <summary>An estimate with its interval; the bounds are null where the data cannot support them.</summary>
public sealed record IntervalView(double Value, double? CiLow, double? CiHigh);

/// <summary>A mean per subject with the spread of one subject and the t interval of the mean.</summary>
public sealed record MeanView(double Value, double? StandardDeviation, double? CiLow, double? CiHigh);

/// <summary>
/// One metric of a variant against control: fixed-horizon (absolute, relative, p-value, Holm-adjusted), always-valid
/// (intervals and p-value of the confidence sequence), Bayesian; for revenue also the CUPED-adjusted reading.
/// </summary>
public sealed record ComparisonView(IntervalView? Absolute, IntervalView? Relative, double? PValue, double? AdjustedPValue, IntervalView? SequentialAbsolute,
    IntervalView? SequentialRelative, double? SequentialPValue, double? SequentialAdjustedPValue, bool Significant, double? ChanceToBeatControl,
    double? RiskOfChoosingVariant, double? RiskOfChoosingControl)
{
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public ComparisonView? Cuped { get; init; }
}

public sealed record VariantComparisons(ComparisonView ConversionRate, ComparisonView RevenuePerSubject, ComparisonView ClickRate, ComparisonView RedemptionRate,
    ComparisonView ConsentWithdrawalRate);

/// <summary>One variant: counts, revenue (exact), rates with Wilson intervals, revenue per subject, and against control its comparisons.</summary>
public sealed record ExperimentVariantView(string Key, string Strategy, bool Control, int Weight, long Subjects, long Clicks, long Conversions, long Redemptions, long Orders,
    long ConsentWithdrawals, decimal Revenue, IntervalView? ConversionRate, IntervalView? ClickRate, IntervalView? RedemptionRate, IntervalView? ConsentWithdrawalRate,
    MeanView? RevenuePerSubject, double? AverageOrderValue, VariantComparisons? Comparison, bool? Significant);

public sealed record MethodView(string Verdict, string Rates, string Means, string Bayesian, double SequentialTuning);

public sealed record CupedView(string Covariate, double Theta, double VarianceReduction, bool UsedForVerdict);

public sealed record SampleRatioView(double ChiSquared, double PValue, bool Mismatch, IReadOnlyDictionary<string, double> Expected, IReadOnlyDictionary<string, double?> Observed);

/// <summary>The minimum sample the verdict waits for; what is still missing in English (<c>unmet</c>) and German (<c>unmetDe</c>).</summary>
public sealed record GuardsView(int MinSubjectsPerArm, int MinConversionsPerArm, int MinDays, bool Met, IReadOnlyList<string> Unmet, IReadOnlyList<string> UnmetDe);

/// <summary>
/// The verdict: <c>winner</c>, <c>loser</c>, <c>no-difference-yet</c>, <c>keep-running</c> (a guard is not met),
/// <c>sample-ratio-mismatch</c> or <c>no-data</c>; the variant it is about; the days still needed where known; in words.
/// </summary>
public sealed record VerdictView(string Status, string? Variant, int? MoreDays, string En, string De);

/// <summary>Everything the statistics say about a set of arms; an experiment's or the holdout's report adds its own facts.</summary>
public record StatisticsView(string ControlVariant, string PrimaryMetric, double Confidence, string? Currency, double DaysRunning, MethodView Method, CupedView Cuped,
    SampleRatioView SampleRatio, GuardsView Guards, IReadOnlyList<ExperimentVariantView> Variants, VerdictView Verdict);

public sealed record ExperimentReportView : StatisticsView
{
    public ExperimentReportView(StatisticsView statistics) : base(statistics)
    {
    }

    /// <summary>For reading a report back (the typed client): the statistics' fields one by one.</summary>
    [JsonConstructor]
    public ExperimentReportView(string controlVariant, string primaryMetric, double confidence, string? currency, double daysRunning, MethodView method, CupedView cuped,
        SampleRatioView sampleRatio, GuardsView guards, IReadOnlyList<ExperimentVariantView> variants, VerdictView verdict)
        : base(controlVariant, primaryMetric, confidence, currency, daysRunning, method, cuped, sampleRatio, guards, variants, verdict)
    {
    }

    public required Guid ExperimentId { get; init; }
    public required string Name { get; init; }
    public required string Status { get; init; }
    public string? Placement { get; init; }
    public DateTimeOffset? StartedAt { get; init; }
    public DateTimeOffset? StoppedAt { get; init; }
    public int AttributionWindowHours { get; init; }

    /// <summary>When the numbers were read; open days may be up to the report's freshness older.</summary>
    public DateTimeOffset DataAsOf { get; init; }
}

/// <summary>Extra revenue in the period: the uplift per subject times the subjects who were personalized, with its interval.</summary>
public sealed record ExtraRevenueView(double Value, double? CiLow, double? CiHigh, long Subjects);

public sealed record HoldoutReportView : StatisticsView
{
    public HoldoutReportView(StatisticsView statistics) : base(statistics)
    {
    }

    /// <summary>For reading a report back (the typed client): the statistics' fields one by one.</summary>
    [JsonConstructor]
    public HoldoutReportView(string controlVariant, string primaryMetric, double confidence, string? currency, double daysRunning, MethodView method, CupedView cuped,
        SampleRatioView sampleRatio, GuardsView guards, IReadOnlyList<ExperimentVariantView> variants, VerdictView verdict)
        : base(controlVariant, primaryMetric, confidence, currency, daysRunning, method, cuped, sampleRatio, guards, variants, verdict)
    {
    }

    public required DateOnly From { get; init; }
    public required DateOnly To { get; init; }
    public double HoldoutShare { get; init; }
    public ExtraRevenueView? ExtraRevenue { get; init; }
}

/// <summary>One day of the daily series: subjects so far per arm, and per variant the cumulative estimate of the primary metric.</summary>
public sealed record SeriesPointView(DateOnly Day, IReadOnlyDictionary<string, long> Subjects, IReadOnlyDictionary<string, SeriesVariantView> Variants);

public sealed record SeriesVariantView(IntervalView? Relative, IntervalView? SequentialRelative, IntervalView? Absolute, IntervalView? SequentialAbsolute, double? ChanceToBeatControl);

public sealed record ExperimentSeriesView(Guid ExperimentId, string PrimaryMetric, string ControlVariant, IReadOnlyList<SeriesPointView> Days);
