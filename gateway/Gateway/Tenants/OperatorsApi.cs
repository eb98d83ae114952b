using MachCommerce.Gateway.Callers;
using MachCommerce.Gateway.Cooperatives;
using MachCommerce.Gateway.Identity;
using MachCommerce.Gateway.Services;

namespace MachCommerce.Gateway.Tenants;

/// <summary>
/// The platform's operators, people who do what the platform key does (tenants, cooperatives, operators) after
/// signing in: invited, listed and removed here with the platform key or by an operator. They live in the identity
/// service; the request goes on with an assertion carrying the one scope for this, which nothing else grants.
/// </summary>
public static class OperatorsApi
{
    /// <summary>The assertion's tenant for the platform's own business (an assertion always names one; no shop can be called this).</summary>
    private const string PlatformTenant = "_platform";

    private static readonly IReadOnlyList<string> OperatorScopes = [Scopes.OperatorsManage];

    public static void MapOperatorsApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/admin/operators").WithTags("Platform operators").RequireKeyKind(KeyKind.Platform);
        group.MapPost("/", (StaffInput input, HttpContext http, ServiceCalls services, CancellationToken cancellationToken) =>
            services.ForwardAsync(Operator(http), "identity", HttpMethod.Post, "platform-operators", input, OperatorScopes, cancellationToken));
        group.MapGet("/", (HttpContext http, ServiceCalls services, CancellationToken cancellationToken) =>
            services.ForwardAsync(Operator(http), "identity", HttpMethod.Get, "platform-operators", null, OperatorScopes, cancellationToken));
        group.MapDelete("/{userId:guid}", (Guid userId, HttpContext http, ServiceCalls services, CancellationToken cancellationToken) =>
            services.ForwardAsync(Operator(http), "identity", HttpMethod.Delete, $"platform-operators/{userId}", null, OperatorScopes, cancellationToken));
    }

    private static Caller Operator(HttpContext http) => http.Caller()! with { TenantId = PlatformTenant };
}
