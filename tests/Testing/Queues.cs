using RabbitMQ.Client;

namespace MachCommerce.Testing;

/// <summary>Reading what arrived in a test's own queue on the real broker.</summary>
public static class Queues
{
    /// <summary>
    /// A queue of the test's own (gone with its channel) that gets every <typeparamref name="TEvent"/> published from
    /// now on, as a subscriber of another service would; read it with <see cref="NextEventAsync"/>.
    /// </summary>
    public static async Task<string> ListenAsync<TEvent>(this IChannel channel) where TEvent : class
    {
        var exchange = Publishing.ExchangeOf<TEvent>();
        await channel.ExchangeDeclareAsync(exchange, ExchangeType.Fanout, durable: true);
        var queue = (await channel.QueueDeclareAsync(exclusive: true)).QueueName;
        await channel.QueueBindAsync(queue, exchange, "");
        return queue;
    }

    /// <summary>
    /// The body of the next message <paramref name="accept"/> takes (all when null); messages it declines are
    /// consumed and skipped (other tests on the same virtual host publish too). Throws after <paramref name="timeout"/>.
    /// </summary>
    public static async Task<byte[]> NextMessageAsync(this IChannel channel, string queue, Func<byte[], bool>? accept = null, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(10));
        while (DateTime.UtcNow < deadline)
        {
            if (await channel.BasicGetAsync(queue, autoAck: true) is { } delivery)
            {
                var body = delivery.Body.ToArray();
                if (accept is null || accept(body))
                {
                    return body;
                }

                continue;
            }

            await Task.Delay(100);
        }

        throw new TimeoutException($"no matching message arrived in {queue}");
    }

    /// <summary>The event inside the next MassTransit envelope whose event <paramref name="accept"/> takes.</summary>
    public static async Task<JsonElement> NextEventAsync(this IChannel channel, string queue, Func<JsonElement, bool> accept, TimeSpan? timeout = null)
    {
        JsonElement found = default;
        await channel.NextMessageAsync(queue, body =>
        {
            var candidate = JsonDocument.Parse(body).RootElement.GetProperty("message").Clone();
            found = candidate;
            return accept(candidate);
        }, timeout);
        return found;
    }
}
