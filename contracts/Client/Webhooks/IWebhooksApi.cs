using MachCommerce.Api.Webhooks;

namespace MachCommerce.Client.Webhooks;

/// <summary>The webhooks service's REST API at the gateway (<c>/api/webhooks</c>): subscriptions and their delivery log (webhooks:manage).</summary>
public interface IWebhooksApi
{
    [Get("/api/webhooks/event-types")]
    Task<IReadOnlyList<EventTypeView>> ListEventTypesAsync(CancellationToken cancellationToken = default);

    /// <summary>The answer holds the signing secret: keep it, it is not shown again.</summary>
    [Post("/api/webhooks/subscriptions")]
    Task<SubscriptionWithSecret> CreateSubscriptionAsync([Body] SubscriptionInput subscription, CancellationToken cancellationToken = default);

    [Get("/api/webhooks/subscriptions")]
    Task<SubscriptionPage> ListSubscriptionsAsync(string? cursor = null, int? limit = null, CancellationToken cancellationToken = default);

    [Get("/api/webhooks/subscriptions/{id}")]
    Task<SubscriptionView> GetSubscriptionAsync(Guid id, CancellationToken cancellationToken = default);

    /// <param name="ifMatch">Null replaces whatever version is there; <see cref="ETags.Of(int)"/> refuses a stale change (412).</param>
    [Put("/api/webhooks/subscriptions/{id}")]
    Task<SubscriptionView> ReplaceSubscriptionAsync(Guid id, [Body] SubscriptionInput subscription, [Header("If-Match")] string? ifMatch = null,
        CancellationToken cancellationToken = default);

    [Delete("/api/webhooks/subscriptions/{id}")]
    Task DeleteSubscriptionAsync(Guid id, CancellationToken cancellationToken = default);

    [Post("/api/webhooks/subscriptions/{id}/secret")]
    Task<SubscriptionWithSecret> RotateSecretAsync(Guid id, [Body] SecretRotationInput rotation, CancellationToken cancellationToken = default);

    /// <param name="status">pending, delivered or failed; null: all.</param>
    [Get("/api/webhooks/subscriptions/{id}/deliveries")]
    Task<DeliveryPage> ListDeliveriesAsync(Guid id, string? status = null, string? cursor = null, int? limit = null, CancellationToken cancellationToken = default);

    [Get("/api/webhooks/subscriptions/{id}/deliveries/{deliveryId}")]
    Task<DeliveryDetail> GetDeliveryAsync(Guid id, Guid deliveryId, CancellationToken cancellationToken = default);

    [Post("/api/webhooks/subscriptions/{id}/deliveries/{deliveryId}/redeliver")]
    Task RedeliverAsync(Guid id, Guid deliveryId, CancellationToken cancellationToken = default);

    [Post("/api/webhooks/subscriptions/{id}/redeliver")]
    Task<RedeliveryAccepted> RedeliverRangeAsync(Guid id, [Body] RedeliveryInput range, CancellationToken cancellationToken = default);

    [Get("/api/webhooks/audit")]
    Task<AuditPage> ReadAuditLogAsync(string? cursor = null, int? limit = null, CancellationToken cancellationToken = default);
}

public static class WebhooksApiExtensions
{
    public static IAsyncEnumerable<SubscriptionView> AllSubscriptionsAsync(this IWebhooksApi webhooks, CancellationToken cancellationToken = default) =>
        Pages.ReadAllAsync((cursor, ct) => webhooks.ListSubscriptionsAsync(cursor, 100, ct), page => page.Items, page => page.NextCursor, cancellationToken);

    /// <summary>A subscription's deliveries, newest first.</summary>
    public static IAsyncEnumerable<DeliveryView> AllDeliveriesAsync(this IWebhooksApi webhooks, Guid subscriptionId, string? status = null,
        CancellationToken cancellationToken = default) =>
        Pages.ReadAllAsync((cursor, ct) => webhooks.ListDeliveriesAsync(subscriptionId, status, cursor, 200, ct), page => page.Items, page => page.NextCursor, cancellationToken);
}
