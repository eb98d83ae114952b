using MachCommerce.Hosting.Identity;

namespace MachCommerce.Testing;

public static class AssertingClient
{
    /// <summary>
    /// An HttpClient that sends a fresh identity assertion for <paramref name="tenantId"/> to the service named
    /// <paramref name="audience"/> with every request, as the gateway does in front of a service.
    /// </summary>
    public static HttpClient Create(Uri baseAddress, string audience, string tenantId, params string[] scopes)
    {
        var handler = Handler(audience, tenantId, scopes);
        handler.InnerHandler = new SocketsHttpHandler();
        return new HttpClient(handler) { BaseAddress = baseAddress };
    }

    /// <summary>The same as a handler without an inner one, e.g. for WebApplicationFactory.CreateDefaultClient.</summary>
    public static DelegatingHandler Handler(string audience, string tenantId, string[] scopes, string? customerGroup = null) =>
        new AssertionHandler(audience, tenantId, scopes.Length > 0 ? scopes : [.. Scopes.All], customerGroup);

    private sealed class AssertionHandler(string audience, string tenantId, string[] scopes, string? customerGroup) : DelegatingHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            request.Headers.Remove(IdentityAssertionCodec.HeaderName);
            request.Headers.Add(IdentityAssertionCodec.HeaderName, TestIdentity.Codec.Mint(tenantId, scopes, "test", audience, customerGroup: customerGroup));
            return base.SendAsync(request, cancellationToken);
        }
    }
}
