using System.ComponentModel.DataAnnotations;

namespace MachCommerce.Client;

/// <summary>Where the platform is and how this client proves who it is: an API key, or OAuth client credentials.</summary>
public sealed class MachCommerceClientOptions
{
    /// <summary>The gateway's public address, e.g. https://api.shop.example/.</summary>
    [Required]
    public Uri? BaseAddress { get; set; }

    /// <summary>An API key (mc_…): a partner key with the scopes the integration needs, or a shop's admin key.</summary>
    public string? ApiKey { get; set; }

    /// <summary>A partner client's id (mcp_…), used with <see cref="ClientSecret"/> instead of an API key.</summary>
    public string? ClientId { get; set; }

    public string? ClientSecret { get; set; }

    /// <summary>
    /// A signed-in person's access token instead of a key or client (an application acting for its user, like the
    /// merchant console): asked for before every request, so it may renew the token as it expires.
    /// </summary>
    public Func<CancellationToken, ValueTask<string>>? AccessTokenProvider { get; set; }

    /// <summary>Fewer scopes than the client has, space-separated; empty asks for all of them.</summary>
    public string? Scope { get; set; }

    /// <summary>How long one request (with its retries) may take.</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Retries of idempotent requests (GET, PUT, DELETE) after a 5xx, a 429 (after its Retry-After) or a network error.</summary>
    [Range(1, 10)]
    public int MaxRetries { get; set; } = 3;

    internal void Validate()
    {
        if (BaseAddress is not { IsAbsoluteUri: true })
        {
            throw new ArgumentException("MachCommerceClientOptions.BaseAddress must be the gateway's absolute address, e.g. https://api.shop.example/.");
        }

        var hasKey = !string.IsNullOrWhiteSpace(ApiKey);
        var hasClient = !string.IsNullOrWhiteSpace(ClientId) || !string.IsNullOrWhiteSpace(ClientSecret);
        var hasPerson = AccessTokenProvider is not null;
        if ((hasKey ? 1 : 0) + (hasClient ? 1 : 0) + (hasPerson ? 1 : 0) != 1 || (hasClient && (string.IsNullOrWhiteSpace(ClientId) || string.IsNullOrWhiteSpace(ClientSecret))))
        {
            throw new ArgumentException("Set one of MachCommerceClientOptions.ApiKey, both ClientId and ClientSecret, or AccessTokenProvider.");
        }
    }
}
