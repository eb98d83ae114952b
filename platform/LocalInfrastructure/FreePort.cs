using System.Net;
using System.Net.Sockets;

namespace MachCommerce.LocalInfrastructure;

public static class FreePort
{
    /// <summary>
    /// <paramref name="preferred"/> when nothing listens on it (stable URLs for a developer), else one the
    /// kernel hands out on loopback.
    /// </summary>
    public static int Pick(int? preferred = null)
    {
        if (preferred is { } port && IsFree(port))
        {
            return port;
        }

        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>
    /// Starts a server on ports picked inside <paramref name="start"/>. A port free when picked can be taken by
    /// another process before the server binds it (two launchers starting at once); then the start is tried again
    /// on other ports, the preferred one given up (<c>attempt</c> &gt; 1).
    /// </summary>
    public static async Task<T> RetryWhenTakenAsync<T>(Func<int, Task<T>> start, int attempts = 4)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await start(attempt);
            }
            catch (InfrastructureException exception) when (attempt < attempts && WasTaken(exception.Message))
            {
                // picked again on the next round
            }
        }
    }

    private static bool WasTaken(string failure) =>
        failure.Contains("eaddrinuse", StringComparison.OrdinalIgnoreCase) || failure.Contains("address already in use", StringComparison.OrdinalIgnoreCase);

    public static bool IsFree(int port)
    {
        try
        {
            using var listener = new TcpListener(IPAddress.Loopback, port);
            listener.Start();
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    /// <summary>Whether something accepts TCP connections on loopback at <paramref name="port"/>.</summary>
    public static bool IsListening(int port)
    {
        try
        {
            using var client = new TcpClient();
            client.Connect(IPAddress.Loopback, port);
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }
}
