namespace MachCommerce.Personalization.Behaviour;

internal enum EventType
{
    ProductViewed,
    AddedToCart,
    Purchased,
    Searched,
    CategoryViewed,
    OfferShown,
    OfferClicked,
    OfferRedeemed,

    /// <summary>The banner's answer alone (consent true or false), e.g. a withdrawal on a page without any product.</summary>
    ConsentAnswered,
}

/// <summary>An event that passed validation; the product is resolved by id or SKU later, against the read model.</summary>
internal sealed record ValidEvent(
    Guid Id, EventType Type, string TypeName, string VisitorId, Guid? ProfileId, DateTimeOffset OccurredAt, string Channel, string? Placement,
    Guid? ProductId, string? Sku, Guid? CategoryId, int Quantity, decimal? Price, string? OrderId, string? Query, Guid? OfferId, bool? Consent)
{
    public bool IsAboutProduct => Type is EventType.ProductViewed or EventType.AddedToCart or EventType.Purchased;
}
