using System.Diagnostics;

namespace MachCommerce.Hosting.Logging;

/// <summary>
/// Gives each request a correlation id (taken from the gateway's header when it is sane, otherwise new), echoes
/// it in the response, and opens a log scope with it and the tenant so every log line of the request carries both.
/// </summary>
public static class CorrelationId
{
    public const string HeaderName = "X-Correlation-Id";
    internal const string ItemKey = "mach.correlationId";

    public static IApplicationBuilder UseCorrelationId(this IApplicationBuilder app)
    {
        // Resolved once: a logger is a singleton, and asking the request's services for it on every request costs a lookup.
        var logger = app.ApplicationServices.GetService(typeof(ILogger<CorrelationScope>)) as ILogger;
        return app.Use(async (context, next) =>
        {
            var incoming = context.Request.Headers[HeaderName].ToString();
            var correlationId = IsSane(incoming) ? incoming : Guid.CreateVersion7().ToString("N");
            context.Items[ItemKey] = correlationId;
            context.Response.Headers[HeaderName] = correlationId;
            Activity.Current?.SetTag("mach.correlation_id", correlationId);

            using (logger?.BeginScope(new CorrelationScope(context, correlationId)))
            {
                await next(context);
            }
        });
    }

    public static string? Get(HttpContext context) => context.Items.TryGetValue(ItemKey, out var value) ? value as string : null;

    // Client-controlled text goes into logs: keep it short and printable so it cannot forge log lines.
    private static bool IsSane(string value) =>
        value.Length is > 0 and <= 64 && value.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.');

    /// <summary>
    /// A scope whose tenant is read when a log line is written, so lines logged after authentication carry it.
    /// </summary>
    internal sealed class CorrelationScope(HttpContext context, string correlationId) : IReadOnlyList<KeyValuePair<string, object?>>
    {
        private KeyValuePair<string, object?>[] Items =>
        [
            new("CorrelationId", correlationId),
            // The tenant claim of whichever scheme authenticated the request (a service's assertion, the gateway's key).
            new("TenantId", context.User.FindFirst(Identity.IdentityAssertionAuthentication.TenantClaim)?.Value),
        ];

        public int Count => 2;

        public KeyValuePair<string, object?> this[int index] => Items[index];

        public IEnumerator<KeyValuePair<string, object?>> GetEnumerator() => ((IEnumerable<KeyValuePair<string, object?>>)Items).GetEnumerator();

        System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => GetEnumerator();

        public override string ToString() => $"CorrelationId:{correlationId}";
    }
}
