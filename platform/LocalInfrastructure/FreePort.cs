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
