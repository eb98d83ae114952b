using System.Net.Http.Json;
using System.Text;

namespace MachCommerce.Client.Authentication;

/// <summary>
/// OAuth 2.0 client credentials against the platform's token endpoint (<c>/connect/token</c> at the gateway): one
/// access token shared by all requests, renewed a minute before it expires, and once more if the gateway refuses it
/// (keys rotated, client's scopes changed).
/// </summary>
internal sealed class ClientCredentialsHandler(TokenSource tokens) : DelegatingHandler
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var token = await tokens.GetAsync(forceNew: false, cancellationToken);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        var response = await base.SendAsync(request, cancellationToken);
        if (response.StatusCode != HttpStatusCode.Unauthorized)
        {
            return response;
        }

        var renewed = await tokens.GetAsync(forceNew: true, cancellationToken, refused: token);
        if (renewed == token)
        {
            return response;
        }

        response.Dispose();
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", renewed);
        return await base.SendAsync(request, cancellationToken);
    }
}

/// <summary>The current access token of one partner client, fetched when needed; thread-safe.</summary>
internal sealed class TokenSource(HttpClient http, MachCommerceClientOptions options, TimeProvider time) : IDisposable
{
    private static readonly TimeSpan RenewBefore = TimeSpan.FromMinutes(1);
    private readonly SemaphoreSlim _gate = new(1, 1);
    private string? _token;
    private DateTimeOffset _renewAt;

    public void Dispose() => _gate.Dispose();

    /// <param name="refused">The token the gateway just refused: a new one is fetched unless another caller already did.</param>
    public async Task<string> GetAsync(bool forceNew, CancellationToken cancellationToken, string? refused = null)
    {
        if (!forceNew && _token is { } current && time.GetUtcNow() < _renewAt)
        {
            return current;
        }

        await _gate.WaitAsync(cancellationToken);
        try
        {
            var stillValid = _token is not null && time.GetUtcNow() < _renewAt;
            if (stillValid && (!forceNew || _token != refused))
            {
                return _token!;
            }

            using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(options.BaseAddress!, "connect/token"))
            {
                Content = new FormUrlEncodedContent(options.Scope is { Length: > 0 } scope
                    ? new Dictionary<string, string> { ["grant_type"] = "client_credentials", ["scope"] = scope }
                    : new Dictionary<string, string> { ["grant_type"] = "client_credentials" }),
            };
            request.Headers.Authorization = new AuthenticationHeaderValue("Basic",
                Convert.ToBase64String(Encoding.UTF8.GetBytes($"{Uri.EscapeDataString(options.ClientId!)}:{Uri.EscapeDataString(options.ClientSecret!)}")));
            using var response = await http.SendAsync(request, cancellationToken);
            if (!response.IsSuccessStatusCode)
            {
                var error = await response.Content.ReadFromJsonAsync(ClientJsonContext.Default.TokenError, cancellationToken).ConfigureAwait(false);
                throw new MachCommerceApiException(response.StatusCode, "The token endpoint refused the client",
                    error?.ErrorDescription ?? error?.Error ?? $"HTTP {(int)response.StatusCode}", new Dictionary<string, string[]>(), null);
            }

            var answer = await response.Content.ReadFromJsonAsync(ClientJsonContext.Default.TokenAnswer, cancellationToken)
                ?? throw new InvalidOperationException("The token endpoint answered without a token.");
            _token = answer.AccessToken;
            _renewAt = time.GetUtcNow() + TimeSpan.FromSeconds(Math.Max(answer.ExpiresIn, 1)) - (answer.ExpiresIn > 2 * RenewBefore.TotalSeconds ? RenewBefore : TimeSpan.Zero);
            return _token;
        }
        finally
        {
            _gate.Release();
        }
    }
}
