namespace MachCommerce.Api.Webhooks;

/// <param name="Actor">Who did it: a key's or client's id, a person, or webhooks-service for what the service decided itself.</param>
/// <param name="Action">subscription.created, .changed, .secret_rotated, .deleted, .disabled; delivery.redelivered; deliveries.redelivered.</param>
public sealed record AuditEntry(Guid Id, DateTimeOffset At, string Actor, string Action, Guid? SubscriptionId, string Detail);

public sealed record AuditPage(IReadOnlyList<AuditEntry> Items, string? NextCursor);
