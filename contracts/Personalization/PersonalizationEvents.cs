namespace MachCommerce.Contracts.Personalization.V1;

/// <summary>
/// A front end reported that a shopper redeemed an offer (offer_redeemed). Anonymous by design: the shop's own
/// order id links it to the order in the shop's system; who the shopper is stays in personalization.
/// </summary>
public sealed record OfferRedeemed : IIntegrationEvent
{
    public required string TenantId { get; init; }
    public required DateTimeOffset OccurredAt { get; init; }
    public required Guid OfferId { get; init; }
    public string? OrderId { get; init; }
    public string? Channel { get; init; }
    public string? Placement { get; init; }
}

/// <summary>An experiment was stopped; its report (uplift with its interval) is final from now on.</summary>
public sealed record ExperimentFinished : IIntegrationEvent
{
    public required string TenantId { get; init; }
    public required DateTimeOffset OccurredAt { get; init; }
    public required Guid ExperimentId { get; init; }
    public required string Name { get; init; }
    public string? Placement { get; init; }
    public DateTimeOffset? StartedAt { get; init; }
    public required DateTimeOffset StoppedAt { get; init; }
}
