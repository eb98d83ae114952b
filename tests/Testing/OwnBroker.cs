namespace MachCommerce.Testing;

/// <summary>
/// A RabbitMQ broker of a test's own, so that an outage (stopping it) disturbs no other test: started in a scratch
/// folder, stopped and started again on the same port with its data (the services under test keep its address), and
/// gone with its folder when the test ends.
/// </summary>
public sealed class OwnBroker : IAsyncDisposable
{
    private readonly string _folder;
    private LocalRabbitMq _broker;

    private OwnBroker(string folder, LocalRabbitMq broker) => (_folder, _broker) = (folder, broker);

    public Uri Uri => _broker.Uri;

    public static async Task<OwnBroker> StartAsync(string name)
    {
        var folder = Path.Combine(RepositoryPaths.DataRoot(), "tests", "scratch", $"{name}-{Guid.NewGuid().ToString("N")[..8]}");
        return new OwnBroker(folder, await LocalRabbitMq.StartAsync(new LocalRabbitMqOptions { DataDirectory = folder }));
    }

    public Task StopAsync() => _broker.StopAsync();

    /// <summary>Starts it again with the messages it kept, on the port it had: the services reconnect to the address they know.</summary>
    public async Task RestartAsync()
    {
        var port = _broker.Port;
        _broker = await LocalRabbitMq.StartAsync(new LocalRabbitMqOptions { DataDirectory = _folder, PreferredPort = port });
        if (_broker.Port != port)
        {
            throw new InvalidOperationException($"the broker came back on port {_broker.Port}, not {port}: the services under test cannot follow it");
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _broker.StopAsync();
        // Its last process may hold its files a moment longer; a leftover folder fails nothing (the next run's data clean-up takes it).
        for (var attempt = 1; attempt <= 10 && Directory.Exists(_folder); attempt++)
        {
            try
            {
                Directory.Delete(_folder, recursive: true);
            }
            catch (IOException) when (attempt < 10)
            {
                await Task.Delay(500);
            }
            catch (IOException)
            {
                return;
            }
        }
    }
}
