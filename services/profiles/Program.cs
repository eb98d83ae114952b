using MachCommerce.Hosting;
using MachCommerce.Hosting.Configuration;
using MachCommerce.Hosting.Migrations;
using MachCommerce.Messaging;
using MachCommerce.Profiles;
using MachCommerce.Contracts.Gdpr.V1;
using MachCommerce.Profiles.Consents;
using MachCommerce.Profiles.Gdpr;
using MachCommerce.Profiles.Profiles;
using MachCommerce.Profiles.Visitors;

var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults().AddPostgres();
builder.Services.AddSqlMigrations(ProfilesDatabase.Schema, typeof(ProfilesDatabase).Assembly);
builder.AddMessaging(ProfilesDatabase.Schema, messaging => messaging.AddInboxConsumer<ErasureConfirmed, ErasureConfirmationHandler>());
builder.Services.AddValidatedOptions<GdprOptions>(GdprOptions.Section);
builder.Services.AddHttpClient("gdpr", client => client.Timeout = TimeSpan.FromSeconds(10));
builder.Services.AddSingleton<ProfilesDatabase>();
builder.Services.AddOpenApi();

var app = builder.Build();
app.UseServiceDefaults();
app.MapOpenApi().AllowAnonymous();
app.MapProfilesApi();
app.MapConsentsApi();
app.MapVisitorsApi();
app.MapGdprApi();
return await app.RunServiceAsync();
