namespace MachCommerce.Contracts.Webhooks.V1;

/// <summary>
/// The webhooks service stopped delivering to a subscription because its target kept failing (or answered
/// 410 Gone): the shop's owners should look at the delivery log, fix the receiver and switch it on again.
/// </summary>
public sealed record WebhookSubscriptionDisabled : IIntegrationEvent
{
    public required string TenantId { get; init; }
    public required DateTimeOffset OccurredAt { get; init; }
    public required Guid SubscriptionId { get; init; }
    public required string Url { get; init; }
    /// <summary>In words, e.g. "every delivery failed for 3 days; the last answer was 503".</summary>
    public required string Reason { get; init; }
}
