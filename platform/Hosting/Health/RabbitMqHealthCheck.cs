using MachCommerce.Hosting.Configuration;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;
using RabbitMQ.Client;
using RabbitMQ.Client.Exceptions;

namespace MachCommerce.Hosting.Health;

/// <summary>
/// Ready when the broker accepts an AMQP login with the service's credentials. It keeps one connection open
/// between probes so that a probe every few seconds does not cost a TCP and AMQP handshake each time.
/// </summary>
public sealed class RabbitMqHealthCheck(IOptions<RabbitMqOptions> options) : IHealthCheck, IAsyncDisposable
{
    private readonly SemaphoreSlim _gate = new(1, 1);
    private IConnection? _connection;

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            if (_connection is not { IsOpen: true })
            {
                if (_connection is not null)
                {
                    await _connection.DisposeAsync();
                }

                var factory = new ConnectionFactory { Uri = options.Value.Uri!, ClientProvidedName = "health-check", RequestedConnectionTimeout = TimeSpan.FromSeconds(3) };
                _connection = await factory.CreateConnectionAsync(cancellationToken);
            }

            return HealthCheckResult.Healthy("RabbitMQ accepts connections.");
        }
        catch (Exception exception) when (exception is BrokerUnreachableException or OperationInterruptedException or IOException or TimeoutException)
        {
            return new HealthCheckResult(context.Registration.FailureStatus, $"RabbitMQ does not answer: {exception.Message}");
        }
        finally
        {
            _gate.Release();
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_connection is not null)
        {
            await _connection.DisposeAsync();
        }

        _gate.Dispose();
    }
}
