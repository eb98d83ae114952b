namespace MachCommerce.Messaging;

/// <summary>
/// MassTransit's bus check, and when that finds nothing wrong, the broker connection too: a bus that only
/// publishes has no receive endpoint to fault, so MassTransit alone reports it healthy while RabbitMQ is down.
/// </summary>
internal sealed class BusWithBrokerHealthCheck(IHealthCheck bus, BrokerConnection broker) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var result = await bus.CheckHealthAsync(context, cancellationToken);
        if (result.Status != HealthStatus.Healthy)
        {
            return result;
        }

        var connection = await new RabbitMqHealthCheck(broker).CheckHealthAsync(context, cancellationToken);
        return connection.Status == HealthStatus.Healthy
            ? result
            : new HealthCheckResult(context.Registration.FailureStatus, $"The bus cannot reach RabbitMQ: {connection.Description}", data: result.Data);
    }
}
