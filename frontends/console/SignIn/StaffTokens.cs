using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text.Json;

namespace MachCommerce.MerchantConsole.SignIn;

/// <summary>The signed-in person's tokens are gone (refresh refused: removed, locked, or the console restarted): they must sign in again.</summary>
public sealed class SignInExpiredException(string message) : Exception(message);

/// <summary>
/// The signed-in people's tokens, on the server (never in the browser), by console session. An access token lives a
/// few minutes; one about to run out is renewed with the refresh token, which rotates (the new one replaces it, and
/// one session renews one at a time, since a refresh token used twice revokes the whole sign-in). Held in memory: a
/// restart of the console asks everyone to sign in again.
/// </summary>
public sealed class StaffTokens(IHttpClientFactory http, IOptions<ConsoleOptions> options, TimeProvider time)
{
    private static readonly TimeSpan RenewBefore = TimeSpan.FromSeconds(30);

    private readonly ConcurrentDictionary<string, Session> _sessions = new();

    private sealed class Session(string accessToken, string? refreshToken, DateTimeOffset expiresAt)
    {
        public SemaphoreSlim Renewing { get; } = new(1, 1);
        public string AccessToken { get; set; } = accessToken;
        public string? RefreshToken { get; set; } = refreshToken;
        public DateTimeOffset ExpiresAt { get; set; } = expiresAt;
    }

    /// <summary>Keeps a new sign-in's tokens and returns the session id the cookie carries.</summary>
    public string Start(string accessToken, string? refreshToken, int expiresInSeconds)
    {
        var id = Convert.ToHexString(RandomNumberGenerator.GetBytes(16));
        _sessions[id] = new Session(accessToken, refreshToken, time.GetUtcNow().AddSeconds(expiresInSeconds));
        return id;
    }

    public bool Has(string session) => _sessions.ContainsKey(session);

    public void End(string session) => _sessions.TryRemove(session, out _);

    /// <summary>A valid access token of the session, renewed first if it is about to run out.</summary>
    public async Task<string> AccessTokenAsync(string session, CancellationToken cancellationToken)
    {
        if (!_sessions.TryGetValue(session, out var tokens))
        {
            throw new SignInExpiredException("This console session has ended; sign in again.");
        }

        if (tokens.ExpiresAt - RenewBefore > time.GetUtcNow())
        {
            return tokens.AccessToken;
        }

        await tokens.Renewing.WaitAsync(cancellationToken);
        try
        {
            if (tokens.ExpiresAt - RenewBefore > time.GetUtcNow())
            {
                return tokens.AccessToken;
            }

            using var response = await http.CreateClient(nameof(StaffTokens)).PostAsync(new Uri(options.Value.Platform!, "connect/token"), new FormUrlEncodedContent(
                new Dictionary<string, string> { ["grant_type"] = "refresh_token", ["client_id"] = options.Value.ClientId, ["refresh_token"] = tokens.RefreshToken ?? "" }),
                cancellationToken);
            if (!response.IsSuccessStatusCode)
            {
                End(session);
                throw new SignInExpiredException("The platform ended this sign-in (signed out, removed or locked); sign in again.");
            }

            using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync(cancellationToken));
            var root = body.RootElement;
            tokens.AccessToken = root.GetProperty("access_token").GetString()!;
            tokens.RefreshToken = root.TryGetProperty("refresh_token", out var refresh) ? refresh.GetString() : tokens.RefreshToken;
            tokens.ExpiresAt = time.GetUtcNow().AddSeconds(root.TryGetProperty("expires_in", out var expires) ? expires.GetInt32() : 300);
            return tokens.AccessToken;
        }
        finally
        {
            tokens.Renewing.Release();
        }
    }
}
