namespace MachCommerce.Platform.Tests.Hosting;

public sealed class HealthEndpointTests
{
    [Fact]
    public async Task Ready_is_200_when_postgres_and_rabbitmq_answer_and_live_needs_no_identity()
    {
        var servers = await TestServers.GetAsync();
        await using var app = await TestApp.StartAsync(builder => builder.AddPostgres().AddRabbitMq(), _ => { }, new Dictionary<string, string?>
        {
            ["Postgres:ConnectionString"] = servers.Postgres.ConnectionString,
            ["RabbitMq:Uri"] = servers.RabbitMq.Uri.ToString(),
        });

        var live = await app.Client.GetAsync("/health/live");
        Assert.Equal(HttpStatusCode.OK, live.StatusCode);

        var ready = await app.Client.GetAsync("/health/ready");
        var report = await ready.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
        Assert.Equal("Healthy", report.GetProperty("status").GetString());
        Assert.Equal("Healthy", report.GetProperty("checks").GetProperty("postgres").GetProperty("status").GetString());
        Assert.Equal("Healthy", report.GetProperty("checks").GetProperty("rabbitmq").GetProperty("status").GetString());
    }

    [Fact]
    public async Task Ready_is_503_naming_the_dependency_that_is_down_while_live_stays_200()
    {
        var servers = await TestServers.GetAsync();
        var closedPort = MachCommerce.LocalInfrastructure.FreePort.Pick();
        await using var app = await TestApp.StartAsync(builder => builder.AddPostgres().AddRabbitMq(), _ => { }, new Dictionary<string, string?>
        {
            ["Postgres:ConnectionString"] = $"Host=127.0.0.1;Port={closedPort};Username=x;Password=y;Timeout=2",
            ["RabbitMq:Uri"] = servers.RabbitMq.Uri.ToString(),
        });

        Assert.Equal(HttpStatusCode.OK, (await app.Client.GetAsync("/health/live")).StatusCode);

        var ready = await app.Client.GetAsync("/health/ready");
        var report = await ready.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(HttpStatusCode.ServiceUnavailable, ready.StatusCode);
        Assert.Equal("Unhealthy", report.GetProperty("checks").GetProperty("postgres").GetProperty("status").GetString());
        Assert.Equal("Healthy", report.GetProperty("checks").GetProperty("rabbitmq").GetProperty("status").GetString());
    }

    [Fact]
    public async Task Ready_is_503_when_the_broker_is_unreachable()
    {
        var servers = await TestServers.GetAsync();
        var closedPort = MachCommerce.LocalInfrastructure.FreePort.Pick();
        await using var app = await TestApp.StartAsync(builder => builder.AddPostgres().AddRabbitMq(), _ => { }, new Dictionary<string, string?>
        {
            ["Postgres:ConnectionString"] = servers.Postgres.ConnectionString,
            ["RabbitMq:Uri"] = $"amqp://guest:guest@127.0.0.1:{closedPort}/",
        });

        var ready = await app.Client.GetAsync("/health/ready");
        var report = await ready.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(HttpStatusCode.ServiceUnavailable, ready.StatusCode);
        Assert.Equal("Unhealthy", report.GetProperty("checks").GetProperty("rabbitmq").GetProperty("status").GetString());
    }
}
