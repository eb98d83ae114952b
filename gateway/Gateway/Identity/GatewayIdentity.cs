using MachCommerce.Gateway.Callers;
using MachCommerce.Gateway.RateLimits;
using MachCommerce.Gateway.Tenants;
using MachCommerce.Hosting.Configuration;
using Microsoft.AspNetCore.Authentication;
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
        services.AddSingleton(TimeProvider.System);
        services.AddSingleton<KeyStore>();
        services.AddSingleton<CustomerTokens>();
        services.AddSingleton<ServiceAssertions>();
        services.AddSingleton<FailedAuthentications>();
        services.AddSingleton<KeyRateLimits>();
        services.AddAuthentication(ApiKeyAuthentication.SchemeName)
            .AddScheme<AuthenticationSchemeOptions, ApiKeyAuthentication>(ApiKeyAuthentication.SchemeName, null);
        services.AddAuthorization(options =>
            options.FallbackPolicy = new AuthorizationPolicyBuilder(ApiKeyAuthentication.SchemeName).RequireAuthenticatedUser().Build());
        return services;
    }
}
