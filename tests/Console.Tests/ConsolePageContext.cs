using System.Security.Claims;
using MachCommerce.Client;
using MachCommerce.MerchantConsole.Localization;
using MachCommerce.MerchantConsole.SignIn;
using MachCommerce.LocalInfrastructure;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;
using MudBlazor.Services;
using WireMock.Server;
using WireMock.Settings;

namespace MachCommerce.Console.Tests;

/// <summary>
/// A console page rendered for a person with a role's scopes, its platform a double on loopback (WireMock.Net) reached
/// through the real typed client: what the page asks for and sends is what the double records.
/// </summary>
public abstract class ConsolePageContext : BunitContext, IAsyncLifetime
{
    protected ConsolePageContext()
    {
        DefaultWaitTimeout = TimeSpan.FromSeconds(15); // the first request of a client is slow on a busy machine (a full test run beside it)
        PlatformDouble = WireMockServer.Start(new WireMockServerSettings { Urls = [$"http://127.0.0.1:{FreePort.Pick()}"] });
        JSInterop.Mode = JSRuntimeMode.Loose; // MudBlazor's own interop (focus, popovers) answers nothing here
        Services.AddMudServices();
        Services.AddConsoleLanguages();
        Services.AddHttpClient();
        Services.AddSingleton(TimeProvider.System);
        Services.AddOptions<ConsoleOptions>().Configure(o => o.Platform = new Uri(PlatformDouble.Urls[0]));
        Services.AddSingleton<StaffTokens>();
        Services.AddScoped<StaffSession>();
        Services.AddSingleton(MachCommerceClient.Create(o =>
        {
            o.BaseAddress = new Uri(PlatformDouble.Urls[0]);
            o.ApiKey = "mc_test_component";
        }));
    }

    protected WireMockServer PlatformDouble { get; }

    /// <summary>Signs in a person of shop <c>shop-test</c> whose token carries <paramref name="scopes"/>.</summary>
    protected void SignedInWith(params string[] scopes) =>
        AddAuthorization().SetAuthorized("anna@shop.example").SetClaims(new Claim("scope", string.Join(' ', scopes)), new Claim("ten", "shop-test"));

    /// <summary>Renders the page as the layout would: inside MudBlazor's providers.</summary>
    protected IRenderedComponent<TPage> RenderPage<TPage>(params (string Name, object? Value)[] parameters) where TPage : IComponent
    {
        var host = Render(builder =>
        {
            builder.OpenComponent<MudPopoverProvider>(0);
            builder.CloseComponent();
            builder.OpenComponent<TPage>(1);
            foreach (var (name, value) in parameters)
            {
                builder.AddAttribute(2, name, value);
            }

            builder.CloseComponent();
        });
        return host.FindComponent<TPage>();
    }

    public Task InitializeAsync() => Task.CompletedTask;

    /// <summary>MudBlazor's services dispose only asynchronously: the context goes that way, and the double with it.</summary>
    async Task IAsyncLifetime.DisposeAsync()
    {
        PlatformDouble.Stop();
        PlatformDouble.Dispose();
        await DisposeAsync();
    }
}
