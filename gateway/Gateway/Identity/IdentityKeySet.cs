using MachCommerce.Gateway.Services;

namespace MachCommerce.Gateway.Identity;

/// <summary>
/// The identity service's public keys (its JWKS), fetched from an instance the proxy's health checks consider up
/// (not through the public address), kept for a lifetime, and fetched again at once when a token names a key not
/// in the set (a rotation) — at most every <see cref="MinRefetch"/>, so a flood of made-up key ids costs one fetch
/// per interval. One fetch at a time; callers meanwhile wait for its answer. (IdentityModel's ConfigurationManager
/// refreshes in the background, so the request that noticed a new key would still be refused.)
/// </summary>
public sealed class IdentityKeySet(ServiceEndpoints endpoints, IHttpClientFactory http, TimeProvider time, TimeSpan lifetime) : IDisposable
{
    public static readonly TimeSpan MinRefetch = TimeSpan.FromSeconds(5);

    private readonly SemaphoreSlim _fetching = new(1, 1);
    private JsonWebKeySet? _keys;
    private DateTimeOffset _fetchedAt = DateTimeOffset.MinValue;

    /// <summary>The current keys; null when the identity service cannot be reached and no keys were fetched before.</summary>
    public Task<JsonWebKeySet?> GetAsync(CancellationToken cancellationToken) =>
        _keys is { } keys && time.GetUtcNow() - _fetchedAt < lifetime ? Task.FromResult<JsonWebKeySet?>(keys) : FetchAsync(_fetchedAt, cancellationToken);

    /// <summary>The keys again, fetched now unless a fetch happened within <see cref="MinRefetch"/>.</summary>
    public Task<JsonWebKeySet?> RefetchAsync(CancellationToken cancellationToken) =>
        time.GetUtcNow() - _fetchedAt < MinRefetch ? Task.FromResult(_keys) : FetchAsync(_fetchedAt, cancellationToken);

    private async Task<JsonWebKeySet?> FetchAsync(DateTimeOffset seen, CancellationToken cancellationToken)
    {
        await _fetching.WaitAsync(cancellationToken);
        try
        {
            // Another caller fetched while this one waited: its answer is as fresh as ours would be.
            if (_fetchedAt != seen)
            {
                return _keys;
            }

            if (endpoints.Pick("identity") is not { } instance)
            {
                return _keys;
            }

            using var client = http.CreateClient(nameof(IdentityKeySet));
            client.Timeout = TimeSpan.FromSeconds(5);
            _keys = new JsonWebKeySet(await client.GetStringAsync(new Uri(instance, ".well-known/jwks"), cancellationToken));
            _fetchedAt = time.GetUtcNow();
            return _keys;
        }
        catch (Exception exception) when (exception is HttpRequestException or TaskCanceledException or ArgumentException)
        {
            // Unreachable or nonsense: keep what we had (tokens signed with known keys still pass), try again next time.
            return _keys;
        }
        finally
        {
            _fetching.Release();
        }
    }

    public void Dispose() => _fetching.Dispose();
}
