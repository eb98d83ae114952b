namespace MachCommerce.Client.Authentication;

/// <summary>Sends a signed-in person's access token, asked for anew for every attempt (the provider renews it when it runs out).</summary>
internal sealed class AccessTokenHandler(Func<CancellationToken, ValueTask<string>> provider) : DelegatingHandler
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", await provider(cancellationToken));
        return await base.SendAsync(request, cancellationToken);
    }
}
