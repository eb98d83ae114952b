namespace MachCommerce.Webhooks.Dispatch;

/// <summary>Wakes the dispatcher when new deliveries are committed (by the fan-out, a redelivery or a switched-on subscription).</summary>
public sealed class DeliverySignal(NpgsqlDataSource dataSource, ILogger<DeliverySignal> logger)
    : NotificationSignal(dataSource, WebhooksDatabase.DeliveriesChannel, logger);
