using MachCommerce.Gateway.Callers;
using MachCommerce.Gateway.Identity;
using MachCommerce.Gateway.Services;
using MachCommerce.Gateway.Tenants;
using MachCommerce.Hosting.Logging;
using Yarp.ReverseProxy.Transforms;

namespace MachCommerce.Gateway.Proxy;

/// <summary>
/// REST to the services through YARP: routes and clusters (destinations, active and passive health checks,
/// timeouts, body limits) come from the <c>ReverseProxy</c> configuration section. Every proxied request loses
/// whatever identity the client claimed (the assertion header, any other X-Mach-* header, the key and customer
/// token themselves) and gains the gateway's signed assertion for the route's service, plus the correlation id.
/// YARP does not retry: a failed call is the client's to repeat (only idempotent GraphQL reads retry, in ServiceCalls).
/// </summary>
public static class GatewayProxy
{
    private static readonly string[] ClientIdentityHeaders =
        [IdentityAssertionCodec.HeaderName, "Authorization", ApiKeyAuthentication.ApiKeyHeader, CustomerTokens.HeaderName, CallerChecks.VisitorHeader];

    /// <summary>Route metadata: pass the client's Authorization header on to the service (only the identity service's OAuth endpoints).</summary>
    public const string ForwardAuthorizationMetadata = "ForwardAuthorization";

    public static IServiceCollection AddGatewayProxy(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddRequestTimeouts();
        services.AddSingleton<ServiceEndpoints>();
        services.AddReverseProxy()
            .LoadFromConfig(configuration.GetSection("ReverseProxy"))
            .AddTransforms(context =>
            {
                // The audience is the service the route leads to: an assertion for the catalog is worthless to profiles.
                var audience = context.Route.ClusterId ?? "";
                // The OAuth endpoints (/connect/*) take the client's credentials in the Authorization header (HTTP Basic).
                var forwardAuthorization = context.Route.Metadata?.GetValueOrDefault(ForwardAuthorizationMetadata) == "true";
                var assertions = context.Services.GetRequiredService<ServiceAssertions>();
                context.AddRequestTransform(transform =>
                {
                    var headers = transform.ProxyRequest.Headers;
                    foreach (var name in ClientIdentityHeaders)
                    {
                        if (!(forwardAuthorization && name == "Authorization"))
                        {
                            headers.Remove(name);
                        }
                    }

                    // The names come from the client's request (a plain dictionary): enumerating the outgoing headers would parse every value.
                    var http = transform.HttpContext;
                    foreach (var name in http.Request.Headers.Keys)
                    {
                        if (name.StartsWith("X-Mach-", StringComparison.OrdinalIgnoreCase))
                        {
                            headers.Remove(name);
                        }
                    }

                    if (http.Caller() is { Kind: not KeyKind.Platform } caller)
                    {
                        headers.TryAddWithoutValidation(IdentityAssertionCodec.HeaderName, assertions.For(caller, audience));
                    }

                    headers.Remove(CorrelationId.HeaderName);
                    if (CorrelationId.Get(http) is { } correlationId)
                    {
                        headers.TryAddWithoutValidation(CorrelationId.HeaderName, correlationId);
                    }

                    return ValueTask.CompletedTask;
                });

                OpenApi.ServiceDocs.AddDocumentRewrite(context);

                // The service echoes the correlation id the gateway sent; the gateway has set it already, so once is enough.
                // A Location the service gives relative to itself (/erasures/…) gets the route's prefix back (/api/profiles/erasures/…).
                var prefix = "/api/" + audience;
                // Only routes under the prefix (not the identity service's /connect, /account and /.well-known, which keep their paths).
                var underPrefix = context.Route.Match.Path?.StartsWith(prefix + "/", StringComparison.Ordinal) == true;
                context.AddResponseTransform(transform =>
                {
                    var location = transform.HttpContext.Response.Headers.Location.ToString();
                    if (underPrefix && location.StartsWith('/') && !location.StartsWith("//", StringComparison.Ordinal) && !location.StartsWith(prefix + "/", StringComparison.Ordinal))
                    {
                        transform.HttpContext.Response.Headers.Location = prefix + location;
                    }

                    if (CorrelationId.Get(transform.HttpContext) is { } correlationId)
                    {
                        transform.HttpContext.Response.Headers[CorrelationId.HeaderName] = correlationId;
                    }

                    return ValueTask.CompletedTask;
                });
            });
        return services;
    }

    /// <summary>
    /// Each route's body limit as endpoint metadata, where the 413 answer (UseOversizedBodyAnswer) and routing look
    /// for it: YARP itself applies the limit only inside its own pipeline, after the client has been left sending.
    /// </summary>
    public static ReverseProxyConventionBuilder WithRouteBodyLimits(this ReverseProxyConventionBuilder proxy) =>
        proxy.ConfigureEndpoints((endpoint, route) =>
        {
            if (route.MaxRequestBodySize is { } limit)
            {
                endpoint.WithMetadata(new RequestSizeLimitAttribute(limit));
            }
        });
}
