using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Authorization.Policy;

namespace MachCommerce.Hosting.Identity;

public static class ScopeAuthorization
{
    private const string PolicyPrefix = "scope:";

    /// <summary>Requires the caller's assertion to carry <paramref name="scope"/>; otherwise 403 naming the scope.</summary>
    public static TBuilder RequireScope<TBuilder>(this TBuilder builder, string scope) where TBuilder : IEndpointConventionBuilder =>
        builder.RequireAuthorization(PolicyPrefix + scope);

    internal static AuthorizationOptions AddScopePolicies(this AuthorizationOptions options)
    {
        foreach (var scope in Scopes.All.Concat(Scopes.OwnerOnly).Append(Scopes.CooperativesManage).Append(Scopes.OperatorsManage).Append(Scopes.CatalogJoint))
        {
            options.AddPolicy(PolicyPrefix + scope, policy => policy
                .AddAuthenticationSchemes(IdentityAssertionAuthentication.SchemeName)
                .RequireAuthenticatedUser()
                .AddRequirements(new ScopeRequirement(scope)));
        }

        // Every endpoint needs a valid assertion unless it opts out (health probes, OpenAPI documents).
        options.FallbackPolicy = new AuthorizationPolicyBuilder(IdentityAssertionAuthentication.SchemeName).RequireAuthenticatedUser().Build();
        return options;
    }

    internal sealed record ScopeRequirement(string Scope) : IAuthorizationRequirement;

    internal sealed class ScopeRequirementHandler : AuthorizationHandler<ScopeRequirement>
    {
        protected override Task HandleRequirementAsync(AuthorizationHandlerContext context, ScopeRequirement requirement)
        {
            if (context.User.HasClaim(IdentityAssertionAuthentication.ScopeClaim, requirement.Scope))
            {
                context.Succeed(requirement);
            }

            return Task.CompletedTask;
        }
    }

    /// <summary>Writes 401/403 as ProblemDetails; a 403 names the scope that was missing.</summary>
    internal sealed class ProblemResultHandler(IProblemDetailsService problems) : IAuthorizationMiddlewareResultHandler
    {
        private readonly AuthorizationMiddlewareResultHandler _default = new();

        public async Task HandleAsync(RequestDelegate next, HttpContext context, AuthorizationPolicy policy, PolicyAuthorizationResult authorizeResult)
        {
            if (!authorizeResult.Forbidden)
            {
                await _default.HandleAsync(next, context, policy, authorizeResult);
                return;
            }

            var missing = authorizeResult.AuthorizationFailure?.FailedRequirements.OfType<ScopeRequirement>().Select(r => r.Scope).ToArray() ?? [];
            context.Response.StatusCode = StatusCodes.Status403Forbidden;
            await problems.WriteAsync(new ProblemDetailsContext
            {
                HttpContext = context,
                ProblemDetails =
                {
                    Status = StatusCodes.Status403Forbidden,
                    Title = "Forbidden",
                    Detail = missing.Length > 0
                        ? $"The caller's key or token lacks the scope {string.Join(", ", missing)}."
                        : "The caller may not do this.",
                    Extensions = { ["missingScopes"] = missing },
                },
            });
        }
    }
}
