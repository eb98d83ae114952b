using RabbitMQ.Client.Exceptions;

namespace MachCommerce.Hosting.Health;

/// <summary>Ready when the broker accepts an AMQP login with the service's credentials.</summary>
public sealed class RabbitMqHealthCheck(BrokerConnection broker) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            await broker.GetAsync(cancellationToken);
            return HealthCheckResult.Healthy("RabbitMQ accepts connections.");
        }
        catch (Exception exception) when (exception is BrokerUnreachableException or OperationInterruptedException or IOException or TimeoutException)
        {
            return new HealthCheckResult(context.Registration.FailureStatus, $"RabbitMQ does not answer: {exception.Message}");
        }
    }
}
