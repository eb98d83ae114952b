using RabbitMQ.Client;
using RabbitMQ.Client.Exceptions;

namespace MachCommerce.Messaging;

/// <summary>
/// The error queues MassTransit fills with messages that failed every retry (<c>{endpoint}_error</c>, with the
/// exception in the <c>MT-Fault-*</c> headers): how deep they are, and moving their messages back for another go
/// once the cause is fixed (<c>dotnet run --project mach-commerce -- requeue {endpoint}</c>).
/// </summary>
public static class ErrorQueues
{
    public const string Suffix = "_error";

    /// <summary>Messages waiting in <paramref name="queue"/>; 0 when it does not exist (nothing ever failed there).</summary>
    public static async Task<long> DepthAsync(IConnection connection, string queue, CancellationToken cancellationToken = default)
    {
        // A passive declare of a missing queue closes the channel, so each look gets a channel of its own.
        await using var channel = await connection.CreateChannelAsync(cancellationToken: cancellationToken);
        try
        {
            var declared = await channel.QueueDeclarePassiveAsync(queue, cancellationToken);
            return declared.MessageCount;
        }
        catch (OperationInterruptedException exception) when (exception.ShutdownReason?.ReplyCode == 404)
        {
            return 0;
        }
    }

    /// <summary>
    /// Moves every message from <c>{endpoint}_error</c> back to <c>{endpoint}</c> with its original headers, less
    /// the fault headers. Each is removed from the error queue only after the broker confirmed the re-publish,
    /// so a crash half-way loses nothing (at worst a message is in both, and the inbox drops the second).
    /// </summary>
    /// <returns>How many messages were moved.</returns>
    public static async Task<int> RequeueAsync(IConnection connection, string endpoint, CancellationToken cancellationToken = default)
    {
        var errorQueue = endpoint + Suffix;
        await using var channel = await connection.CreateChannelAsync(
            new CreateChannelOptions(publisherConfirmationsEnabled: true, publisherConfirmationTrackingEnabled: true), cancellationToken);
        await channel.QueueDeclarePassiveAsync(endpoint, cancellationToken); // fail clearly on a mistyped name

        var moved = 0;
        while (await channel.BasicGetAsync(errorQueue, autoAck: false, cancellationToken) is { } message)
        {
            var properties = new BasicProperties(message.BasicProperties)
            {
                Headers = message.BasicProperties.Headers?
                    .Where(header => !header.Key.StartsWith("MT-Fault", StringComparison.Ordinal) && header.Key != "MT-Reason")
                    .ToDictionary(header => header.Key, header => header.Value),
            };
            await channel.BasicPublishAsync("", endpoint, mandatory: true, properties, message.Body, cancellationToken);
            await channel.BasicAckAsync(message.DeliveryTag, multiple: false, cancellationToken);
            moved++;
        }

        return moved;
    }
}
