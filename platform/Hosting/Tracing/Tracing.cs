using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using OpenTelemetry;
using OpenTelemetry.Resources;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;

namespace MachCommerce.Hosting.Tracing;

public static class Tracing
{
    /// <summary>The activity sources traced: ASP.NET Core, HttpClient, Npgsql, MassTransit and our own.</summary>
    public static readonly string[] Sources = ["Microsoft.AspNetCore", "System.Net.Http", "Npgsql", "MassTransit", "MachCommerce.*"];

    /// <summary>The meters exported: ASP.NET Core's and HttpClient's own, Npgsql's, and ours.</summary>
    public static readonly string[] Meters = ["Microsoft.AspNetCore.Hosting", "Microsoft.AspNetCore.Server.Kestrel", "System.Net.Http", "Npgsql", "MachCommerce.*"];

    /// <summary>
    /// Exports traces and metrics over OTLP when <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> is set and stays out of the way otherwise.
    /// The hosting and instrumentation packages are not served here; the framework emits activities on its own
    /// sources, so the SDK's tracer provider listening to them is all that is needed.
    /// </summary>
    public static IServiceCollection AddOtlpTracing(this IServiceCollection services, IConfiguration configuration, string serviceName)
    {
        if (string.IsNullOrWhiteSpace(configuration["OTEL_EXPORTER_OTLP_ENDPOINT"]))
        {
            return services;
        }

        services.AddSingleton(_ => Sdk.CreateTracerProviderBuilder()
            .SetResourceBuilder(ResourceBuilder.CreateDefault().AddService(serviceName))
            .AddSource(Sources)
            .AddOtlpExporter()
            .Build());
        services.AddSingleton(_ => Sdk.CreateMeterProviderBuilder()
            .SetResourceBuilder(ResourceBuilder.CreateDefault().AddService(serviceName))
            .AddMeter(Meters)
            .AddOtlpExporter()
            .Build());
        services.AddHostedService<TracerProviderLifetime>();
        return services;
    }

    /// <summary>Creates the provider at start (so it listens from the first request) and flushes it at shutdown.</summary>
    private sealed class TracerProviderLifetime(TracerProvider traces, MeterProvider metrics) : IHostedService
    {
        public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        public Task StopAsync(CancellationToken cancellationToken)
        {
            traces.ForceFlush(5_000);
            metrics.ForceFlush(5_000);
            return Task.CompletedTask;
        }
    }
}
