using MachCommerce.Gateway.Callers;
using MachCommerce.Gateway.RateLimits;
using MachCommerce.Gateway.Tenants;
using MachCommerce.Hosting.Configuration;
using Microsoft.AspNetCore.Authorization;

namespace MachCommerce.Gateway.Identity;

public static class GatewayIdentity
{
    /// <summary>
    /// API keys instead of the services' assertion scheme: every endpoint needs a valid key unless it says
    /// otherwise (health, the OpenAPI documents and their UI); per-kind rules are endpoint filters.
    /// </summary>
    public static IServiceCollection AddGatewayIdentity(this IServiceCollection services)
    {
        services.AddValidatedOptions<GatewayOptions>(GatewayOptions.Section);
        services.AddSingleton<IValidateOptions<IdentityOptions>, GatewaySigns>();
        services.AddSingleton(TimeProvider.System);
        services.AddSingleton<KeyStore>();
        services.AddSingleton<CustomerTokens>();
        services.AddSingleton<AccessTokens>();
        services.AddSingleton<CustomerAccounts>();
        services.AddHttpClient(nameof(IdentityKeySet));
        services.AddSingleton<ServiceAssertions>();
        services.AddSingleton<FailedAuthentications>();
        services.AddSingleton<KeyRateLimits>();
        services.AddAuthentication(ApiKeyAuthentication.SchemeName)
            .AddScheme<AuthenticationSchemeOptions, ApiKeyAuthentication>(ApiKeyAuthentication.SchemeName, null);
        // The default scheme (the key) has authenticated the request before authorization runs: a fallback policy that
        // named it again would authenticate every request a second time and merge the two principals.
        services.AddAuthorization(options => options.FallbackPolicy = new AuthorizationPolicyBuilder().RequireAuthenticatedUser().Build());
        return services;
    }

    /// <summary>
    /// The gateway signs every assertion and customer token, so it does not start without its own key: otherwise
    /// the first request that needs one would be a 500.
    /// </summary>
    private sealed class GatewaySigns : IValidateOptions<IdentityOptions>
    {
        public ValidateOptionsResult Validate(string? name, IdentityOptions options) =>
            string.IsNullOrWhiteSpace(options.SigningKey) || string.IsNullOrWhiteSpace(options.Issuer)
                ? ValidateOptionsResult.Fail($"Setting {ValidatedOptions.EnvironmentName(IdentityOptions.Section, nameof(IdentityOptions.SigningKey))}, "
                    + $"{ValidatedOptions.EnvironmentName(IdentityOptions.Section, nameof(IdentityOptions.Issuer))}: the gateway signs every assertion and needs its own key and name (the launcher makes them; see k8s/README.md).")
                : ValidateOptionsResult.Success;
    }
}
