namespace MachCommerce.Personalization.Definitions;

/// <summary>Where experiments are kept and the strategies an arm may follow.</summary>
internal static class ExperimentModel
{
    public const string Table = "experiments";
    public static readonly string[] Strategies = ["personalized", "broadcast", "holdout"];
}

