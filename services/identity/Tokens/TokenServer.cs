using MachCommerce.Hosting.Identity;
using MachCommerce.Identity.Audit;
using MachCommerce.Identity.Clients;
using MachCommerce.Identity.Data;
using Npgsql;
using OpenIddict.Server;

namespace MachCommerce.Identity.Tokens;

public static class TokenServer
{
    /// <summary>Who the access tokens are for: the gateway, the platform's only door.</summary>
    public const string GatewayAudience = "mach-gateway";

    /// <summary>The tenant a token acts in (the claim the gateway reads, like the assertions' <c>ten</c>).</summary>
    public const string TenantClaim = "ten";

    /// <summary>The client's rate limit at the gateway: tokens per second and burst.</summary>
    public const string RateClaim = "rps";

    public const string BurstClaim = "burst";

    /// <summary>
    /// OpenIddict as the OAuth 2.0 / OpenID Connect server on its EF Core stores: client credentials for partners'
    /// machines, access tokens as JWTs signed ES256 (never encrypted: the gateway reads them with the published
    /// keys), discovery and JWKS at the well-known addresses.
    /// </summary>
    public static IServiceCollection AddTokenServer(this IServiceCollection services)
    {
        services.AddValidatedOptions<IdentityServerOptions>(IdentityServerOptions.Section);
        services.AddDbContextPool<IdentityDb>((sp, db) => db.UseNpgsql(sp.GetRequiredService<NpgsqlDataSource>()).UseOpenIddict<ClientApplication, ClientAuthorization, ClientScope, ClientToken, Guid>());

        services.AddOpenIddict()
            .AddCore(core =>
            {
                core.UseEntityFrameworkCore().UseDbContext<IdentityDb>()
                    .ReplaceDefaultEntities<ClientApplication, ClientAuthorization, ClientScope, ClientToken, Guid>();
                core.ReplaceApplicationManager<ClientApplication, ClientSecretHashing>();
            })
            .AddServer(server =>
            {
                server.SetTokenEndpointUris("connect/token")
                    .SetAuthorizationEndpointUris("connect/authorize")
                    .SetConfigurationEndpointUris(".well-known/openid-configuration")
                    .SetJsonWebKeySetEndpointUris(".well-known/jwks");
                server.AllowClientCredentialsFlow();
                // People sign in through front ends: authorization code with PKCE (no implicit flow, no plain challenge).
                server.AllowAuthorizationCodeFlow().RequireProofKeyForCodeExchange();
                server.AllowRefreshTokenFlow();
                server.RegisterScopes([.. Scopes.All, .. Scopes.OwnerOnly, OpenIddictConstants.Scopes.OfflineAccess, OpenIddictConstants.Scopes.Email]);
                server.RegisterAudiences(GatewayAudience);
                server.DisableAccessTokenEncryption();
                // Codes and refresh tokens are stored (OpenIddict's token and ad-hoc authorization entries), so a code is
                // redeemed once and a refresh token rotates: a reused one revokes the whole chain it belongs to.

                // TLS ends in front of the gateway (the ingress); the identity service is reached only through the
                // gateway, over the cluster's network (k8s NetworkPolicy), so it sees plain HTTP by design.
                server.UseAspNetCore().EnableTokenEndpointPassthrough().EnableAuthorizationEndpointPassthrough().DisableTransportSecurityRequirement();

                // A wrong secret and a client id that does not exist get the same words, so the answer tells nothing about
                // which ids exist; a refusal of a real client goes to its shop's audit log with the reason.
                server.AddEventHandler<OpenIddictServerEvents.ApplyTokenResponseContext>(handler => handler
                    .UseInlineHandler(async context =>
                    {
                        if (context.Response.Error != OpenIddictConstants.Errors.InvalidClient)
                        {
                            return;
                        }

                        var reason = context.Response.ErrorDescription;
                        context.Response.ErrorDescription = "The client id or secret is not valid.";
                        context.Response.ErrorUri = null;
                        if (context.Request?.ClientId is { Length: > 0 and <= 100 } clientId && context.Transaction.GetHttpRequest()?.HttpContext.RequestServices is { } scope
                            && await scope.GetRequiredService<IOpenIddictApplicationManager>().FindByClientIdAsync(clientId) is ClientApplication { TenantId: { } tenant })
                        {
                            await scope.GetRequiredService<AuditLog>().RecordAsync(tenant, clientId, AuditLog.Actions.TokenRefused, clientId, reason, CancellationToken.None);
                        }
                    })
                    .SetOrder(int.MinValue));
            });

        // Keys, issuer and lifetime from the validated settings, when the options are first read (configuration is complete then).
        services.AddOptions<OpenIddictServerOptions>().Configure<IOptions<IdentityServerOptions>>((server, options) =>
        {
            var settings = options.Value;
            server.Issuer = new Uri(settings.Issuer);
            server.AccessTokenLifetime = settings.AccessTokenLifetime;
            server.RefreshTokenReuseLeeway = settings.RefreshTokenReuseLeeway;
            foreach (var text in settings.SigningKeyList())
            {
                IdentityKeys.TryReadPrivate(text, out var key);
                server.SigningCredentials.Add(new SigningCredentials(key, SecurityAlgorithms.EcdsaSha256));
            }

            server.EncryptionCredentials.Add(new EncryptingCredentials(new SymmetricSecurityKey(Convert.FromBase64String(settings.EncryptionKey)),
                SecurityAlgorithms.Aes256KW, SecurityAlgorithms.Aes256CbcHmacSha512));
        });
        return services;
    }

    /// <summary>
    /// Requests reach this service through the gateway at internal addresses; OpenIddict derives the endpoint
    /// addresses in its discovery document from the request, so each request is made to look as it did at the issuer.
    /// </summary>
    public static IApplicationBuilder UseIssuerAddress(this IApplicationBuilder app)
    {
        var issuer = new Uri(app.ApplicationServices.GetRequiredService<IOptions<IdentityServerOptions>>().Value.Issuer);
        var pathBase = new PathString(issuer.AbsolutePath.TrimEnd('/'));
        return app.Use((http, next) =>
        {
            http.Request.Scheme = issuer.Scheme;
            http.Request.Host = HostString.FromUriComponent(issuer);
            http.Request.PathBase = pathBase;
            return next(http);
        });
    }
}
