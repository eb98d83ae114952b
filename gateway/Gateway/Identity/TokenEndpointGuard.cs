using MachCommerce.Gateway.Callers;

namespace MachCommerce.Gateway.Identity;

/// <summary>
/// The token endpoint is the one place a client secret can be guessed: it passes to the identity service without a
/// key, so the gateway counts its refusals of client authentication (401) against the client's address like failed
/// keys, and an address that used up its failures gets 429 with Retry-After before the identity service hears of it.
/// </summary>
public static class TokenEndpointGuard
{
    private static readonly PathString OAuthEndpoints = "/connect";

    public static IApplicationBuilder UseTokenEndpointGuard(this IApplicationBuilder app) =>
        app.Use((http, next) => http.Request.Path.StartsWithSegments(OAuthEndpoints) ? GuardAsync(http, next) : next(http));

    private static async Task GuardAsync(HttpContext http, RequestDelegate next)
    {
        var failures = http.RequestServices.GetRequiredService<FailedAuthentications>();
        var address = http.Connection.RemoteIpAddress?.ToString() ?? "unknown";
        if (failures.IsBlocked(address, out var retryAfter))
        {
            http.Response.StatusCode = StatusCodes.Status429TooManyRequests;
            http.Response.Headers.RetryAfter = ((int)Math.Ceiling(retryAfter.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
            await http.RequestServices.GetRequiredService<IProblemDetailsService>().WriteAsync(new ProblemDetailsContext
            {
                HttpContext = http,
                ProblemDetails =
                {
                    Status = StatusCodes.Status429TooManyRequests,
                    Title = "Too Many Requests",
                    Detail = "Too many failed authentications from this address; wait before trying again.",
                },
            });
            return;
        }

        await next(http);
        if (http.Response.StatusCode == StatusCodes.Status401Unauthorized)
        {
            failures.Record(address);
        }
    }
}
