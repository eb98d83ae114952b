using MachCommerce.Hosting.Configuration;
using MachCommerce.Hosting.Data;
using MachCommerce.Hosting.Http;
using MachCommerce.Hosting.Health;
using MachCommerce.Hosting.Identity;
using MachCommerce.Hosting.Logging;
using MachCommerce.Hosting.Migrations;
using MachCommerce.Hosting.Problems;
using MachCommerce.Hosting.Tracing;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Configuration.Memory;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace MachCommerce.Hosting;

/// <summary>What every service shares, in two calls: <c>builder.AddServiceDefaults()</c> and <c>app.UseServiceDefaults()</c>.</summary>
public static class ServiceDefaults
{
    public static WebApplicationBuilder AddServiceDefaults(this WebApplicationBuilder builder)
    {
        // Quiet defaults below every other configuration source, so Logging__LogLevel__* still overrides them.
        ((IConfigurationBuilder)builder.Configuration).Sources.Insert(0, new MemoryConfigurationSource
        {
            InitialData = new Dictionary<string, string?>
            {
                ["Logging:LogLevel:Default"] = "Information",
                ["Logging:LogLevel:Microsoft.AspNetCore"] = "Warning",
                // Hosting starts an Activity (with its tags) and a log scope for every request whenever this category can
                // log at all, and HttpClient then stamps a traceparent on every call onwards: work for a trace nobody
                // collects (it logs nothing at Warning). With OpenTelemetry configured (OTEL_EXPORTER_OTLP_ENDPOINT) its
                // listener still gets every request's Activity; without it, log lines carry our correlation id instead.
                ["Logging:LogLevel:Microsoft.AspNetCore.Hosting.Diagnostics"] = "None",
                ["Logging:LogLevel:Npgsql"] = "Warning",
                ["Logging:LogLevel:MassTransit"] = "Warning",
                // EF Core logs every command at Information (the identity service's many small ones); failures stay.
                ["Logging:LogLevel:Microsoft.EntityFrameworkCore"] = "Warning",
                // IHttpClientFactory logs four lines per call at Information: the gateway's resolvers make many.
                ["Logging:LogLevel:System.Net.Http.HttpClient"] = "Warning",
            },
        });
        builder.Logging.ClearProviders();
        builder.Logging.AddJsonConsole(options =>
        {
            options.IncludeScopes = true;
            options.UseUtcTimestamp = true;
            options.TimestampFormat = "yyyy-MM-ddTHH:mm:ss.fffZ";
        });

        builder.Services.AddProblemDetailsDefaults();
        builder.Services.AddIdentityAssertions();
        builder.Services.AddHealthChecks();
        builder.Services.AddOtlpTracing(builder.Configuration, builder.Environment.ApplicationName);
        builder.Services.AddValidatedOptions<HostingOptions>(HostingOptions.Section);
        // A small default body limit: endpoints that take more (bulk imports) say so with [RequestSizeLimit].
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Limits.MaxRequestBodySize =
            long.TryParse(builder.Configuration[$"{HostingOptions.Section}:{nameof(HostingOptions.MaxRequestBodyBytes)}"], out var limit) && limit > 0
                ? limit
                : new HostingOptions().MaxRequestBodyBytes);

        // HostOptions is read while the host is built, before validation runs: read the setting leniently here and
        // let the validated HostingOptions above report a bad value at start.
        builder.Services.Configure<HostOptions>(host =>
        {
            if (TimeSpan.TryParse(builder.Configuration[$"{HostingOptions.Section}:{nameof(HostingOptions.ShutdownTimeout)}"], System.Globalization.CultureInfo.InvariantCulture, out var timeout)
                && timeout > TimeSpan.Zero && timeout <= TimeSpan.FromMinutes(5))
            {
                host.ShutdownTimeout = timeout;
            }
            else
            {
                host.ShutdownTimeout = new HostingOptions().ShutdownTimeout;
            }
        });
        return builder;
    }

    /// <summary>The service's database: a pooled data source from <c>Postgres__ConnectionString</c> and a readiness check.</summary>
    public static WebApplicationBuilder AddPostgres(this WebApplicationBuilder builder)
    {
        builder.Services.AddValidatedOptions<PostgresOptions>(PostgresOptions.Section);
        builder.Services.AddSingleton(sp =>
        {
            var settings = new NpgsqlConnectionStringBuilder(sp.GetRequiredService<IOptions<PostgresOptions>>().Value.ConnectionString);
            settings.ApplicationName ??= builder.Environment.ApplicationName;
            return new NpgsqlDataSourceBuilder(settings.ConnectionString)
                .UseLoggerFactory(sp.GetRequiredService<ILoggerFactory>())
                .Build();
        });
        builder.Services.AddHealthChecks().AddCheck<PostgresHealthCheck>("postgres", tags: [HealthEndpoints.ReadyTag]);
        return builder;
    }

    /// <summary>
    /// A service's own database: the pooled data source (<see cref="AddPostgres"/>), its embedded migrations applied at
    /// start under its application role (made and granted by the runner first), and <typeparamref name="TDatabase"/>.
    /// Call it before <c>AddMessaging</c>: the service's scripts then run before the messaging tables are made.
    /// </summary>
    public static WebApplicationBuilder AddServiceDatabase<TDatabase>(this WebApplicationBuilder builder)
        where TDatabase : ServiceDatabase, ServiceDatabase.IDefinition
    {
        builder.AddPostgres();
        builder.Services.AddSqlMigrations(TDatabase.Schema, typeof(TDatabase).Assembly, applicationRole: TDatabase.ApplicationRole);
        builder.Services.AddSingleton<TDatabase>();
        return builder;
    }

    /// <summary>
    /// The message broker from <c>RabbitMq__Uri</c> and its readiness check. A service that publishes through the
    /// outbox passes <see cref="HealthStatus.Degraded"/>: it still serves writes while the broker is away (the
    /// outbox keeps the events), so it must stay in its load balancer's pool.
    /// </summary>
    public static WebApplicationBuilder AddRabbitMq(this WebApplicationBuilder builder, HealthStatus whenUnreachable = HealthStatus.Unhealthy)
    {
        builder.Services.AddValidatedOptions<RabbitMqOptions>(RabbitMqOptions.Section);
        builder.Services.TryAddSingleton<BrokerConnection>();
        builder.Services.AddHealthChecks().AddCheck<RabbitMqHealthCheck>("rabbitmq", whenUnreachable, tags: [HealthEndpoints.ReadyTag]);
        return builder;
    }

    public static WebApplication UseServiceDefaults(this WebApplication app)
    {
        app.UseCorrelationId();
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        app.UseOversizedBodyAnswer();
        app.UseAuthentication();
        app.UseAuthorization();
        app.UseUnknownQueryParameterCheck();
        app.MapHealthEndpoints();
        return app;
    }
}
