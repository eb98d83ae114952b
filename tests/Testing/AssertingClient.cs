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
    /// <param name="cooperative">The cooperative the tenant belongs to (or whose central level it is), as the gateway would say.</param>
    public static DelegatingHandler Handler(string audience, string tenantId, string[] scopes, string? customerGroup = null, string? cooperative = null) =>
        new AssertionHandler(audience, tenantId, scopes.Length > 0 ? scopes : [.. Scopes.All], customerGroup, cooperative);

    /// <summary>Like the gateway, it reuses its assertion for half of the assertion's minute (signing and verifying ES256 cost CPU).</summary>
    private sealed class AssertionHandler(string audience, string tenantId, string[] scopes, string? customerGroup, string? cooperative) : DelegatingHandler
    {
        private (string Token, DateTimeOffset RenewAt) _current;

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var current = _current;
            if (current.Token is null || current.RenewAt <= DateTimeOffset.UtcNow)
            {
                current = _current = (TestIdentity.Codec.Mint(tenantId, scopes, "test", audience, customerGroup: customerGroup, cooperative: cooperative), DateTimeOffset.UtcNow.AddSeconds(30));
            }

            request.Headers.Remove(IdentityAssertionCodec.HeaderName);
            request.Headers.Add(IdentityAssertionCodec.HeaderName, current.Token);
            return base.SendAsync(request, cancellationToken);
        }
    }
}
