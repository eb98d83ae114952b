using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace MachCommerce.Hosting.Tracing;

public static class Tracing
{
    /// <summary>Our own activity sources and MassTransit's, beside the instrumented ASP.NET Core, HttpClient and Npgsql.</summary>
    public static readonly string[] Sources = ["MassTransit", "MachCommerce.*"];

    /// <summary>Our own meters (messaging's backlog, the gateway's limits), beside the instrumented ones and the runtime's.</summary>
    public static readonly string[] Meters = ["MachCommerce.*"];

    /// <summary>
    /// OpenTelemetry's hosting and instrumentation packages: traces and metrics of ASP.NET Core, HttpClient, Npgsql,
    /// MassTransit, the runtime and our own sources, exported over OTLP when <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> is
    /// set (with the other standard <c>OTEL_*</c> variables); without it nothing is collected and nothing leaves.
    /// </summary>
    public static IServiceCollection AddOtlpTracing(this IServiceCollection services, IConfiguration configuration, string serviceName)
    {
        if (string.IsNullOrWhiteSpace(configuration["OTEL_EXPORTER_OTLP_ENDPOINT"]))
        {
            return services;
        }

        services.AddOpenTelemetry()
            .ConfigureResource(resource => resource.AddService(serviceName))
            .WithTracing(tracing => tracing
                .AddAspNetCoreInstrumentation(options => options.Filter = http => !http.Request.Path.StartsWithSegments("/health"))
                .AddHttpClientInstrumentation()
                .AddNpgsql()
                .AddSource(Sources))
            .WithMetrics(metrics => metrics
                .AddAspNetCoreInstrumentation()
                .AddHttpClientInstrumentation()
                .AddRuntimeInstrumentation()
                .AddNpgsqlInstrumentation()
                .AddMeter(Meters))
            .UseOtlpExporter();
        return services;
    }
}
