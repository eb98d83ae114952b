namespace MachCommerce.Api.Webhooks;

/// <param name="Id">Also the <c>webhook-id</c> header: the same on every attempt, so a receiver can drop repeats.</param>
/// <param name="Status">pending (waiting for its next attempt), delivered, or failed (given up, or the receiver answered 410).</param>
public sealed record DeliveryView(Guid Id, Guid EventId, string EventType, string Resource, string Status, int Attempts, DateTimeOffset CreatedAt,
    DateTimeOffset? LastAttemptAt, int? LastStatusCode, string? LastError, DateTimeOffset? NextAttemptAt, DateTimeOffset? CompletedAt);

public sealed record AttemptView(DateTimeOffset At, int? StatusCode, string? Error, int DurationMs, string? ResponseBody);

public sealed record DeliveryDetail(DeliveryView Delivery, string Payload, IReadOnlyList<AttemptView> Attempts);

public sealed record DeliveryPage(IReadOnlyList<DeliveryView> Items, string? NextCursor);

/// <param name="Since">Events received from this time (inclusive)…</param>
/// <param name="Until">…up to this time (exclusive); default now.</param>
/// <param name="OnlyFailed">True sends only what was not delivered (failed, or never delivered while the subscription was off); false everything again.</param>
public sealed record RedeliveryInput(DateTimeOffset? Since, DateTimeOffset? Until, bool? OnlyFailed);

public sealed record RedeliveryAccepted(int Deliveries);
