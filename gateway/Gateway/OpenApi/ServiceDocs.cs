using System.Text.Json.Nodes;
using Microsoft.OpenApi;
using Yarp.ReverseProxy.Transforms;
using Yarp.ReverseProxy.Transforms.Builder;

namespace MachCommerce.Gateway.OpenApi;

/// <summary>
/// REST documentation a partner can use as it is: each service's OpenAPI document at <c>/api/{service}/openapi.json</c>
/// and the gateway's own admin API (tenants, keys, customer tokens) at <c>/api/gateway/openapi.json</c>, all in one
/// Swagger UI at <c>/swagger</c>. Every document names the gateway's public URL with the service's prefix as its
/// server (the services only know their internal address) and the API key as a bearer scheme, so Swagger UI's
/// Authorize and "Try it out" work through the gateway.
/// </summary>
public static class ServiceDocs
{
    public const string GatewayDocument = "/api/gateway/openapi.json";

    public static readonly IReadOnlyList<string> Documented = ["catalog", "profiles", "personalization", "identity", "webhooks"];

    private const string SchemeName = "apiKey";

    private const string SchemeDescription =
        "An API key of the tenant (mc_…) as `Authorization: Bearer <key>`: an admin key, a partner key with the operation's scopes, or a storefront key for public reads; "
        + "or a partner client's access token from POST /connect/token (OAuth 2.0 client credentials), also as `Authorization: Bearer <token>`.";

    public static IServiceCollection AddServiceDocs(this IServiceCollection services) =>
        services.AddOpenApi(options => options.AddDocumentTransformer((document, _, _) =>
        {
            document.Info.Title = "MACH Commerce gateway: admin API";
            document.Info.Description = "Tenants (platform key), API keys (admin key) and customer tokens (admin or partner key).";
            // Its server is the URL the document was asked for at: the gateway's own (ASP.NET's default).
            document.Components ??= new OpenApiComponents();
            document.Components.SecuritySchemes = new Dictionary<string, IOpenApiSecurityScheme>
            {
                [SchemeName] = new OpenApiSecurityScheme { Type = SecuritySchemeType.Http, Scheme = "bearer", Description = SchemeDescription },
            };
            document.Security = [new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(SchemeName, document)] = [] }];
            return Task.CompletedTask;
        }));

    /// <summary>Before authentication: the page and the documents are public, like the documents on the services.</summary>
    public static void UseServiceDocs(this WebApplication app)
    {
        app.MapOpenApi(GatewayDocument).AllowAnonymous().ExcludeFromDescription();
        // Only its own path: the page's middleware matches every request's path otherwise (a regular expression on the hot path).
        app.UseWhen(http => http.Request.Path.StartsWithSegments("/swagger"), docs => docs.UseSwaggerUI(options =>
        {
            options.RoutePrefix = "swagger";
            options.DocumentTitle = "MACH Commerce REST APIs";
            foreach (var service in Documented)
            {
                options.SwaggerEndpoint($"/api/{service}/openapi.json", service);
            }

            options.SwaggerEndpoint(GatewayDocument, "gateway (admin)");
            options.EnablePersistAuthorization();
        }));
    }

    /// <summary>For the routes that serve a service's document: the gateway's URL and key scheme written into it.</summary>
    public static void AddDocumentRewrite(TransformBuilderContext context)
    {
        if (context.Route.RouteId.EndsWith("-openapi", StringComparison.Ordinal) && context.Route.ClusterId is { } service)
        {
            context.AddResponseTransform(async transform =>
            {
                if (transform.ProxyResponse is not { IsSuccessStatusCode: true } response)
                {
                    return;
                }

                var document = JsonNode.Parse(await response.Content.ReadAsStreamAsync(transform.HttpContext.RequestAborted))!.AsObject();
                Publish(document, PublicBase(transform.HttpContext) + "/api/" + service);
                transform.SuppressResponseBody = true;
                var body = System.Text.Encoding.UTF8.GetBytes(document.ToJsonString());
                transform.HttpContext.Response.ContentLength = body.Length;
                await transform.HttpContext.Response.Body.WriteAsync(body, transform.HttpContext.RequestAborted);
            });
        }
    }

    private static void Publish(JsonObject document, string server)
    {
        document["servers"] = new JsonArray(new JsonObject { ["url"] = server, ["description"] = "through the gateway" });
        var components = document["components"] as JsonObject ?? [];
        document["components"] = components;
        var schemes = components["securitySchemes"] as JsonObject ?? [];
        components["securitySchemes"] = schemes;
        schemes[SchemeName] = new JsonObject { ["type"] = "http", ["scheme"] = "bearer", ["description"] = SchemeDescription };
        document["security"] = new JsonArray(new JsonObject { [SchemeName] = new JsonArray() });
    }

    /// <summary>The URL clients reach the gateway at (behind an ingress, from its forwarded headers, which the gateway already trusts only from known proxies).</summary>
    private static string PublicBase(HttpContext http) => $"{http.Request.Scheme}://{http.Request.Host}{http.Request.PathBase}";
}
