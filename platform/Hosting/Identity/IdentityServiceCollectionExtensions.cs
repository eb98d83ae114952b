using MachCommerce.Hosting.Configuration;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authorization;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace MachCommerce.Hosting.Identity;

public static class IdentityServiceCollectionExtensions
{
    /// <summary>Accept requests only with the gateway's signed identity assertion; scopes become policies.</summary>
    public static IServiceCollection AddIdentityAssertions(this IServiceCollection services)
    {
        services.AddValidatedOptions<IdentityOptions>(IdentityOptions.Section);
        services.AddSingleton(sp => new IdentityAssertionCodec(
            sp.GetRequiredService<IOptions<IdentityOptions>>().Value,
            sp.GetService<TimeProvider>()));
        services.AddAuthentication(IdentityAssertionAuthentication.SchemeName)
            .AddScheme<AuthenticationSchemeOptions, IdentityAssertionAuthentication>(IdentityAssertionAuthentication.SchemeName, null);
        services.AddAuthorization(options => options.AddScopePolicies());
        services.AddSingleton<IAuthorizationHandler, ScopeAuthorization.ScopeRequirementHandler>();
        services.AddSingleton<Microsoft.AspNetCore.Authorization.IAuthorizationMiddlewareResultHandler, ScopeAuthorization.ProblemResultHandler>();
        return services;
    }
}
