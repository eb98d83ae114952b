using static OpenIddict.Abstractions.OpenIddictConstants;

namespace MachCommerce.Identity.Tokens;

/// <summary>A front end people sign in to (the merchant console, a storefront): a public client with PKCE and its exact redirect addresses.</summary>
public sealed class FrontEndClient
{
    [Required]
    public string DisplayName { get; set; } = "";

    /// <summary>Where the authorization endpoint may send the code, exactly (no patterns: an open redirect is impossible).</summary>
    public List<string> RedirectUris { get; set; } = [];

    /// <summary>
    /// Set for a shop's storefront: the tenant whose shoppers sign in through it with their customer accounts (and
    /// register there). Unset: a front end for staff (the console).
    /// </summary>
    public string? Shop { get; set; }
}

/// <summary>
/// Registers the front ends named in <c>IdentityServer__FrontEnds__{clientId}__…</c> at start-up (created or updated,
/// so a changed redirect address takes effect on the next start): public clients, authorization code with PKCE only,
/// refresh tokens, their exact redirect addresses.
/// </summary>
public sealed class FrontEndClients(IServiceProvider services, IOptions<IdentityServerOptions> options) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await using var scope = services.CreateAsyncScope();
        var applications = scope.ServiceProvider.GetRequiredService<IOpenIddictApplicationManager>();
        foreach (var (clientId, client) in options.Value.FrontEnds)
        {
            var descriptor = new OpenIddictApplicationDescriptor
            {
                ClientId = clientId,
                ClientType = ClientTypes.Public,
                ConsentType = ConsentTypes.Implicit,
                DisplayName = client.DisplayName,
                Requirements = { Requirements.Features.ProofKeyForCodeExchange },
                Permissions =
                {
                    Permissions.Endpoints.Authorization, Permissions.Endpoints.Token, Permissions.GrantTypes.AuthorizationCode,
                    Permissions.GrantTypes.RefreshToken, Permissions.ResponseTypes.Code, Permissions.Prefixes.Scope + Scopes.OfflineAccess,
                    Permissions.Prefixes.Scope + Scopes.Email,
                },
            };
            descriptor.RedirectUris.UnionWith(client.RedirectUris.Select(u => new Uri(u)));
            if (await applications.FindByClientIdAsync(clientId, cancellationToken) is { } existing)
            {
                await applications.UpdateAsync(existing, descriptor, cancellationToken);
            }
            else
            {
                await applications.CreateAsync(descriptor, cancellationToken);
            }
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
