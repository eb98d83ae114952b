using MachCommerce.Contracts;
using MachCommerce.Contracts.Catalog.V1;
using MachCommerce.Contracts.Gdpr.V1;
using MachCommerce.Contracts.Personalization.V1;
using MachCommerce.Contracts.Profiles.V1;
using MassTransit;

namespace MachCommerce.Webhooks.Events;

/// <summary>
/// Turns one integration event into one delivery per subscription that wants it. The consumer prepares the event
/// (its payload as it will be signed and sent) and hands it to the <see cref="EventIntake"/>, which commits it with
/// others in one transaction and only then lets the consumer return: the broker's acknowledgement follows the
/// commit, so a crash or a broker outage loses none, and the inbox makes a redelivered message add none. The event
/// itself is kept when the tenant has any subscription to its type (a paused one too), so that it can be redelivered.
/// </summary>
internal abstract class FanOut<TEvent>(EventIntake intake, EventType type, Func<TEvent, string> resourceOf) : IConsumer<TEvent> where TEvent : class, IIntegrationEvent
{
    // The inbox's name for this consumer: one per event type (e.g. ...ProductChangedFanOut), as before the intake.
    private string Consumer => GetType().FullName!;

    protected virtual object DataOf(TEvent message) => message;

    public Task Consume(ConsumeContext<TEvent> context)
    {
        var message = context.Message;
        var messageId = context.MessageId
            ?? throw new InvalidOperationException($"{typeof(TEvent).Name} arrived without a message id; the inbox cannot tell a redelivery from a new message.");
        context.TryGetPayload<RabbitMqBasicConsumeContext>(out var broker);
        return intake.TakeAsync(new IncomingEvent(messageId, Consumer, message.TenantId, type.Name, resourceOf(message), message.OccurredAt,
            EventTypes.Payload(type, message, DataOf(message)), broker?.ConsumerTag, broker?.DeliveryTag ?? 0), context.CancellationToken);
    }
}

/// <summary>The resource each event is about: its deliveries to one subscriber go out in order.</summary>
internal static class ResourceKeys
{
    public static string Of(ProductPublished message) => $"product:{message.Product.ProductId}";

    public static string Of(ProductChanged message) => $"product:{message.Product.ProductId}";

    public static string Of(ProductArchived message) => $"product:{message.ProductId}";

    public static string Of(PriceChanged message) => $"product:{message.ProductId}";

    public static string Of(ProfileState message) => $"profile:{message.ProfileId}";

    public static string Of(ConsentChanged message) => $"profile:{message.ProfileId}";

    public static string Of(ErasureRequested message) => $"profile:{message.ProfileId}";

    public static string Of(OfferRedeemed message) => $"offer:{message.OfferId}";

    public static string Of(ExperimentFinished message) => $"experiment:{message.ExperimentId}";
}

internal sealed class ProductPublishedFanOut(EventIntake intake) : FanOut<ProductPublished>(intake, EventTypes.ProductPublished, ResourceKeys.Of);

internal sealed class ProductChangedFanOut(EventIntake intake) : FanOut<ProductChanged>(intake, EventTypes.ProductChanged, ResourceKeys.Of);

internal sealed class ProductArchivedFanOut(EventIntake intake) : FanOut<ProductArchived>(intake, EventTypes.ProductArchived, ResourceKeys.Of);

internal sealed class PriceChangedFanOut(EventIntake intake) : FanOut<PriceChanged>(intake, EventTypes.PriceChanged, ResourceKeys.Of);

internal sealed class ProfileRegisteredFanOut(EventIntake intake) : FanOut<ProfileRegistered>(intake, EventTypes.ProfileRegistered, ResourceKeys.Of);

internal sealed class ProfileChangedFanOut(EventIntake intake) : FanOut<ProfileChanged>(intake, EventTypes.ProfileChanged, ResourceKeys.Of);

internal sealed class ConsentChangedFanOut(EventIntake intake) : FanOut<ConsentChanged>(intake, EventTypes.ConsentChanged, ResourceKeys.Of);

internal sealed class ErasureRequestedFanOut(EventIntake intake) : FanOut<ErasureRequested>(intake, EventTypes.ErasureRequested, ResourceKeys.Of)
{
    protected override object DataOf(ErasureRequested message) => EventTypes.ErasureDataOf(message);
}

internal sealed class OfferRedeemedFanOut(EventIntake intake) : FanOut<OfferRedeemed>(intake, EventTypes.OfferRedeemed, ResourceKeys.Of);

internal sealed class ExperimentFinishedFanOut(EventIntake intake) : FanOut<ExperimentFinished>(intake, EventTypes.ExperimentFinished, ResourceKeys.Of);

internal static class FanOutRegistration
{
    public const string Queue = "fan-out";

    /// <summary>
    /// Every event type on one queue (webhooks-fan-out): a product's price.changed after its product.changed arrives,
    /// and is delivered, in that order (the producing service's outbox publishes per resource in order, and the
    /// intake writes the queue's messages in the broker's order although many are consumed at once).
    /// </summary>
    public static MessagingBuilder AddWebhookFanOut(this MessagingBuilder messaging) => messaging
        .AddConsumer<ProductPublished, ProductPublishedFanOut>(Queue)
        .AddConsumer<ProductChanged, ProductChangedFanOut>(Queue)
        .AddConsumer<ProductArchived, ProductArchivedFanOut>(Queue)
        .AddConsumer<PriceChanged, PriceChangedFanOut>(Queue)
        .AddConsumer<ProfileRegistered, ProfileRegisteredFanOut>(Queue)
        .AddConsumer<ProfileChanged, ProfileChangedFanOut>(Queue)
        .AddConsumer<ConsentChanged, ConsentChangedFanOut>(Queue)
        .AddConsumer<ErasureRequested, ErasureRequestedFanOut>(Queue)
        .AddConsumer<OfferRedeemed, OfferRedeemedFanOut>(Queue)
        .AddConsumer<ExperimentFinished, ExperimentFinishedFanOut>(Queue);
}
