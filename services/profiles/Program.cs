using MachCommerce.Hosting;
using MachCommerce.Hosting.Configuration;
using MachCommerce.Hosting.Migrations;
using MachCommerce.Profiles;
using MachCommerce.Contracts.Gdpr.V1;
using MachCommerce.Profiles.Consents;
using MachCommerce.Profiles.Cooperative;
using MachCommerce.Profiles.Gdpr;
using MachCommerce.Profiles.Profiles;
using MachCommerce.Profiles.Visitors;
using Microsoft.Extensions.Http.Resilience;

var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults().AddServiceDatabase<ProfilesDatabase>();
builder.AddMessaging(ProfilesDatabase.Schema, messaging => messaging.AddInboxConsumer<ErasureConfirmed, ErasureConfirmationHandler>());
builder.Services.AddValidatedOptions<GdprOptions>(GdprOptions.Section);
// The standard resilience handler: a data holder that stumbles once (a 5xx, a timeout) is asked again before an export fails.
builder.Services.AddHttpClient("gdpr").AddStandardResilienceHandler(options =>
{
    options.TotalRequestTimeout.Timeout = TimeSpan.FromSeconds(10);
    options.AttemptTimeout.Timeout = TimeSpan.FromSeconds(4);
    options.Retry.MaxRetryAttempts = 2;
    options.Retry.Delay = TimeSpan.FromMilliseconds(200);
    options.Retry.DisableForUnsafeHttpMethods();
});
builder.Services.AddOpenApi();

var app = builder.Build();
app.UseServiceDefaults();
app.MapOpenApi().AllowAnonymous();
app.MapProfilesApi();
app.MapConsentsApi();
app.MapCooperativeContactsApi();
app.MapVisitorsApi();
app.MapGdprApi();
return await app.RunServiceAsync();
