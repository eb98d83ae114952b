namespace MachCommerce.Personalization.Definitions;

/// <summary>Where offers are kept and the products an offer shows by default and at most.</summary>
internal static class OfferModel
{
    public const string Table = "offers";
    public const int DefaultProducts = 4, MaxProducts = 20;

    /// <summary>The mark on a member shop's copy of a cooperative's central campaign: <c>{"campaignId": …, "cooperative": …}</c>.</summary>
    public const string CentralMark = "central";

    /// <summary>Why a copy of a central campaign is not changed or deleted as an offer of the shop's own (null for the shop's own).</summary>
    public static string? KeptByCooperative(StoredDefinition offer) =>
        offer.Definition[CentralMark] is JsonObject mark
            ? $"This offer is your part of your cooperative's campaign {mark["campaignId"]}: change what the cooperative lets you change with "
              + $"PUT /central/campaigns/{mark["campaignId"]}/participation, or leave the campaign with DELETE there."
            : null;
}
