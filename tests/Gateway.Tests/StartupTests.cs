using MachCommerce.Gateway.Identity;
using MachCommerce.Hosting;
using MachCommerce.Hosting.Configuration;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Configuration;

namespace MachCommerce.Gateway.Tests;

/// <summary>A misconfigured gateway stops at start with a line naming the setting, not with 500s later.</summary>
public sealed class StartupTests
{
    [Theory]
    [InlineData("Identity:SigningKey")]
    [InlineData("Identity:Issuer")]
    public async Task A_gateway_without_its_own_signing_key_and_name_does_not_start(string missing)
    {
        var settings = TestIdentity.Settings(IdentityTrust.Gateway);
        settings[missing] = "";
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { EnvironmentName = "Testing" });
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Configuration.AddInMemoryCollection(settings);
        builder.AddServiceDefaults();
        builder.Services.AddGatewayIdentity();

        var failure = await Assert.ThrowsAnyAsync<Exception>(async () =>
        {
            await using var app = builder.Build();
            app.UseServiceDefaults();
            await app.StartAsync();
        });

        var message = StartupFailure.Describe(failure);
        Assert.NotNull(message);
        Assert.Contains("Identity__SigningKey, Identity__Issuer", message, StringComparison.Ordinal);
    }
}
