using System.Net;
using System.Net.Sockets;

namespace MachCommerce.Webhooks.Dispatch;

/// <summary>
/// Where a webhook may go (OWASP API7, server-side request forgery): https to a public address only. A target
/// that names or resolves to a private, loopback, link-local, carrier-grade NAT, documentation, multicast or
/// cloud metadata address is refused when the subscription is saved and again at every connection (the name may
/// resolve elsewhere by then: DNS rebinding). Loopback and http only by an explicit development setting.
/// </summary>
public sealed class TargetPolicy(IOptions<WebhooksOptions> options)
{
    private static readonly IPNetwork[] NotPublic =
    [
        IPNetwork.Parse("0.0.0.0/8"), IPNetwork.Parse("10.0.0.0/8"), IPNetwork.Parse("100.64.0.0/10"), IPNetwork.Parse("127.0.0.0/8"),
        IPNetwork.Parse("169.254.0.0/16"), IPNetwork.Parse("172.16.0.0/12"), IPNetwork.Parse("192.0.0.0/24"), IPNetwork.Parse("192.0.2.0/24"),
        IPNetwork.Parse("192.88.99.0/24"), IPNetwork.Parse("192.168.0.0/16"), IPNetwork.Parse("198.18.0.0/15"), IPNetwork.Parse("198.51.100.0/24"),
        IPNetwork.Parse("203.0.113.0/24"), IPNetwork.Parse("224.0.0.0/4"), IPNetwork.Parse("240.0.0.0/4"),
        IPNetwork.Parse("::/128"), IPNetwork.Parse("::1/128"), IPNetwork.Parse("64:ff9b:1::/48"), IPNetwork.Parse("100::/64"),
        IPNetwork.Parse("2001::/23"), IPNetwork.Parse("2001:db8::/32"), IPNetwork.Parse("fc00::/7"), IPNetwork.Parse("fe80::/10"),
        IPNetwork.Parse("fec0::/10"), IPNetwork.Parse("ff00::/8"),
    ];

    private static readonly IPNetwork[] Loopback = [IPNetwork.Parse("127.0.0.0/8"), IPNetwork.Parse("::1/128")];

    public const int MaxUrlLength = 2000;

    /// <summary>What is wrong with <paramref name="text"/> as a target, in the subscriber's words, or null; checks the form and, for a name, what it resolves to now.</summary>
    public async Task<string?> ProblemWithAsync(string? text, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return "is required: the https address that receives the events.";
        }

        if (text.Length > MaxUrlLength || !Uri.TryCreate(text, UriKind.Absolute, out var url) || url.Scheme is not ("https" or "http"))
        {
            return $"must be an absolute https URL of at most {MaxUrlLength} characters.";
        }

        if (url.Scheme == "http" && !options.Value.AllowHttpTargets)
        {
            return "must use https: events carry shop data and are signed, not encrypted.";
        }

        if (url.UserInfo.Length > 0 || url.Fragment.Length > 0)
        {
            return "must not contain credentials or a fragment; authenticate the sender by its signature instead.";
        }

        IPAddress[] addresses;
        if (IPAddress.TryParse(url.IdnHost, out var literal))
        {
            addresses = [literal];
        }
        else
        {
            try
            {
                addresses = await Dns.GetHostAddressesAsync(url.IdnHost, cancellationToken);
            }
            catch (SocketException)
            {
                return $"names a host that does not resolve ({url.IdnHost}).";
            }
        }

        return addresses.Select(ProblemWith).FirstOrDefault(problem => problem is not null);
    }

    /// <summary>Why a connection to <paramref name="address"/> is refused, or null when it is a public address (or allowed loopback).</summary>
    public string? ProblemWith(IPAddress address)
    {
        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }

        if (options.Value.AllowLoopbackTargets && Loopback.Any(n => n.Contains(address)))
        {
            return null;
        }

        foreach (var network in NotPublic)
        {
            if (network.Contains(address))
            {
                return $"resolves to {address}, which is not a public internet address ({network}); webhooks only go to public receivers.";
            }
        }

        return null;
    }

    /// <summary>
    /// Connects only to a permitted address of the target's name, resolved here at connection time, so the
    /// address checked is the address used (no second lookup an attacker's DNS could answer differently).
    /// </summary>
    public async ValueTask<Stream> ConnectAsync(SocketsHttpConnectionContext context, CancellationToken cancellationToken)
    {
        var host = context.DnsEndPoint.Host;
        var addresses = IPAddress.TryParse(host, out var literal) ? [literal] : await Dns.GetHostAddressesAsync(host, cancellationToken);
        string? refusal = null;
        SocketException? failure = null;
        foreach (var address in addresses)
        {
            if (ProblemWith(address) is { } problem)
            {
                refusal ??= problem;
                continue;
            }

            var socket = new Socket(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            try
            {
                await socket.ConnectAsync(new IPEndPoint(address, context.DnsEndPoint.Port), cancellationToken);
                return new NetworkStream(socket, ownsSocket: true);
            }
            catch (SocketException exception)
            {
                socket.Dispose();
                failure = exception; // try the name's next address
            }
            catch
            {
                socket.Dispose();
                throw;
            }
        }

        throw failure ?? (Exception)new RefusedTargetException($"The target {refusal ?? "has no address"}");
    }
}

/// <summary>A delivery not attempted because the target's address is not allowed.</summary>
public sealed class RefusedTargetException(string message) : IOException(message);
