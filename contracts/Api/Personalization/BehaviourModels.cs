namespace MachCommerce.Api.Personalization;

public sealed record EventBatchInput(List<BehaviourEventInput?>? Events);

/// <summary>One thing a visitor did, as a storefront, app or B2B partner reports it.</summary>
public sealed record BehaviourEventInput(
    Guid? Id, string? Type, string? VisitorId, Guid? ProfileId, DateTimeOffset? OccurredAt, string? Channel, string? Placement,
    Guid? ProductId, string? Sku, Guid? CategoryId, int? Quantity, decimal? Price, string? OrderId, string? Query, Guid? OfferId,
    Guid? DecisionId, bool? Consent);

/// <summary>What one accepted batch did: new events, resent ones recognised by id, and how many were kept personal.</summary>
public sealed record IngestResult(int Accepted, int Duplicates, int Personal);
