using MachCommerce.Hosting.Configuration;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Authorization;

namespace MachCommerce.Hosting.Identity;

public static class IdentityServiceCollectionExtensions
{
    /// <summary>Accept requests only with a trusted signer's identity assertion; scopes become policies.</summary>
    public static IServiceCollection AddIdentityAssertions(this IServiceCollection services)
    {
        services.AddValidatedOptions<IdentityOptions>(IdentityOptions.Section);
        services.AddSingleton(sp => new IdentityAssertionCodec(
            sp.GetRequiredService<IOptions<IdentityOptions>>().Value,
            sp.GetService<TimeProvider>()));
        services.AddAuthentication(IdentityAssertionAuthentication.SchemeName).AddJwtBearer(IdentityAssertionAuthentication.SchemeName, _ => { });
        services.AddOptions<JwtBearerOptions>(IdentityAssertionAuthentication.SchemeName)
            .Configure<IdentityAssertionCodec>(IdentityAssertionAuthentication.Configure);
        services.AddAuthorization(options => options.AddScopePolicies());
        services.AddSingleton<IAuthorizationHandler, ScopeAuthorization.ScopeRequirementHandler>();
        services.AddSingleton<Microsoft.AspNetCore.Authorization.IAuthorizationMiddlewareResultHandler, ScopeAuthorization.ProblemResultHandler>();
        return services;
    }
}
