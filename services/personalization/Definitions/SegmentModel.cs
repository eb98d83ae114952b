namespace MachCommerce.Personalization.Definitions;

/// <summary>Where segments are kept.</summary>
internal static class SegmentModel
{
    public const string Table = "segments";
}

