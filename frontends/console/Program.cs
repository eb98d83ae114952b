using MachCommerce.Hosting.Health;
using MachCommerce.MerchantConsole.Components;
using MachCommerce.MerchantConsole.Localization;
using MachCommerce.MerchantConsole.Platform;
using MachCommerce.MerchantConsole.SignIn;
using MudBlazor.Services;

var builder = WebApplication.CreateBuilder(args);
builder.Services.AddRazorComponents().AddInteractiveServerComponents();
builder.Services.AddMudServices();
builder.Services.AddConsoleLanguages();
builder.Services.AddStaffSignIn(builder.Configuration);
builder.Services.AddPlatformClient();
builder.Services.AddHealthChecks();
builder.Services.AddSingleton(TimeProvider.System);

var app = builder.Build();
app.UseExceptionHandler("/error", createScopeForErrors: true);
app.MapStaticAssets().AllowAnonymous();
app.UseRequestLocalization();
app.UseAuthentication();
app.UseAuthorization();
app.UseAntiforgery();
app.MapHealthEndpoints();
app.MapSignInEndpoints();
app.MapLanguageEndpoint();
app.MapRazorComponents<App>().AddInteractiveServerRenderMode().RequireAuthorization();
app.Run();

