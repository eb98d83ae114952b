using RabbitMQ.Client;

namespace MachCommerce.Testing;

/// <summary>
/// A fixture's own connection to the broker, publishing events as another service's outbox relay would (see
/// <see cref="Publishing.PublishEventAsync"/>). One channel, so publishes take turns: a channel is not for two at once.
/// </summary>
public sealed class EventPublisher : IAsyncDisposable
{
    private readonly IConnection _connection;
    private readonly IChannel _channel;
    private readonly SemaphoreSlim _turn = new(1, 1);

    private EventPublisher(IConnection connection, IChannel channel)
    {
        _connection = connection;
        _channel = channel;
    }

    public static async Task<EventPublisher> ConnectAsync(Uri broker)
    {
        var connection = await new ConnectionFactory { Uri = broker }.CreateConnectionAsync();
        return new EventPublisher(connection, await connection.CreateChannelAsync());
    }

    /// <summary>Publishes the event; returns its message id.</summary>
    public async Task<Guid> PublishAsync<TEvent>(TEvent message) where TEvent : class
    {
        await _turn.WaitAsync();
        try
        {
            return await _channel.PublishEventAsync(message);
        }
        finally
        {
            _turn.Release();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _channel.DisposeAsync();
        await _connection.DisposeAsync();
        _turn.Dispose();
    }
}
