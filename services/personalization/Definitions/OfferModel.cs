using System.Text.Json;

namespace MachCommerce.Personalization.Definitions;

/// <summary>Where offers are kept and the products an offer shows by default and at most.</summary>
internal static class OfferModel
{
    public const string Table = "offers";
    public const int DefaultProducts = 4, MaxProducts = 20;
}

