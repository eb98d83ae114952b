using Microsoft.AspNetCore.Http.Features;

namespace MachCommerce.Hosting.Http;

/// <summary>
/// A body whose declared length is over its route's limit is answered 413 at once, as a problem, and then read to
/// its end and dropped, within bounds. Refusing it without reading it (what the server does on its own) closes the
/// connection under a client that is still sending: the client sees a broken pipe instead of the answer, and a
/// proxy in between a 502. Every service and the gateway answer so; the gateway's proxy routes carry their limit as
/// the same endpoint metadata an endpoint's own limit is.
/// </summary>
public static class OversizedBodies
{
    /// <summary>How much of a refused body is read away so the answer reaches the client; past it the connection is closed.</summary>
    private const long DrainLimit = 64L * 1024 * 1024;

    private static readonly TimeSpan DrainTimeout = TimeSpan.FromSeconds(30);

    public static IApplicationBuilder UseOversizedBodyAnswer(this IApplicationBuilder app) =>
        app.Use((http, next) => http.Request.ContentLength is { } length && Limit(http) is { } limit && length > limit ? RefuseAsync(http, length, limit) : next(http));

    private static async Task RefuseAsync(HttpContext http, long length, long limit)
    {
        await Results.Problem(statusCode: StatusCodes.Status413PayloadTooLarge, title: "Request body too large",
            detail: $"This operation takes bodies of at most {limit} bytes; this one has {length}.").ExecuteAsync(http);
        await http.Response.CompleteAsync();

        var feature = http.Features.Get<IHttpMaxRequestBodySizeFeature>();
        if (length > DrainLimit || feature is null || feature.IsReadOnly)
        {
            http.Abort();
            return;
        }

        feature.MaxRequestBodySize = null;
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(http.RequestAborted);
        timeout.CancelAfter(DrainTimeout);
        try
        {
            await http.Request.Body.CopyToAsync(Stream.Null, timeout.Token);
        }
        catch (Exception exception) when (exception is OperationCanceledException or IOException or BadHttpRequestException)
        {
            http.Abort();
        }
    }

    /// <summary>The endpoint's own limit (a bulk import's, a proxy route's), else the server's.</summary>
    private static long? Limit(HttpContext http) =>
        http.GetEndpoint()?.Metadata.GetMetadata<IRequestSizeLimitMetadata>()?.MaxRequestBodySize
        ?? http.Features.Get<IHttpMaxRequestBodySizeFeature>()?.MaxRequestBodySize;
}
