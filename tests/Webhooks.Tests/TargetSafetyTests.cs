using MachCommerce.Webhooks.Dispatch;
using Microsoft.Extensions.Options;

namespace MachCommerce.Webhooks.Tests;

/// <summary>
/// Server-side request forgery (OWASP API7): the service as production runs it (https only, no loopback) refuses
/// internal targets when a subscription is saved, and again when it connects.
/// </summary>
public sealed class TargetSafetyTests : IAsyncLifetime
{
    private ServiceUnderTest<WebhooksDatabase> _service = null!;
    private string _database = "";

    public async Task InitializeAsync()
    {
        _database = await TestServers.CreateDatabaseAsync("webhooks_ssrf");
        _service = ServiceUnderTest.Start<WebhooksDatabase>("services/webhooks", _database, await WebhooksFixture.OwnVirtualHostAsync(),
            settings: WebhooksFixture.ShortTimes(allowLoopback: false));
        await _service.AnonymousClient().WaitUntilBusHealthyAsync();
    }

    public async Task DisposeAsync()
    {
        await _service.DisposeAsync();
        await TestServers.DropDatabaseAsync(_database);
    }

    [Theory]
    [InlineData("https://127.0.0.1/hooks", "127.0.0.1")]
    [InlineData("https://localhost:8443/hooks", "not a public internet address")]
    [InlineData("https://10.1.2.3/hooks", "10.0.0.0/8")]
    [InlineData("https://192.168.178.1/hooks", "192.168.0.0/16")]
    [InlineData("https://172.20.0.5/hooks", "172.16.0.0/12")]
    [InlineData("https://169.254.169.254/latest/meta-data/", "169.254.0.0/16")]
    [InlineData("https://100.100.100.200/", "100.64.0.0/10")]
    [InlineData("https://[::1]/hooks", "::1")]
    [InlineData("https://[fd00:ec2::254]/", "fc00::/7")]
    [InlineData("https://[::ffff:10.0.0.1]/", "10.0.0.0/8")]
    [InlineData("https://0.0.0.0/", "0.0.0.0/8")]
    [InlineData("http://203.0.114.10/hooks", "must use https")]
    [InlineData("https://no-such-host.invalid/hooks", "does not resolve")]
    public async Task An_internal_or_insecure_target_is_refused_with_the_reason(string url, string reason)
    {
        var tenant = WebhooksFixture.NewTenant();
        using var response = await _service.Client(tenant).PostAsJsonAsync("/subscriptions", new { url, eventTypes = new[] { "product.published" } });
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains(reason, (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").GetProperty("url")[0].GetString());
        Assert.Empty((await _service.Client(tenant).GetFromJsonAsync<JsonElement>("/subscriptions")).GetProperty("items").EnumerateArray());
    }

    [Fact]
    public async Task A_target_that_points_inside_by_the_time_of_delivery_is_not_connected_to()
    {
        // A subscription saved while its name pointed outside, now resolving to this machine (DNS rebinding): the
        // row is written directly, as the API would never accept it, and an event is fanned out to it.
        using var receiver = WebhooksFixture.NewReceiver();
        receiver.Given(Request.Create().UsingPost()).RespondWith(Response.Create().WithStatusCode(200));
        var tenant = WebhooksFixture.NewTenant();
        var subscription = Guid.NewGuid();
        var eventId = Guid.NewGuid();
        await Sql.ScalarAsync<int>(_database, """
            INSERT INTO webhooks.subscriptions (id, tenant_id, url, event_types, secret, created_by) VALUES ($1, $2, $3, '{product.published}', 'whsec_AAAA', 'test')
            """, subscription, tenant, receiver.Url!.Replace("http://", "https://", StringComparison.Ordinal) + "/hooks");
        await Sql.ScalarAsync<int>(_database, "INSERT INTO webhooks.events (id, tenant_id, type, resource_key, occurred_at, payload) VALUES ($1, $2, 'product.published', 'product:1', now(), '{}')",
            eventId, tenant);
        await Sql.ScalarAsync<int>(_database, """
            INSERT INTO webhooks.deliveries (id, tenant_id, subscription_id, event_id, event_type, resource_key)
            VALUES (gen_random_uuid(), $1, $2, $3, 'product.published', 'product:1')
            """, tenant, subscription, eventId);
        await Sql.ScalarAsync<int>(_database, "NOTIFY webhooks_deliveries");

        await WebhooksFixture.EventuallyAsync(async () => await Sql.ScalarAsync<long>(_database, "SELECT count(*) FROM webhooks.attempts WHERE tenant_id = $1", tenant) > 0,
            "an attempt was recorded");
        var error = await Sql.ScalarAsync<string>(_database, "SELECT error FROM webhooks.attempts WHERE tenant_id = $1 LIMIT 1", tenant);
        Assert.Contains("127.0.0.1, which is not a public internet address", error);
        Assert.Empty(receiver.LogEntries);
    }

    [Fact]
    public void Public_addresses_pass_and_mapped_or_private_ones_do_not()
    {
        var policy = new TargetPolicy(Options.Create(new WebhooksOptions()));
        Assert.Null(policy.ProblemWith(IPAddress.Parse("93.184.216.34")));
        Assert.Null(policy.ProblemWith(IPAddress.Parse("2a00:1450:4001:80b::200e")));
        Assert.NotNull(policy.ProblemWith(IPAddress.Parse("::ffff:127.0.0.1")));
        Assert.NotNull(policy.ProblemWith(IPAddress.Parse("fe80::1")));
        Assert.NotNull(policy.ProblemWith(IPAddress.Parse("224.0.0.1")));
        var development = new TargetPolicy(Options.Create(new WebhooksOptions { AllowLoopbackTargets = true }));
        Assert.Null(development.ProblemWith(IPAddress.Loopback));
        Assert.NotNull(development.ProblemWith(IPAddress.Parse("10.0.0.1")));
    }
}
