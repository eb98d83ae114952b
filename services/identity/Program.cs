using MachCommerce.Hosting;
using MachCommerce.Hosting.Configuration;
using MachCommerce.Hosting.Migrations;
using MachCommerce.Identity.Audit;
using MachCommerce.Identity.Clients;
using MachCommerce.Identity.Data;
using MachCommerce.Identity.Tokens;

var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults().AddPostgres();
builder.Services.AddSqlMigrations(IdentityDb.Schema, typeof(IdentityDb).Assembly);
builder.Services.AddSingleton(TimeProvider.System);
builder.Services.AddTokenServer();
builder.Services.AddScoped<PartnerClients>();
builder.Services.AddScoped<AuditLog>();
builder.Services.AddHttpContextAccessor();
builder.Services.AddOpenApi();

var app = builder.Build();
app.UseIssuerAddress();
app.UseServiceDefaults();
app.MapOpenApi().AllowAnonymous();
app.MapTokenApi();
app.MapPartnerClientsApi();
app.MapAuditApi();
return await app.RunServiceAsync();
