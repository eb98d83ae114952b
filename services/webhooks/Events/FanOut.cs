using MachCommerce.Contracts;
using MachCommerce.Contracts.Catalog.V1;
using MachCommerce.Contracts.Gdpr.V1;
using MachCommerce.Contracts.Personalization.V1;
using MachCommerce.Contracts.Profiles.V1;
using MachCommerce.Hosting.Data;
using MachCommerce.Messaging;

namespace MachCommerce.Webhooks.Events;

/// <summary>
/// Turns one integration event into one delivery per subscription that wants it, in the inbox's transaction: the
/// event is acknowledged exactly when its deliveries are committed, so a crash or a broker outage loses none and a
/// redelivered message adds none. The event itself is kept when the tenant has any subscription to its type (a
/// paused one too), so that it can be redelivered later. The NOTIFY reaches the dispatcher at commit.
/// </summary>
internal abstract class FanOut<TEvent>(EventType type) : IInboxHandler<TEvent> where TEvent : class, IIntegrationEvent
{
    protected abstract string ResourceOf(TEvent message);

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
                        new() { Value = ResourceOf(message) }, new() { Value = message.OccurredAt }, new() { Value = EventTypes.Payload(type, message, DataOf(message)) },
                    },
                },
                new($"NOTIFY {WebhooksDatabase.DeliveriesChannel}"),
            },
        };
        await batch.ExecuteNonQueryAsync(cancellationToken);
    }
}

internal sealed class ProductPublishedFanOut() : FanOut<ProductPublished>(EventTypes.ProductPublished)
{
    protected override string ResourceOf(ProductPublished message) => $"product:{message.Product.ProductId}";
}

internal sealed class ProductChangedFanOut() : FanOut<ProductChanged>(EventTypes.ProductChanged)
{
    protected override string ResourceOf(ProductChanged message) => $"product:{message.Product.ProductId}";
}

internal sealed class ProductArchivedFanOut() : FanOut<ProductArchived>(EventTypes.ProductArchived)
{
    protected override string ResourceOf(ProductArchived message) => $"product:{message.ProductId}";
}

internal sealed class PriceChangedFanOut() : FanOut<PriceChanged>(EventTypes.PriceChanged)
{
    protected override string ResourceOf(PriceChanged message) => $"product:{message.ProductId}";
}

internal sealed class ProfileRegisteredFanOut() : FanOut<ProfileRegistered>(EventTypes.ProfileRegistered)
{
    protected override string ResourceOf(ProfileRegistered message) => $"profile:{message.ProfileId}";
}

internal sealed class ProfileChangedFanOut() : FanOut<ProfileChanged>(EventTypes.ProfileChanged)
{
    protected override string ResourceOf(ProfileChanged message) => $"profile:{message.ProfileId}";
}

internal sealed class ConsentChangedFanOut() : FanOut<ConsentChanged>(EventTypes.ConsentChanged)
{
    protected override string ResourceOf(ConsentChanged message) => $"profile:{message.ProfileId}";
}

internal sealed class ErasureRequestedFanOut() : FanOut<ErasureRequested>(EventTypes.ErasureRequested)
{
    protected override string ResourceOf(ErasureRequested message) => $"profile:{message.ProfileId}";

    protected override object DataOf(ErasureRequested message) => EventTypes.ErasureDataOf(message);
}

internal sealed class OfferRedeemedFanOut() : FanOut<OfferRedeemed>(EventTypes.OfferRedeemed)
{
    protected override string ResourceOf(OfferRedeemed message) => $"offer:{message.OfferId}";
}

internal sealed class ExperimentFinishedFanOut() : FanOut<ExperimentFinished>(EventTypes.ExperimentFinished)
{
    protected override string ResourceOf(ExperimentFinished message) => $"experiment:{message.ExperimentId}";
}

internal static class FanOutRegistration
{
    public const string Queue = "fan-out";

    /// <summary>
    /// Every event type on one queue (webhooks-fan-out), each with the inbox around its fan-out: a product's
    /// price.changed after its product.changed arrives, and is delivered, in that order (the producing service's
    /// outbox publishes per resource in order; Program.cs takes one message at a time).
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
