using MachCommerce.Hosting;
using MachCommerce.Hosting.Configuration;
using MachCommerce.Hosting.Migrations;
using MachCommerce.Webhooks;
using MachCommerce.Webhooks.Audit;
using MachCommerce.Webhooks.Deliveries;
using MachCommerce.Webhooks.Dispatch;
using MachCommerce.Webhooks.Events;
using MachCommerce.Webhooks.Subscriptions;

var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults().AddServiceDatabase<WebhooksDatabase>();
builder.AddMessaging(WebhooksDatabase.Schema, messaging => messaging.AddWebhookFanOut());
// Many messages at once, so the intake can commit them together; it keeps their order on the queue.
builder.Services.PostConfigure<MessagingOptions>(options =>
{
    options.ConcurrentMessageLimit = 256;
    options.PrefetchCount = 512;
});
builder.Services.AddValidatedOptions<WebhooksOptions>(WebhooksOptions.Section);
builder.Services.AddSingleton<SubscriptionStore>();
builder.Services.AddSingleton<DeliveryStore>();
builder.Services.AddSingleton<TargetPolicy>();
builder.Services.AddSingleton<DeliverySignal>();
builder.Services.AddSingleton<OutcomeLog>();
builder.Services.AddSingleton<EventIntake>();
builder.Services.AddHostedService(sp => sp.GetRequiredService<EventIntake>());
builder.Services.AddHostedService(sp => sp.GetRequiredService<DeliverySignal>());
builder.Services.AddHostedService<Dispatcher>();
builder.Services.AddHostedService<RetentionSweep>();
builder.Services.AddOpenApi();

var app = builder.Build();
app.UseServiceDefaults();
app.MapOpenApi().AllowAnonymous();
app.MapSubscriptionsApi();
app.MapDeliveriesApi();
app.MapAuditApi();
return await app.RunServiceAsync();
