namespace MachCommerce.Gateway.OpenApi;

/// <summary>
/// Each service's OpenAPI document at <c>/api/{service}/openapi.json</c> (YARP routes in the configuration, open to
/// anyone like the documents themselves) and one Swagger UI page at <c>/swagger</c> that lists them all.
/// </summary>
public static class ServiceDocs
{
    public static readonly IReadOnlyList<string> Documented = ["catalog", "profiles", "personalization"];

    /// <summary>Before authentication: the page and the documents are public, like the documents on the services.</summary>
    public static void UseServiceDocs(this WebApplication app) =>
        app.UseSwaggerUI(options =>
        {
            options.RoutePrefix = "swagger";
            options.DocumentTitle = "MACH Commerce REST APIs";
            foreach (var service in Documented)
            {
                options.SwaggerEndpoint($"/api/{service}/openapi.json", service);
            }
        });
}
