using MachCommerce.Hosting;
using MachCommerce.Hosting.Configuration;
using MachCommerce.Hosting.Migrations;
using MassTransit;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;

namespace MachCommerce.Messaging;

/// <summary>What a service consumes; built up inside <see cref="MessagingServiceCollectionExtensions.AddMessaging"/>.</summary>
public sealed class MessagingBuilder
{
    internal MessagingBuilder(IServiceCollection services, string serviceName)
    {
        Services = services;
        ServiceName = serviceName;
    }

    public IServiceCollection Services { get; }

    public string ServiceName { get; }

    internal List<Action<IBusRegistrationConfigurator>> Consumers { get; } = [];

    internal List<string> Endpoints { get; } = [];

    /// <summary>
    /// Consumes <typeparamref name="TEvent"/> with an inbox-wrapped handler on a queue of its own, named
    /// <c>{service}-{handler}</c> in kebab case (e.g. <c>personalization-product-read-model</c>), or on the shared
    /// queue <c>{service}-{queue}</c> when <paramref name="queue"/> is given: handlers on one queue see their events
    /// in the order they arrived, whatever their types.
    /// </summary>
    public MessagingBuilder AddInboxConsumer<TEvent, THandler>(string? queue = null)
        where TEvent : class
        where THandler : class, IInboxHandler<TEvent>
    {
        var handlerName = typeof(THandler).Name;
        if (handlerName.EndsWith("Handler", StringComparison.Ordinal))
        {
            handlerName = handlerName[..^"Handler".Length];
        }

        Services.AddScoped<THandler>();
        return AddConsumer<TEvent, InboxConsumer<TEvent, THandler>>(queue ?? handlerName);
    }

    /// <summary>
    /// Consumes <typeparamref name="TEvent"/> with a MassTransit consumer that keeps its own inbox (e.g. one that
    /// commits many messages in one transaction) on the queue <c>{service}-{queue}</c>.
    /// </summary>
    public MessagingBuilder AddConsumer<TEvent, TConsumer>(string queue)
        where TEvent : class
        where TConsumer : class, IConsumer<TEvent>
    {
        var endpoint = KebabCaseEndpointNameFormatter.Instance.SanitizeName($"{ServiceName}-{queue}");
        Consumers.Add(bus => bus.AddConsumer<TConsumer>().Endpoint(e => e.Name = endpoint));
        if (!Endpoints.Contains(endpoint))
        {
            Endpoints.Add(endpoint);
        }

        return this;
    }
}

public static class MessagingServiceCollectionExtensions
{
    /// <summary>
    /// Reliable integration events for a service: the outbox and inbox tables in <paramref name="schema"/> (its
    /// own migrations), the relay, MassTransit over RabbitMQ with durable quorum queues, retries and error queues,
    /// and readiness details. Replaces <c>AddRabbitMq()</c>: the broker being down degrades readiness instead of
    /// failing it, because writes go on into the outbox.
    /// </summary>
    public static WebApplicationBuilder AddMessaging(this WebApplicationBuilder builder, string schema, Action<MessagingBuilder>? configure = null)
    {
        var services = builder.Services;
        var messaging = new MessagingBuilder(services, builder.Environment.ApplicationName.Split('.').Last().ToLowerInvariant());
        configure?.Invoke(messaging);

        builder.AddRabbitMq(HealthStatus.Degraded);
        services.AddValidatedOptions<MessagingOptions>(MessagingOptions.Section);
        services.AddSqlMigrations(schema, typeof(MessagingBuilder).Assembly, historyTable: "messaging_migrations");
        services.AddSingleton(new OutboxTable(schema));
        services.AddSingleton(new MessagingEndpoints(messaging.Endpoints));
        services.AddSingleton<IEventOutbox, EventOutbox>();
        services.AddSingleton<MessagingMetrics>();

        services.AddMassTransit(bus =>
        {
            bus.SetKebabCaseEndpointNameFormatter();
            // MassTransit reports usage to its makers' host unless told not to: no data leaves the platform unasked.
            bus.ConfigureUsageTelemetryOptions(options => options.Enabled = false);
            foreach (var consumer in messaging.Consumers)
            {
                consumer(bus);
            }

            bus.AddConfigureEndpointsCallback((context, _, endpoint) =>
            {
                var options = context.GetRequiredService<IOptions<MessagingOptions>>().Value;
                endpoint.UseMessageRetry(retry => retry.Intervals(options.ParsedRetryIntervals()));
                endpoint.ConcurrentMessageLimit = options.ConcurrentMessageLimit;
                if (endpoint is IRabbitMqReceiveEndpointConfigurator rabbit)
                {
                    rabbit.SetQuorumQueue();
                    rabbit.PrefetchCount = options.PrefetchCount;
                }
            });
            bus.ConfigureHealthCheckOptions(health =>
            {
                health.Name = "masstransit";
                health.MinimalFailureStatus = HealthStatus.Degraded;
                health.Tags.Add(HealthEndpoints.ReadyTag);
            });
            bus.UsingRabbitMq((context, rabbit) =>
            {
                var uri = context.GetRequiredService<IOptions<RabbitMqOptions>>().Value.Uri!;
                var credentials = Uri.UnescapeDataString(uri.UserInfo).Split(':', 2);
                var virtualHost = uri.AbsolutePath.Trim('/') is { Length: > 0 } path ? Uri.UnescapeDataString(path) : "/";
                rabbit.Host(uri.Host, (ushort)(uri.IsDefaultPort ? 5672 : uri.Port), virtualHost, host =>
                {
                    host.Username(credentials[0]);
                    host.Password(credentials.ElementAtOrDefault(1) ?? "");
                    host.PublisherConfirmation = true; // a publish completes only when the broker has the message
                });
                rabbit.ConfigureEndpoints(context);
            });
        });

        // After MassTransit's own hosted service, so the bus is starting before the relay first publishes.
        services.AddSingleton<OutboxSignal>();
        services.AddHostedService(sp => sp.GetRequiredService<OutboxSignal>());
        services.AddSingleton<OutboxRelay>();
        services.AddHostedService(sp => sp.GetRequiredService<OutboxRelay>());
        services.AddSingleton<MessagingStatus>();
        services.AddHostedService(sp => sp.GetRequiredService<MessagingStatus>());
        services.AddHealthChecks().Add(new HealthCheckRegistration("messaging", sp => sp.GetRequiredService<MessagingStatus>(), HealthStatus.Unhealthy, [HealthEndpoints.ReadyTag]));

        // MassTransit judges the bus by its receive endpoints; a service that only publishes has none, so its bus
        // looked healthy through a broker outage. The bus check also asks the broker itself.
        services.PostConfigure<HealthCheckServiceOptions>(options =>
        {
            foreach (var registration in options.Registrations.Where(r => r.Name == "masstransit"))
            {
                var inner = registration.Factory;
                registration.Factory = sp => new BusWithBrokerHealthCheck(inner(sp), sp.GetRequiredService<BrokerConnection>());
            }
        });
        return builder;
    }
}
