namespace MachCommerce.Personalization.Definitions;

/// <summary>Where experiments are kept and the strategies an arm may follow.</summary>
internal static class ExperimentModel
{
    public const string Table = "experiments";
    public static readonly string[] Strategies = ["personalized", "broadcast", "holdout"];
}

/// <summary>An experiment as the merchant defines it; the primary metric (revenue per subject unless said otherwise) decides the verdict.</summary>
public sealed record ExperimentInput(string? Name, string? Description, string? Placement, List<VariantInput?>? Variants, string? ControlVariant, int? AttributionWindowHours,
    string? PrimaryMetric = null);

/// <summary>
/// What the planner needs: the placement (its measured traffic), the smallest relative uplift worth detecting, and
/// optionally the arms, the power and the baseline (measured from the shop's own subjects when not given).
/// </summary>
public sealed record PlanInput(string? Placement, double? MinimumDetectableEffect, string? PrimaryMetric, int? Variants, double? Power,
    double? BaselineConversionRate, double? BaselineRevenuePerSubject, double? RevenueStandardDeviation, double? DailySubjects);

/// <summary>
/// One arm of an experiment. Strategies: <c>personalized</c> (the full decision engine), <c>broadcast</c> (the
/// same highest-priority offer and the most popular products for everybody: the classic advert), <c>holdout</c>
/// (no offer at all).
/// </summary>
public sealed record VariantInput(string? Key, string? Strategy, int? Weight);

