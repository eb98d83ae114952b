using MachCommerce.Contracts.Gdpr.V1;
using WireMock.Server;

namespace MachCommerce.Webhooks.Tests;

/// <summary>Deliveries to a partner's endpoint, played by WireMock.Net on loopback.</summary>
public sealed class DeliveryTests(WebhooksFixture webhooks) : IClassFixture<WebhooksFixture>
{
    private static IEnumerable<WireMock.Logging.ILogEntry> Posts(WireMockServer receiver) =>
        receiver.LogEntries.Where(e => e.RequestMessage.Method == "POST").OrderBy(e => e.RequestMessage.DateTime);

    private static string Header(WireMock.Logging.ILogEntry entry, string name) =>
        entry.RequestMessage.Headers!.First(h => string.Equals(h.Key, name, StringComparison.OrdinalIgnoreCase)).Value.ToString()!;

    [Fact]
    public async Task An_event_arrives_as_a_Standard_Webhooks_message_whose_signature_the_reference_implementation_verifies()
    {
        using var receiver = WebhooksFixture.NewReceiver();
        receiver.Given(Request.Create().WithPath("/hooks").UsingPost()).RespondWith(Response.Create().WithStatusCode(204));
        var tenant = WebhooksFixture.NewTenant();
        var (id, secret) = await webhooks.SubscribeAsync(tenant, receiver.Url + "/hooks", "product.published", "erasure.requested");
        var product = WebhooksFixture.Product(tenant);
        await webhooks.PublishAsync(product);
        var profileId = Guid.NewGuid();
        await webhooks.PublishAsync(new ErasureRequested { TenantId = tenant, OccurredAt = DateTimeOffset.UtcNow, ErasureId = Guid.NewGuid(), ProfileId = profileId, VisitorIds = ["v-1"] });
        await webhooks.EventuallyAsync(tenant, () => Task.FromResult(Posts(receiver).Count() == 2), "both events arrived");

        var posts = Posts(receiver).ToList();
        var published = JsonDocument.Parse(posts[0].RequestMessage.Body!).RootElement;
        Assert.Equal("product.published", published.GetProperty("type").GetString());
        Assert.Equal(product.Product.ProductId, published.GetProperty("data").GetProperty("product").GetProperty("productId").GetGuid());
        Assert.Equal("Gartenschlauch", published.GetProperty("data").GetProperty("product").GetProperty("name").GetProperty("de").GetString());
        var erasure = JsonDocument.Parse(posts[1].RequestMessage.Body!).RootElement;
        Assert.Equal("erasure.requested", erasure.GetProperty("type").GetString());
        Assert.Equal(profileId, erasure.GetProperty("data").GetProperty("profileId").GetGuid());
        var deadline = erasure.GetProperty("data").GetProperty("deadline").GetDateTimeOffset();
        Assert.InRange(deadline, DateTimeOffset.UtcNow.AddDays(29.9), DateTimeOffset.UtcNow.AddDays(30.1));

        // The reference implementation (npm standardwebhooks) accepts what was sent and refuses a tampered body or a foreign secret.
        var cases = posts.Select(p => new { secret, headers = Headers(p), body = p.RequestMessage.Body }).ToList<object>();
        cases.Add(new { secret, headers = Headers(posts[0]), body = posts[0].RequestMessage.Body!.Replace("19.99", "0.99", StringComparison.Ordinal) });
        cases.Add(new { secret = Dispatch.WebhookSignature.NewSecret(), headers = Headers(posts[0]), body = posts[0].RequestMessage.Body });
        var verdicts = await VerifyWithReferenceAsync(cases);
        Assert.Equal("ok", verdicts[0]);
        Assert.Equal("ok", verdicts[1]);
        Assert.StartsWith("refused", verdicts[2], StringComparison.Ordinal);
        Assert.StartsWith("refused", verdicts[3], StringComparison.Ordinal);

        var log = await webhooks.DeliveriesAsync(tenant, id);
        Assert.All(log.EnumerateArray(), d => Assert.Equal("delivered", d.GetProperty("status").GetString()));
        Assert.Contains(log.EnumerateArray(), d => d.GetProperty("id").GetString() == Header(posts[0], "webhook-id"));
    }

    [Fact]
    public async Task A_secret_rotation_signs_with_both_secrets_until_the_overlap_ends()
    {
        using var receiver = WebhooksFixture.NewReceiver();
        receiver.Given(Request.Create().WithPath("/hooks").UsingPost()).RespondWith(Response.Create().WithStatusCode(200));
        var tenant = WebhooksFixture.NewTenant();
        var (id, oldSecret) = await webhooks.SubscribeAsync(tenant, receiver.Url + "/hooks", "product.published");
        using var rotated = await webhooks.Owner(tenant).PostAsJsonAsync($"/subscriptions/{id}/secret", new { overlapHours = 1 });
        var newSecret = (await rotated.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("secret").GetString()!;
        await webhooks.PublishAsync(WebhooksFixture.Product(tenant));
        await WebhooksFixture.EventuallyAsync(() => Task.FromResult(Posts(receiver).Any()), "the event arrived");
        var post = Posts(receiver).First();
        Assert.Equal(2, Header(post, "webhook-signature").Split(' ').Length);
        var verdicts = await VerifyWithReferenceAsync([
            new { secret = oldSecret, headers = Headers(post), body = post.RequestMessage.Body },
            new { secret = newSecret, headers = Headers(post), body = post.RequestMessage.Body },
        ]);
        Assert.Equal(["ok", "ok"], verdicts);
    }

    [Fact]
    public async Task Errors_and_timeouts_are_retried_with_growing_waits_until_the_receiver_answers()
    {
        using var receiver = WebhooksFixture.NewReceiver();
        var hook = Request.Create().WithPath("/hooks").UsingPost();
        receiver.Given(hook).AtPriority(4).InScenario("flaky").WillSetStateTo("failed once").RespondWith(Response.Create().WithStatusCode(500).WithBody("database down"));
        receiver.Given(hook).AtPriority(3).InScenario("flaky").WhenStateIs("failed once").WillSetStateTo("timed out")
            .RespondWith(Response.Create().WithStatusCode(200).WithDelay(TimeSpan.FromSeconds(3)));
        receiver.Given(hook).AtPriority(2).InScenario("flaky").WhenStateIs("timed out").WillSetStateTo("busy")
            .RespondWith(Response.Create().WithStatusCode(503));
        receiver.Given(hook).AtPriority(1).InScenario("flaky").WhenStateIs("busy").RespondWith(Response.Create().WithStatusCode(200).WithBody("thanks"));
        var tenant = WebhooksFixture.NewTenant();
        var (id, _) = await webhooks.SubscribeAsync(tenant, receiver.Url + "/hooks", "product.published");
        await webhooks.PublishAsync(WebhooksFixture.Product(tenant));

        await webhooks.EventuallyAsync(tenant, async () => (await webhooks.DeliveriesAsync(tenant, id)) is { } log && log.GetArrayLength() == 1
            && log[0].GetProperty("status").GetString() == "delivered", "the delivery succeeded");
        var deliveryId = (await webhooks.DeliveriesAsync(tenant, id))[0].GetProperty("id").GetGuid();
        var detail = await webhooks.Owner(tenant).GetFromJsonAsync<JsonElement>($"/subscriptions/{id}/deliveries/{deliveryId}");
        var attempts = detail.GetProperty("attempts").EnumerateArray().Reverse().ToList();
        // 500, then timeouts until WireMock's delayed answer moves its scenario on (it does so after the 3 s delay), then 503 and 200.
        // On a busy machine a second delayed answer can set the scenario back once more, so a timeout may follow a 503.
        Assert.Equal(500, attempts[0].GetProperty("statusCode").GetInt32());
        Assert.Equal("database down", attempts[0].GetProperty("responseBody").GetString());
        var middle = attempts[1..^1];
        Assert.All(middle, a => Assert.True(a.GetProperty("error").GetString() == "no answer within 1 s"
            || a.GetProperty("statusCode").ValueKind == JsonValueKind.Number && a.GetProperty("statusCode").GetInt32() == 503, a.ToString()));
        var timeouts = middle.Where(a => a.GetProperty("error").GetString() == "no answer within 1 s").ToList();
        Assert.NotEmpty(timeouts);
        Assert.All(timeouts, a => Assert.InRange(a.GetProperty("durationMs").GetInt32(), 900, 2900));
        Assert.Equal(503, attempts[^2].GetProperty("statusCode").GetInt32());
        Assert.Equal(200, attempts[^1].GetProperty("statusCode").GetInt32());
        Assert.Equal("thanks", attempts[^1].GetProperty("responseBody").GetString());

        // Each retry waits at least the first delay (0.2 s, less jitter).
        var times = attempts.Select(a => a.GetProperty("at").GetDateTimeOffset()).ToList();
        Assert.True(times[1] - times[0] >= TimeSpan.FromMilliseconds(150), $"first retry after {(times[1] - times[0]).TotalMilliseconds} ms");
        Assert.True(times[^1] - times[^2] >= TimeSpan.FromMilliseconds(150));

        // The same webhook-id on every attempt: the receiver can tell a retry from a new event.
        Assert.Single(Posts(receiver).Select(p => Header(p, "webhook-id")).Distinct());
    }

    [Fact]
    public async Task Events_of_one_resource_arrive_in_order_even_when_the_first_attempts_fail()
    {
        using var receiver = WebhooksFixture.NewReceiver();
        var hook = Request.Create().WithPath("/hooks").UsingPost();
        // WireMock tries the lowest priority number first; a stateful mapping matches only in its state.
        receiver.Given(hook).AtPriority(3).InScenario("cold start").WillSetStateTo("one down").RespondWith(Response.Create().WithStatusCode(502));
        receiver.Given(hook).AtPriority(2).InScenario("cold start").WhenStateIs("one down").WillSetStateTo("warm").RespondWith(Response.Create().WithStatusCode(502));
        receiver.Given(hook).AtPriority(1).InScenario("cold start").WhenStateIs("warm").RespondWith(Response.Create().WithStatusCode(200));
        var tenant = WebhooksFixture.NewTenant();
        var (id, _) = await webhooks.SubscribeAsync(tenant, receiver.Url + "/hooks", "product.published");
        var productId = Guid.NewGuid();
        for (var version = 1; version <= 12; version++)
        {
            await webhooks.PublishAsync(WebhooksFixture.Product(tenant, productId, version));
        }

        await webhooks.EventuallyAsync(tenant, async () => (await webhooks.DeliveriesAsync(tenant, id, "?status=delivered")).GetArrayLength() == 12, "all twelve were delivered");
        var delivered = Posts(receiver).Where(p => (int)p.ResponseMessage.StatusCode! == 200)
            .Select(p => JsonDocument.Parse(p.RequestMessage.Body!).RootElement.GetProperty("data").GetProperty("product").GetProperty("version").GetInt32())
            .ToList();
        Assert.Equal(Enumerable.Range(1, 12), delivered);
    }

    [Fact]
    public async Task Events_of_one_resource_keep_their_order_when_hundreds_arrive_at_once_and_are_taken_in_together()
    {
        // The fan-out consumes up to 256 messages at once and commits them in batches; the broker's order must survive.
        using var receiver = WebhooksFixture.NewReceiver();
        receiver.Given(Request.Create().WithPath("/hooks").UsingPost()).RespondWith(Response.Create().WithStatusCode(200));
        var tenant = WebhooksFixture.NewTenant();
        await webhooks.SubscribeAsync(tenant, receiver.Url + "/hooks", "product.published");
        var products = Enumerable.Range(0, 4).Select(_ => Guid.NewGuid()).ToArray();
        for (var version = 1; version <= 60; version++)
        {
            foreach (var productId in products)
            {
                await webhooks.PublishAsync(WebhooksFixture.Product(tenant, productId, version));
            }
        }

        await webhooks.EventuallyAsync(tenant, () => Task.FromResult(Posts(receiver).Count() >= 240), "all 240 arrived", TimeSpan.FromSeconds(60));
        var arrivals = Posts(receiver)
            .Select(p => JsonDocument.Parse(p.RequestMessage.Body!).RootElement.GetProperty("data").GetProperty("product"))
            .Select(product => (Id: product.GetProperty("productId").GetGuid(), Version: product.GetProperty("version").GetInt32()))
            .ToList();
        Assert.Equal(240, arrivals.Count);
        Assert.All(products, productId => Assert.Equal(Enumerable.Range(1, 60), arrivals.Where(a => a.Id == productId).Select(a => a.Version)));
    }

    [Fact]
    public async Task A_dead_receiver_holds_only_its_own_slots_while_another_subscription_gets_every_event()
    {
        using var dead = WebhooksFixture.NewReceiver();
        dead.Given(Request.Create().UsingPost()).RespondWith(Response.Create().WithStatusCode(200).WithDelay(TimeSpan.FromSeconds(20)));
        using var alive = WebhooksFixture.NewReceiver();
        alive.Given(Request.Create().UsingPost()).RespondWith(Response.Create().WithStatusCode(200));
        var slow = WebhooksFixture.NewTenant();
        var healthy = WebhooksFixture.NewTenant();
        var (deadId, _) = await webhooks.SubscribeAsync(slow, dead.Url + "/hooks", "product.published");
        var (aliveId, _) = await webhooks.SubscribeAsync(healthy, alive.Url + "/hooks", "product.published");
        for (var i = 0; i < 30; i++)
        {
            await webhooks.PublishAsync(WebhooksFixture.Product(slow));
            await webhooks.PublishAsync(WebhooksFixture.Product(healthy));
        }

        await webhooks.EventuallyAsync(healthy, async () => (await webhooks.DeliveriesAsync(healthy, aliveId, "?status=delivered")).GetArrayLength() == 30,
            "the healthy receiver got all 30", TimeSpan.FromSeconds(20));
        Assert.Equal(30, Posts(alive).Count());
        // The dead one was tried at most two at a time (MaxConcurrencyPerSubscription), and nothing of it was lost.
        var deadLog = await webhooks.DeliveriesAsync(slow, deadId, "?limit=100");
        Assert.Equal(30, deadLog.GetArrayLength());
        Assert.DoesNotContain(deadLog.EnumerateArray(), d => d.GetProperty("status").GetString() == "delivered");
        Assert.All(Posts(alive), p => Assert.DoesNotContain(slow, p.RequestMessage.Body!, StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_subscription_that_keeps_failing_is_switched_off_the_owner_is_told_and_a_redelivery_after_the_fix_sends_what_was_missed()
    {
        using var receiver = WebhooksFixture.NewReceiver();
        receiver.Given(Request.Create().UsingPost()).AtPriority(10).RespondWith(Response.Create().WithStatusCode(500));
        var tenant = WebhooksFixture.NewTenant();
        var owner = webhooks.Owner(tenant);
        var (id, _) = await webhooks.SubscribeAsync(tenant, receiver.Url + "/hooks", "product.published");
        var since = DateTimeOffset.UtcNow.AddSeconds(-1);
        await webhooks.PublishAsync(WebhooksFixture.Product(tenant));

        await WebhooksFixture.EventuallyAsync(async () => !(await owner.GetFromJsonAsync<JsonElement>($"/subscriptions/{id}")).GetProperty("active").GetBoolean(),
            "the subscription was switched off", WebhooksFixture.GiveUpAfter * 4);
        var subscription = await owner.GetFromJsonAsync<JsonElement>($"/subscriptions/{id}");
        Assert.StartsWith($"every attempt failed for {WebhooksFixture.GiveUpAfter.TotalSeconds:0} s", subscription.GetProperty("disabledReason").GetString(), StringComparison.Ordinal);
        var audit = await owner.GetFromJsonAsync<JsonElement>("/audit");
        var disabled = audit.GetProperty("items")[0];
        Assert.Equal("subscription.disabled", disabled.GetProperty("action").GetString());
        Assert.Equal("webhooks-service", disabled.GetProperty("actor").GetString());
        Assert.Equal(1, await Sql.ScalarAsync<long>(webhooks.ConnectionString,
            "SELECT count(*) FROM webhooks.outbox WHERE payload->>'subscriptionId' = $1", id.ToString()));
        Assert.Equal("failed", (await webhooks.DeliveriesAsync(tenant, id))[0].GetProperty("status").GetString());

        // Switched off: a new event is kept but not sent.
        var attemptsBefore = Posts(receiver).Count();
        await webhooks.PublishAsync(WebhooksFixture.Product(tenant));
        await Task.Delay(1500);
        Assert.Equal(attemptsBefore, Posts(receiver).Count());

        // The partner fixes the receiver; the owner switches the subscription on and asks for everything that failed since.
        receiver.Given(Request.Create().UsingPost()).AtPriority(1).RespondWith(Response.Create().WithStatusCode(200));
        Assert.Equal(HttpStatusCode.OK, (await owner.PutAsJsonAsync($"/subscriptions/{id}", new { url = receiver.Url + "/hooks", eventTypes = new[] { "product.published" }, active = true })).StatusCode);
        using var redeliver = await owner.PostAsJsonAsync($"/subscriptions/{id}/redeliver", new { since });
        Assert.Equal(HttpStatusCode.Accepted, redeliver.StatusCode);
        Assert.Equal(2, (await redeliver.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("deliveries").GetInt32());
        await WebhooksFixture.EventuallyAsync(async () => (await webhooks.DeliveriesAsync(tenant, id, "?status=delivered")).GetArrayLength() == 2, "both were delivered");
        Assert.Equal(2, Posts(receiver).Count(p => (int)p.ResponseMessage.StatusCode! == 200));
    }

    [Fact]
    public async Task One_delivery_can_be_sent_again_with_the_same_webhook_id()
    {
        using var receiver = WebhooksFixture.NewReceiver();
        receiver.Given(Request.Create().UsingPost()).RespondWith(Response.Create().WithStatusCode(200));
        var tenant = WebhooksFixture.NewTenant();
        var (id, _) = await webhooks.SubscribeAsync(tenant, receiver.Url + "/hooks", "product.published");
        await webhooks.PublishAsync(WebhooksFixture.Product(tenant));
        await webhooks.EventuallyAsync(tenant, async () => (await webhooks.DeliveriesAsync(tenant, id, "?status=delivered")).GetArrayLength() == 1, "delivered");
        var deliveryId = (await webhooks.DeliveriesAsync(tenant, id))[0].GetProperty("id").GetString();
        // Usually one post so far; on a busy machine the first attempt can outlast its timeout after the receiver got it,
        // and the retry that delivered is a second post of the same delivery. Sent again means one more than now.
        var sentBefore = Posts(receiver).Count();

        Assert.Equal(HttpStatusCode.Accepted, (await webhooks.Owner(tenant).PostAsync($"/subscriptions/{id}/deliveries/{deliveryId}/redeliver", null)).StatusCode);
        await webhooks.EventuallyAsync(tenant, () => Task.FromResult(Posts(receiver).Count() > sentBefore), "sent again");
        Assert.All(Posts(receiver), p => Assert.Equal(deliveryId, Header(p, "webhook-id")));
        Assert.Equal(HttpStatusCode.NotFound, (await webhooks.Owner(tenant).PostAsync($"/subscriptions/{id}/deliveries/{Guid.NewGuid()}/redeliver", null)).StatusCode);
    }

    [Fact]
    public async Task Events_reach_only_their_own_shops_subscriptions()
    {
        using var receiver = WebhooksFixture.NewReceiver();
        receiver.Given(Request.Create().UsingPost()).RespondWith(Response.Create().WithStatusCode(200));
        var shopA = WebhooksFixture.NewTenant();
        var shopB = WebhooksFixture.NewTenant();
        await webhooks.SubscribeAsync(shopA, receiver.Url + "/a", "product.published");
        await webhooks.SubscribeAsync(shopB, receiver.Url + "/b", "product.published");
        await webhooks.PublishAsync(WebhooksFixture.Product(shopA));
        await WebhooksFixture.EventuallyAsync(() => Task.FromResult(Posts(receiver).Any()), "A's event arrived");
        await Task.Delay(500);
        var post = Assert.Single(Posts(receiver));
        Assert.Equal("/a", post.RequestMessage.Path);
    }

    private static Dictionary<string, string> Headers(WireMock.Logging.ILogEntry entry) => new()
    {
        ["webhook-id"] = Header(entry, "webhook-id"),
        ["webhook-timestamp"] = Header(entry, "webhook-timestamp"),
        ["webhook-signature"] = Header(entry, "webhook-signature"),
    };

    private static async Task<string[]> VerifyWithReferenceAsync(IReadOnlyList<object> cases)
    {
        var folder = Path.Combine(RepositoryPaths.FindRoot(), "tests", "Webhooks.Tests", "standard-webhooks");
        await NodePackages.EnsureRestoredAsync(folder, "standardwebhooks");
        var input = Path.GetTempFileName();
        try
        {
            await File.WriteAllTextAsync(input, JsonSerializer.Serialize(cases));
            return (await NodePackages.RunAsync(folder, "verify.mjs", input)).Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        }
        finally
        {
            File.Delete(input);
        }
    }
}
