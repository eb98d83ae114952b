using MachCommerce.Gateway.Callers;
using MachCommerce.Gateway.Tenants;
using Microsoft.AspNetCore.HttpOverrides;

namespace MachCommerce.Gateway.Identity;

/// <summary>What the gateway checks about an authenticated caller before any route runs, and CORS for browsers.</summary>
public static class CallerChecks
{
    public const string VisitorHeader = "X-Visitor-Id";

    private const string AllowedRequestHeaders =
        "Authorization, Content-Type, Accept, Accept-Language, If-Match, If-None-Match, X-Api-Key, X-Customer-Token, X-Visitor-Id, X-Correlation-Id, X-Tenant";

    public static Caller? Caller(this HttpContext http) => http.Features.Get<Caller>();

    /// <summary>
    /// The client's address from X-Forwarded-For, but only when the request comes from a trusted proxy
    /// (<see cref="GatewayOptions.TrustedProxies"/>); from anyone else the header is ignored, so a client cannot
    /// pick the address its failed authentications are counted against.
    /// </summary>
    public static IApplicationBuilder UseTrustedForwardedHeaders(this IApplicationBuilder app)
    {
        var networks = app.ApplicationServices.GetRequiredService<Microsoft.Extensions.Options.IOptions<GatewayOptions>>().Value.TrustedProxyNetworks();
        var options = new ForwardedHeadersOptions { ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto, ForwardLimit = 1 };
        options.KnownIPNetworks.Clear();
        options.KnownProxies.Clear();
        foreach (var network in networks)
        {
            options.KnownIPNetworks.Add(network);
        }

        return networks.Count == 0 ? app : app.UseForwardedHeaders(options);
    }

    /// <summary>
    /// Answers a browser's CORS preflight itself: it carries no key, so it cannot be checked against one; the
    /// actual request is, and a storefront key used from an origin it is not bound to gets a 403 then.
    /// </summary>
    public static IApplicationBuilder UseCorsPreflight(this IApplicationBuilder app) => app.Use((http, next) =>
    {
        var request = http.Request;
        if (HttpMethods.IsOptions(request.Method) && request.Headers.Origin.Count > 0 && request.Headers.AccessControlRequestMethod.Count > 0)
        {
            http.Response.StatusCode = StatusCodes.Status204NoContent;
            http.Response.Headers.AccessControlAllowOrigin = request.Headers.Origin.ToString();
            http.Response.Headers.AccessControlAllowMethods = "GET, POST, PUT, PATCH, DELETE";
            http.Response.Headers.AccessControlAllowHeaders = AllowedRequestHeaders;
            http.Response.Headers.AccessControlMaxAge = "600";
            http.Response.Headers.Vary = "Origin";
            return Task.CompletedTask;
        }

        // Not async: a pass-through that awaited would add a state machine and a continuation to every request.
        return next(http);
    });

    /// <summary>
    /// The visitor id header (a storefront's anonymous shopper), the origins a storefront key is bound to, and the
    /// platform boundary (a platform key manages tenants and acts in none).
    /// </summary>
    public static IApplicationBuilder UseCallerChecks(this IApplicationBuilder app) => app.Use((http, next) => Check(http, next));

    private static Task Check(HttpContext http, RequestDelegate next)
    {
        if (http.Caller() is not { } caller)
        {
            return next(http);
        }

        if (http.Request.Headers.TryGetValue(VisitorHeader, out var visitorValues))
        {
            var visitor = visitorValues.ToString();
            if (!VisitorIds.IsValid(visitor))
            {
                return Problem(http, StatusCodes.Status400BadRequest, $"The {VisitorHeader} header {VisitorIds.Rule}",
                    new FieldErrors { [VisitorHeader] = [VisitorIds.Rule] });
            }

            // A signed-in customer keeps the device's visitor id: personalization's subject is the visitor, linked
            // to the customer's profile, so offers, recommendations and tracking work the same signed in or not.
            caller = caller with { VisitorId = visitor };
            http.Features.Set(caller);
        }
        else if (caller.ProfileId is { } profile)
        {
            // A customer's app that keeps no visitor id of its own: one stable subject per customer.
            caller = caller with { VisitorId = "customer:" + profile };
            http.Features.Set(caller);
        }

        if (http.Request.Headers.Origin.ToString() is { Length: > 0 } origin)
        {
            if (caller.Kind == KeyKind.Storefront && !caller.AllowedOrigins.Contains(origin, StringComparer.OrdinalIgnoreCase))
            {
                return Problem(http, StatusCodes.Status403Forbidden, $"This storefront key is not bound to the origin {origin}.");
            }

            http.Response.Headers.AccessControlAllowOrigin = origin;
            http.Response.Headers.AccessControlExposeHeaders = "X-Correlation-Id, Retry-After, ETag";
            http.Response.Headers.Vary = "Origin";
        }

        // A cooperative's staff member who named no member shop is in none: only their cooperative's own page answers.
        if (caller is { Cooperative: not null, TenantId.Length: 0 } && !http.Request.Path.StartsWithSegments("/api/cooperative"))
        {
            return Problem(http, StatusCodes.Status400BadRequest,
                $"Name the member shop to act in with the {ApiKeyAuthentication.TenantHeader} header (GET /api/cooperative lists your cooperative's shops); without it, {ApiKeyAuthentication.CentralAssortmentPath} is your cooperative's central assortment, {ApiKeyAuthentication.CentralCampaignsPath}/campaigns its central campaigns and {ApiKeyAuthentication.CooperativeContactsPath}/contacts the contacts customers shared with it.",
                new FieldErrors { [ApiKeyAuthentication.TenantHeader] = ["is required for a cooperative's staff."] });
        }

        if (caller.Kind == KeyKind.Platform && !http.Request.Path.StartsWithSegments("/api/admin/tenants") && !http.Request.Path.StartsWithSegments("/api/admin/cooperatives")
            && !http.Request.Path.StartsWithSegments("/api/admin/operators"))
        {
            return Problem(http, StatusCodes.Status403Forbidden,
                "A platform key manages tenants and cooperatives; it does not act inside a tenant. Use an admin key of the tenant.");
        }

        return next(http);
    }


    /// <summary>An endpoint only some kinds of key may use: anyone else gets a 403 that says which kinds.</summary>
    public static TBuilder RequireKeyKind<TBuilder>(this TBuilder builder, params KeyKind[] kinds) where TBuilder : IEndpointConventionBuilder =>
        builder.AddEndpointFilter(async (context, next) =>
        {
            var caller = context.HttpContext.Caller();
            return caller is not null && kinds.Contains(caller.Kind)
                ? await next(context)
                : TypedResults.Problem(statusCode: StatusCodes.Status403Forbidden, title: "Forbidden",
                    detail: $"This needs a {string.Join(" or ", kinds.Select(ApiKeyKinds.Name))} key.");
        });

    public static async Task Problem(HttpContext http, int status, string detail, IDictionary<string, string[]>? errors = null)
    {
        http.Response.StatusCode = status;
        var problems = http.RequestServices.GetRequiredService<IProblemDetailsService>();
        var context = new ProblemDetailsContext
        {
            HttpContext = http,
            ProblemDetails = errors is null
                ? new Microsoft.AspNetCore.Mvc.ProblemDetails { Status = status, Detail = detail }
                : new HttpValidationProblemDetails(errors) { Status = status, Detail = detail },
        };
        await problems.WriteAsync(context);
    }
}
