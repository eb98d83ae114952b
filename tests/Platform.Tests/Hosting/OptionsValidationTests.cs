using MachCommerce.Hosting;
using MachCommerce.Hosting.Configuration;
using MachCommerce.Testing;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Configuration;

namespace MachCommerce.Platform.Tests.Hosting;

public sealed class OptionsValidationTests
{
    private static async Task<Exception> StartFailure(Dictionary<string, string?> settings, Action<WebApplicationBuilder>? configure = null)
    {
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { EnvironmentName = "Testing" });
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Configuration.AddInMemoryCollection(settings);
        builder.AddServiceDefaults();
        configure?.Invoke(builder);
        return await Assert.ThrowsAnyAsync<Exception>(async () =>
        {
            await using var app = builder.Build();
            app.UseServiceDefaults();
            await app.StartAsync();
        });
    }

    [Fact]
    public async Task A_missing_signing_key_stops_start_up_naming_the_environment_variable()
    {
        var failure = await StartFailure([]);

        var message = StartupFailure.Describe(failure);
        Assert.NotNull(message);
        Assert.Contains("Identity__SigningKey", message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_short_signing_key_is_refused()
    {
        var failure = await StartFailure(new() { ["Identity:SigningKey"] = Convert.ToBase64String(new byte[8]) });

        Assert.Contains("Identity__SigningKey", StartupFailure.Describe(failure), StringComparison.Ordinal);
        Assert.Contains("32 bytes", StartupFailure.Describe(failure), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_malformed_time_span_names_the_setting()
    {
        var failure = await StartFailure(new() { ["Identity:SigningKey"] = TestIdentity.SigningKey, ["Hosting:ShutdownTimeout"] = "soon" });

        Assert.Contains("Hosting:ShutdownTimeout", StartupFailure.Describe(failure), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_missing_database_setting_names_it()
    {
        var failure = await StartFailure(new() { ["Identity:SigningKey"] = TestIdentity.SigningKey }, builder => builder.AddPostgres());

        Assert.Contains("Postgres__ConnectionString", StartupFailure.Describe(failure), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_malformed_broker_uri_names_it()
    {
        var failure = await StartFailure(new() { ["Identity:SigningKey"] = TestIdentity.SigningKey, ["RabbitMq:Uri"] = "http://localhost/" }, builder => builder.AddRabbitMq());

        var message = StartupFailure.Describe(failure);
        Assert.Contains("RabbitMq__Uri", message, StringComparison.Ordinal);
        Assert.Contains("amqp", message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_out_of_range_shutdown_timeout_is_refused()
    {
        var failure = await StartFailure(new() { ["Identity:SigningKey"] = TestIdentity.SigningKey, ["Hosting:ShutdownTimeout"] = "01:00:00" });

        Assert.Contains("Hosting__ShutdownTimeout", StartupFailure.Describe(failure), StringComparison.Ordinal);
    }
}
