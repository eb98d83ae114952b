using Yarp.ReverseProxy;

namespace MachCommerce.Gateway.Services;

/// <summary>
/// Where the gateway's own calls to a service go (GraphQL resolvers, customer tokens): a destination of the same
/// YARP cluster the REST routes use, taken in turn among those its health checks consider available, so both
/// paths share one view of which instances are up.
/// </summary>
public sealed class ServiceEndpoints(IProxyStateLookup proxy)
{
    private int _turn;

    public Uri? Pick(string service)
    {
        if (!proxy.TryGetCluster(service, out var cluster))
        {
            return null;
        }

        var available = cluster.DestinationsState?.AvailableDestinations;
        if (available is not { Count: > 0 })
        {
            return null;
        }

        var destination = available[(int)((uint)Interlocked.Increment(ref _turn) % (uint)available.Count)];
        return new Uri(destination.Model.Config.Address);
    }
}
