using MachCommerce.Hosting.Configuration;
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

    private static Dictionary<string, string?> Identity(params (string Key, string? Value)[] changes)
    {
        var settings = TestIdentity.Settings(TestIdentity.Audience);
        foreach (var (key, value) in changes)
        {
            settings[key] = value;
        }

        return settings;
    }

    [Fact]
    public async Task Missing_identity_settings_stop_start_up_naming_the_environment_variables()
    {
        var message = StartupFailure.Describe(await StartFailure([]));
        Assert.NotNull(message);
        Assert.Contains("Identity__Audience", message, StringComparison.Ordinal);

        var noSigner = StartupFailure.Describe(await StartFailure(new() { ["Identity:Audience"] = "catalog" }));
        Assert.Contains("Identity__TrustedSigners", noSigner, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_signing_key_that_is_not_a_P256_private_key_is_refused()
    {
        var hmacKey = Convert.ToBase64String(new byte[32]);
        var message = StartupFailure.Describe(await StartFailure(Identity(("Identity:Issuer", "gateway"), ("Identity:SigningKey", hmacKey))));

        Assert.Contains("Identity__SigningKey", message, StringComparison.Ordinal);
        Assert.Contains("P-256", message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_signing_key_without_the_name_it_signs_as_is_refused()
    {
        var message = StartupFailure.Describe(await StartFailure(Identity(("Identity:SigningKey", IdentityKeys.NewKeyPair().PrivateKey))));

        Assert.Contains("Identity__Issuer", message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_trusted_key_that_is_not_a_public_key_is_refused_naming_its_signer()
    {
        var message = StartupFailure.Describe(await StartFailure(Identity(("Identity:TrustedSigners:gateway:PublicKeys", "bm90IGEga2V5"))));

        Assert.Contains("Identity__TrustedSigners__gateway__PublicKeys", message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_malformed_time_span_names_the_setting()
    {
        var failure = await StartFailure(Identity(("Hosting:ShutdownTimeout", "soon")));

        Assert.Contains("Hosting:ShutdownTimeout", StartupFailure.Describe(failure), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_missing_database_setting_names_it()
    {
        var failure = await StartFailure(Identity(), builder => builder.AddPostgres());

        Assert.Contains("Postgres__ConnectionString", StartupFailure.Describe(failure), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_malformed_broker_uri_names_it()
    {
        var failure = await StartFailure(Identity(("RabbitMq:Uri", "http://localhost/")), builder => builder.AddRabbitMq());

        var message = StartupFailure.Describe(failure);
        Assert.Contains("RabbitMq__Uri", message, StringComparison.Ordinal);
        Assert.Contains("amqp", message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_out_of_range_shutdown_timeout_is_refused()
    {
        var failure = await StartFailure(Identity(("Hosting:ShutdownTimeout", "01:00:00")));

        Assert.Contains("Hosting__ShutdownTimeout", StartupFailure.Describe(failure), StringComparison.Ordinal);
    }
}
