using MachCommerce.Gateway.Callers;
using MachCommerce.Gateway.Identity;
using MachCommerce.Gateway.Services;
using MachCommerce.Gateway.Tenants;

namespace MachCommerce.Gateway.Tenants;

/// <summary>
/// Minting a customer token: the shop's backend (admin key, or a partner key allowed to read profiles) signs its
/// customer in and hands the token to its front end. The profile must exist in the caller's tenant; its customer
/// group goes into the token, so the catalog shows that customer's negotiated prices.
/// </summary>
public static class CustomerTokensApi
{
    public static void MapCustomerTokensApi(this IEndpointRouteBuilder app) =>
        app.MapPost("/api/admin/customer-tokens", Mint).WithTags("Customer tokens").RequireKeyKind(KeyKind.Admin, KeyKind.Partner);

    private static async Task<Results<Created<IssuedCustomerToken>, ValidationProblem, NotFound<Microsoft.AspNetCore.Mvc.ProblemDetails>, ProblemHttpResult>> Mint(
        CustomerTokenInput input, HttpContext http, ServiceCalls services, CustomerTokens tokens, IOptions<GatewayOptions> options, CancellationToken cancellationToken)
    {
        var caller = http.Caller()!;
        if (!caller.HasScope(Scopes.ProfilesRead))
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status403Forbidden, title: "Forbidden", detail: $"Minting a customer token needs the {Scopes.ProfilesRead} scope.");
        }

        var errors = new FieldErrors();
        if (input.ProfileId is null)
        {
            errors["profileId"] = ["is required."];
        }

        var maxMinutes = (int)options.Value.CustomerTokenLifetime.TotalMinutes;
        if (input.LifetimeMinutes is < 1 || input.LifetimeMinutes > maxMinutes)
        {
            errors["lifetimeMinutes"] = [$"must be from 1 to {maxMinutes}."];
        }

        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors);
        }

        if (await services.GetAsync(caller, "profiles", $"profiles/{input.ProfileId}", cancellationToken, [Scopes.ProfilesRead]) is not { } profile)
        {
            return TypedResults.NotFound(new Microsoft.AspNetCore.Mvc.ProblemDetails { Status = 404, Title = "Not Found", Detail = $"The tenant has no profile {input.ProfileId}." });
        }

        var group = profile.TryGetProperty("customerGroup", out var g) && g.ValueKind == System.Text.Json.JsonValueKind.String ? g.GetString() : null;
        var lifetime = input.LifetimeMinutes is { } minutes ? TimeSpan.FromMinutes(minutes) : options.Value.CustomerTokenLifetime;
        var (token, expires) = tokens.Issue(caller.TenantId, input.ProfileId!.Value.ToString(), group, lifetime);
        return TypedResults.Created((string?)null, new IssuedCustomerToken(token, expires, input.ProfileId.Value, group));
    }
}
