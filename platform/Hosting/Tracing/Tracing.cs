using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using OpenTelemetry;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace MachCommerce.Hosting.Tracing;

public static class Tracing
{
    /// <summary>The activity sources traced: ASP.NET Core, HttpClient, Npgsql, MassTransit and our own.</summary>
    public static readonly string[] Sources = ["Microsoft.AspNetCore", "System.Net.Http", "Npgsql", "MassTransit", "MachCommerce.*"];

    /// <summary>
    /// Exports traces over OTLP when <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> is set and stays out of the way otherwise.
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
        services.AddHostedService<TracerProviderLifetime>();
        return services;
    }

    /// <summary>Creates the provider at start (so it listens from the first request) and flushes it at shutdown.</summary>
    private sealed class TracerProviderLifetime(TracerProvider provider) : IHostedService
    {
        public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        public Task StopAsync(CancellationToken cancellationToken)
        {
            provider.ForceFlush(5_000);
            return Task.CompletedTask;
        }
    }
}
