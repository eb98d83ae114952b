namespace MachCommerce.Personalization.Definitions;

/// <summary>Where experiments are kept and the strategies an arm may follow.</summary>
internal static class ExperimentModel
{
    public const string Table = "experiments";
    public static readonly string[] Strategies = ["personalized", "broadcast", "holdout"];
}

public sealed record ExperimentInput(string? Name, string? Description, string? Placement, List<VariantInput?>? Variants, string? ControlVariant, int? AttributionWindowHours);

/// <summary>
/// One arm of an experiment. Strategies: <c>personalized</c> (the full decision engine), <c>broadcast</c> (the
/// same highest-priority offer and the most popular products for everybody: the classic advert), <c>holdout</c>
/// (no offer at all).
/// </summary>
public sealed record VariantInput(string? Key, string? Strategy, int? Weight);

