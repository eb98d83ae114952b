using MachCommerce.Hosting;
using MachCommerce.Hosting.Configuration;
using MachCommerce.Hosting.Migrations;
using MachCommerce.Messaging;
using MachCommerce.Profiles;
using MachCommerce.Profiles.Consents;
using MachCommerce.Profiles.Profiles;
using MachCommerce.Profiles.Visitors;

var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults().AddPostgres();
builder.Services.AddSqlMigrations(ProfilesDatabase.Schema, typeof(ProfilesDatabase).Assembly);
builder.AddMessaging(ProfilesDatabase.Schema);
builder.Services.AddSingleton<ProfilesDatabase>();
builder.Services.AddOpenApi();

var app = builder.Build();
app.UseServiceDefaults();
app.MapOpenApi().AllowAnonymous();
app.MapProfilesApi();
app.MapConsentsApi();
app.MapVisitorsApi();
return await app.RunServiceAsync();
