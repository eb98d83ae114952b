using MachCommerce.Hosting.Identity;

namespace MachCommerce.Testing;

public static class AssertingClient
{
    /// <summary>
    /// An HttpClient that sends a fresh identity assertion for <paramref name="tenantId"/> with every request,
    /// as the gateway does in front of a service.
    /// </summary>
    public static HttpClient Create(Uri baseAddress, string tenantId, params string[] scopes) =>
        new(new AssertionHandler(tenantId, scopes.Length > 0 ? scopes : [.. Scopes.All])) { BaseAddress = baseAddress };

    private sealed class AssertionHandler(string tenantId, string[] scopes) : DelegatingHandler(new SocketsHttpHandler())
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            request.Headers.Remove(IdentityAssertionCodec.HeaderName);
            request.Headers.Add(IdentityAssertionCodec.HeaderName, TestIdentity.Mint(tenantId, scopes));
            return base.SendAsync(request, cancellationToken);
        }
    }
}
