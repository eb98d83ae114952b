using System.Security.Claims;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Authentication.OpenIdConnect;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Protocols;
using Microsoft.IdentityModel.Protocols.OpenIdConnect;

namespace MachCommerce.MerchantConsole.SignIn;

/// <summary>
/// Staff sign in at the platform's identity service (OpenID Connect, authorization code + PKCE, as the public client
/// <c>mach-console</c>); the console keeps its own session in a cookie and the person's tokens on the server
/// (<see cref="StaffTokens"/>), so the access token never reaches the browser and is renewed as it runs out.
/// </summary>
public static class StaffSignIn
{
    /// <summary>The console session's claim that finds the person's tokens in <see cref="StaffTokens"/>.</summary>
    public const string SessionClaim = "console_session";

    /// <summary>The access token's claims the pages show: the shop or cooperative, the role, the scopes.</summary>
    private static readonly string[] ShownClaims = ["ten", "coop", "role", "scope"];

    public static IServiceCollection AddStaffSignIn(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<ConsoleOptions>().Bind(configuration.GetSection(ConsoleOptions.Section)).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<StaffTokens>();
        services.AddHttpClient(nameof(StaffTokens));
        services.AddScoped<StaffSession>();
        services.AddCascadingAuthenticationState();
        services.AddAuthorization();
        services.AddAuthentication(options =>
            {
                options.DefaultScheme = CookieAuthenticationDefaults.AuthenticationScheme;
                options.DefaultChallengeScheme = OpenIdConnectDefaults.AuthenticationScheme;
            })
            .AddCookie(cookie =>
            {
                cookie.Cookie.Name = "mach_console";
                cookie.Cookie.HttpOnly = true;
                cookie.Cookie.SameSite = SameSiteMode.Lax;
                cookie.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
                cookie.ExpireTimeSpan = TimeSpan.FromHours(8);
                cookie.SlidingExpiration = true;
                // A session whose tokens this console no longer holds (it restarted) is no session: sign in again.
                cookie.Events.OnValidatePrincipal = context =>
                {
                    var tokens = context.HttpContext.RequestServices.GetRequiredService<StaffTokens>();
                    if (context.Principal?.FindFirstValue(SessionClaim) is not { } session || !tokens.Has(session))
                    {
                        context.RejectPrincipal();
                    }

                    return Task.CompletedTask;
                };
            })
            .AddOpenIdConnect();
        services.AddOptions<OpenIdConnectOptions>(OpenIdConnectDefaults.AuthenticationScheme).Configure<IOptions<ConsoleOptions>, IHttpClientFactory>((oidc, console, http) =>
        {
            var settings = console.Value;
            oidc.ClientId = settings.ClientId;
            oidc.ResponseType = OpenIdConnectResponseType.Code;
            oidc.UsePkce = true;
            // The code comes back in the query of a plain redirect; the correlation and nonce cookies ride on it (Lax,
            // the platform and console are one site), also on a local http address.
            oidc.ResponseMode = OpenIdConnectResponseMode.Query;
            oidc.CorrelationCookie.SameSite = SameSiteMode.Lax;
            oidc.CorrelationCookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
            oidc.NonceCookie.SameSite = SameSiteMode.Lax;
            oidc.NonceCookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
            oidc.Scope.Clear();
            oidc.Scope.Add("openid");
            oidc.Scope.Add("offline_access");
            oidc.MapInboundClaims = false;
            oidc.GetClaimsFromUserInfoEndpoint = false;
            oidc.SaveTokens = false;
            oidc.TokenValidationParameters.NameClaimType = "email";
            oidc.TokenValidationParameters.RoleClaimType = "role";
            oidc.RequireHttpsMetadata = settings.Platform!.Scheme == Uri.UriSchemeHttps;
            oidc.ConfigurationManager = new ConfigurationManager<OpenIdConnectConfiguration>(new Uri(settings.Platform, ".well-known/openid-configuration").ToString(),
                new OpenIdConnectConfigurationRetriever(), new PlatformDocuments(http.CreateClient(nameof(StaffTokens)), settings.IssuerOrPlatform, settings.Platform));
            oidc.Events.OnTokenValidated = context =>
            {
                var response = context.TokenEndpointResponse!;
                var session = context.HttpContext.RequestServices.GetRequiredService<StaffTokens>()
                    .Start(response.AccessToken, response.RefreshToken, int.TryParse(response.ExpiresIn, out var seconds) ? seconds : 300);
                // What the pages show (shop or cooperative, role) comes from the access token the platform will judge requests by.
                var access = new JsonWebToken(response.AccessToken);
                var identity = (ClaimsIdentity)context.Principal!.Identity!;
                identity.AddClaim(new Claim(SessionClaim, session));
                foreach (var type in ShownClaims)
                {
                    if (access.TryGetPayloadValue<string>(type, out var value) && identity.FindFirst(type) is null)
                    {
                        identity.AddClaim(new Claim(type, value));
                    }
                }

                return Task.CompletedTask;
            };
        });
        return services;
    }

    /// <summary>/signout ends the console's session (and forgets its tokens); the platform's own sign-in session is the identity service's.</summary>
    public static void MapSignInEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapPost("/signout", async (HttpContext http, StaffTokens tokens) =>
        {
            if (http.User.FindFirstValue(SessionClaim) is { } session)
            {
                tokens.End(session);
            }

            await http.SignOutAsync(CookieAuthenticationDefaults.AuthenticationScheme);
            return Results.Redirect("/");
        });
    }

    /// <summary>
    /// The identity service's discovery document names its addresses as the issuer (the platform's public name); the
    /// console may reach the platform by another (inside a cluster, or a test's loopback port), so every address in it
    /// but the issuer itself is read as one at <paramref name="platform"/>.
    /// </summary>
    private sealed class PlatformDocuments(HttpClient http, Uri issuer, Uri platform) : IDocumentRetriever
    {
        public async Task<string> GetDocumentAsync(string address, CancellationToken cancel)
        {
            var text = await http.GetStringAsync(address, cancel);
            if (JsonNode.Parse(text) is not JsonObject document || !document.ContainsKey("issuer"))
            {
                return text;
            }

            var from = issuer.ToString().TrimEnd('/');
            var to = platform.ToString().TrimEnd('/');
            foreach (var (name, value) in document.ToList())
            {
                if (name != "issuer" && value is JsonValue single && single.TryGetValue<string>(out var url) && url.StartsWith(from, StringComparison.Ordinal))
                {
                    document[name] = to + url[from.Length..];
                }
            }

            return document.ToJsonString();
        }
    }
}
