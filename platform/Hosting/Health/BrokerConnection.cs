using MachCommerce.Hosting.Configuration;
using RabbitMQ.Client;

namespace MachCommerce.Hosting.Health;

/// <summary>
/// One AMQP connection for the process's own housekeeping (readiness probes, queue depths), opened on first use
/// and again after it breaks, so probes every few seconds do not cost a TCP and AMQP handshake each.
/// </summary>
public sealed class BrokerConnection(IOptions<RabbitMqOptions> options) : IAsyncDisposable
{
    private readonly SemaphoreSlim _gate = new(1, 1);
    private IConnection? _connection;

    public async Task<IConnection> GetAsync(CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            if (_connection is { IsOpen: true })
            {
                return _connection;
            }

            if (_connection is not null)
            {
                await _connection.DisposeAsync();
                _connection = null;
            }

            var factory = new ConnectionFactory
            {
                Uri = options.Value.Uri!,
                ClientProvidedName = "mach-housekeeping",
                RequestedConnectionTimeout = TimeSpan.FromSeconds(3),
                AutomaticRecoveryEnabled = false, // we reconnect on demand instead
            };
            _connection = await factory.CreateConnectionAsync(cancellationToken);
            return _connection;
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
