using MachCommerce.Messaging;
using RabbitMQ.Client;

namespace MachCommerce.Launcher;

/// <summary><c>mach-commerce requeue ENDPOINT</c>: gives the messages in ENDPOINT_error another go.</summary>
internal static class Requeue
{
    public static async Task<int> RunAsync(string endpoint, Uri? broker)
    {
        broker ??= Environment.GetEnvironmentVariable(LocalServers.RabbitMqVariable) is { Length: > 0 } configured ? new Uri(configured) : LocalBroker();
        if (broker is null)
        {
            await Console.Error.WriteLineAsync("No broker: start the platform first (dotnet run --project mach-commerce), or pass --broker amqp://...");
            return 2;
        }

        try
        {
            await using var connection = await new ConnectionFactory { Uri = broker, ClientProvidedName = "mach-commerce-requeue" }.CreateConnectionAsync();
            var moved = await ErrorQueues.RequeueAsync(connection, endpoint);
            Console.WriteLine($"moved {moved} message(s) from {endpoint}{ErrorQueues.Suffix} back to {endpoint}");
            return 0;
        }
        catch (Exception exception) when (exception is RabbitMQ.Client.Exceptions.OperationInterruptedException or RabbitMQ.Client.Exceptions.BrokerUnreachableException)
        {
            await Console.Error.WriteLineAsync($"requeue failed: {exception.Message}");
            return 1;
        }
    }

    private static Uri? LocalBroker()
    {
        var file = Path.Combine(RepositoryPaths.DataRoot(), "local", "rabbitmq", LocalRabbitMq.UriFile);
        return File.Exists(file) ? new Uri(File.ReadAllText(file).Trim()) : null;
    }
}
