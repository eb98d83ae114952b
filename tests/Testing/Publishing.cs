using System.Text;
using RabbitMQ.Client;

namespace MachCommerce.Testing;

/// <summary>Publishing an integration event onto the real broker as another service's outbox relay would.</summary>
public static class Publishing
{
    /// <summary>A MassTransit envelope of <paramref name="message"/> on its type's exchange ("Namespace:Type"); returns the message id.</summary>
    public static async Task<Guid> PublishEventAsync<TEvent>(this IChannel channel, TEvent message) where TEvent : class
    {
        var exchange = ExchangeOf<TEvent>();
        var messageId = Guid.NewGuid();
        var envelope = new
        {
            messageId,
            messageType = new[] { "urn:message:" + exchange },
            sentTime = DateTimeOffset.UtcNow,
            message,
        };
        // Declared once per channel: a declaration is a round trip, and a benchmark publishing thousands would measure those.
        var declared = Declared.GetOrCreateValue(channel);
        bool first;
        lock (declared)
        {
            first = declared.Add(exchange);
        }

        if (first)
        {
            await channel.ExchangeDeclareAsync(exchange, ExchangeType.Fanout, durable: true);
        }

        var properties = new BasicProperties { ContentType = "application/vnd.masstransit+json", Persistent = true, MessageId = messageId.ToString() };
        await channel.BasicPublishAsync(exchange, "", mandatory: false, properties, Encoding.UTF8.GetBytes(JsonSerializer.Serialize(envelope, Json)));
        return messageId;
    }

    /// <summary>The exchange MassTransit publishes <typeparamref name="TEvent"/> on: "Namespace:Type".</summary>
    public static string ExchangeOf<TEvent>() => $"{typeof(TEvent).Namespace}:{typeof(TEvent).Name}";

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    private static readonly System.Runtime.CompilerServices.ConditionalWeakTable<IChannel, HashSet<string>> Declared = [];
}
