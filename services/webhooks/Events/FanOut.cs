using MachCommerce.Contracts;
using MachCommerce.Contracts.Catalog.V1;
using MachCommerce.Contracts.Gdpr.V1;
using MachCommerce.Contracts.Personalization.V1;
using MachCommerce.Contracts.Profiles.V1;
using MachCommerce.Hosting.Data;
using MachCommerce.Messaging;
using MachCommerce.Webhooks.Dispatch;

namespace MachCommerce.Webhooks.Events;

/// <summary>
/// Turns one integration event into one delivery per subscription that wants it, in the inbox's transaction: the
/// event is acknowledged exactly when its deliveries are committed, so a crash or a broker outage loses none and a
/// redelivered message adds none. The event itself is kept when the tenant has any subscription to its type (a
/// paused one too), so that it can be redelivered later. The dispatcher in this process is woken after the
/// commit (a NOTIFY here would make PostgreSQL commit these transactions one at a time); other replicas' poll.
/// </summary>
internal abstract class FanOut<TEvent>(DeliverySignal signal, EventType type, Func<TEvent, string> resourceOf) : IInboxHandler<TEvent> where TEvent : class, IIntegrationEvent
{
    protected virtual object DataOf(TEvent message) => message;

    public async Task HandleAsync(TEvent message, InboxContext context, CancellationToken cancellationToken)
    {
        await TenantScope.EnterAsync(context.Transaction, message.TenantId, WebhooksDatabase.ApplicationRole, WebhooksDatabase.Schema, cancellationToken);
        await using var batch = new Npgsql.NpgsqlBatch(context.Connection, context.Transaction)
        {
            BatchCommands =
            {
                new($"""
                    WITH wanted AS (
                        SELECT id, active FROM subscriptions WHERE tenant_id = $1 AND $2 = ANY(event_types)
                    ), kept AS (
                        INSERT INTO events (id, tenant_id, type, resource_key, occurred_at, payload)
                        SELECT $3, $1, $2, $4, $5, $6 WHERE EXISTS (SELECT 1 FROM wanted)
                        ON CONFLICT (id) DO NOTHING
                        RETURNING id
                    )
                    INSERT INTO deliveries (id, tenant_id, subscription_id, event_id, event_type, resource_key)
                    SELECT gen_random_uuid(), $1, wanted.id, kept.id, $2, $4 FROM wanted, kept WHERE wanted.active
                    """)
                {
                    Parameters =
                    {
                        new() { Value = message.TenantId }, new() { Value = type.Name }, new() { Value = context.MessageId },
                        new() { Value = resourceOf(message) }, new() { Value = message.OccurredAt }, new() { Value = EventTypes.Payload(type, message, DataOf(message)) },
                    },
                },
            },
        };
        await batch.ExecuteNonQueryAsync(cancellationToken);
        context.AfterCommit(signal.Wake);
    }
}

/// <summary>The resource each event is about: its deliveries to one subscriber go out in order.</summary>
internal static class ResourceKeys
{
    public static string Of(ProductPublished message) => $"product:{message.Product.ProductId}";

    public static string Of(ProductChanged message) => $"product:{message.Product.ProductId}";

    public static string Of(ProductArchived message) => $"product:{message.ProductId}";

    public static string Of(PriceChanged message) => $"product:{message.ProductId}";

    public static string Of(ProfileRegistered message) => $"profile:{message.ProfileId}";

    public static string Of(ProfileChanged message) => $"profile:{message.ProfileId}";

    public static string Of(ConsentChanged message) => $"profile:{message.ProfileId}";

    public static string Of(ErasureRequested message) => $"profile:{message.ProfileId}";

    public static string Of(OfferRedeemed message) => $"offer:{message.OfferId}";

    public static string Of(ExperimentFinished message) => $"experiment:{message.ExperimentId}";
}

internal sealed class ProductPublishedFanOut(DeliverySignal signal) : FanOut<ProductPublished>(signal, EventTypes.ProductPublished, ResourceKeys.Of);

internal sealed class ProductChangedFanOut(DeliverySignal signal) : FanOut<ProductChanged>(signal, EventTypes.ProductChanged, ResourceKeys.Of);

internal sealed class ProductArchivedFanOut(DeliverySignal signal) : FanOut<ProductArchived>(signal, EventTypes.ProductArchived, ResourceKeys.Of);

internal sealed class PriceChangedFanOut(DeliverySignal signal) : FanOut<PriceChanged>(signal, EventTypes.PriceChanged, ResourceKeys.Of);

internal sealed class ProfileRegisteredFanOut(DeliverySignal signal) : FanOut<ProfileRegistered>(signal, EventTypes.ProfileRegistered, ResourceKeys.Of);

internal sealed class ProfileChangedFanOut(DeliverySignal signal) : FanOut<ProfileChanged>(signal, EventTypes.ProfileChanged, ResourceKeys.Of);

internal sealed class ConsentChangedFanOut(DeliverySignal signal) : FanOut<ConsentChanged>(signal, EventTypes.ConsentChanged, ResourceKeys.Of);

internal sealed class ErasureRequestedFanOut(DeliverySignal signal) : FanOut<ErasureRequested>(signal, EventTypes.ErasureRequested, ResourceKeys.Of)
{
    protected override object DataOf(ErasureRequested message) => EventTypes.ErasureDataOf(message);
}

internal sealed class OfferRedeemedFanOut(DeliverySignal signal) : FanOut<OfferRedeemed>(signal, EventTypes.OfferRedeemed, ResourceKeys.Of);

internal sealed class ExperimentFinishedFanOut(DeliverySignal signal) : FanOut<ExperimentFinished>(signal, EventTypes.ExperimentFinished, ResourceKeys.Of);

internal static class FanOutRegistration
{
    public const string Queue = "fan-out";

    /// <summary>
    /// Every event type on one queue (webhooks-fan-out), each with the inbox around its fan-out: a product's
    /// price.changed after its product.changed arrives, and is delivered, in that order (the producing service's
    /// outbox publishes per resource in order; Program.cs takes one message at a time, as MassTransit's partitioner
    /// keeps one key's messages apart but not in their order).
    /// </summary>
    public static MessagingBuilder AddWebhookFanOut(this MessagingBuilder messaging) => messaging
        .AddInboxConsumer<ProductPublished, ProductPublishedFanOut>(Queue)
        .AddInboxConsumer<ProductChanged, ProductChangedFanOut>(Queue)
        .AddInboxConsumer<ProductArchived, ProductArchivedFanOut>(Queue)
        .AddInboxConsumer<PriceChanged, PriceChangedFanOut>(Queue)
        .AddInboxConsumer<ProfileRegistered, ProfileRegisteredFanOut>(Queue)
        .AddInboxConsumer<ProfileChanged, ProfileChangedFanOut>(Queue)
        .AddInboxConsumer<ConsentChanged, ConsentChangedFanOut>(Queue)
        .AddInboxConsumer<ErasureRequested, ErasureRequestedFanOut>(Queue)
        .AddInboxConsumer<OfferRedeemed, OfferRedeemedFanOut>(Queue)
        .AddInboxConsumer<ExperimentFinished, ExperimentFinishedFanOut>(Queue);
}
