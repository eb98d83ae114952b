using MachCommerce.Gateway.Callers;
using MachCommerce.Gateway.Identity;

namespace MachCommerce.Gateway.RateLimits;

public static class RateLimitMiddleware
{
    public const string GraphQLPath = "/graphql";

    /// <summary>
    /// A REST request costs its key one token; 429 with Retry-After when the key's bucket is empty. GraphQL
    /// requests are charged by their computed cost in the GraphQL endpoint instead (see <c>StorefrontGraph</c>).
    /// </summary>
    public static IApplicationBuilder UseKeyRateLimits(this IApplicationBuilder app)
    {
        var limits = app.ApplicationServices.GetRequiredService<KeyRateLimits>();
        return app.Use((http, next) => Charge(http, next, limits));
    }

    private static Task Charge(HttpContext http, RequestDelegate next, KeyRateLimits limits)
    {
        if (http.Caller() is { } caller && !http.Request.Path.StartsWithSegments(GraphQLPath))
        {
            var (allowed, retryAfter) = limits.TryAcquire(caller, 1);
            if (!allowed)
            {
                http.Response.Headers.RetryAfter = Seconds(retryAfter);
                return CallerChecks.Problem(http, StatusCodes.Status429TooManyRequests,
                    $"This key's rate limit ({caller.Plan.PerSecond} requests per second, bursts of {caller.Plan.Burst}) is used up; retry after {Seconds(retryAfter)} s.");
            }
        }

        return next(http);
    }

    public static string Seconds(TimeSpan wait) => ((int)Math.Ceiling(wait.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
}
