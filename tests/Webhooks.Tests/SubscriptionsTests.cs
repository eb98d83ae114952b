using MachCommerce.Hosting.Identity;

namespace MachCommerce.Webhooks.Tests;

public sealed class SubscriptionsTests(WebhooksFixture webhooks) : IClassFixture<WebhooksFixture>
{
    [Fact]
    public async Task An_owner_creates_lists_reads_replaces_and_deletes_a_subscription_and_sees_each_step_in_the_audit_log()
    {
        var tenant = WebhooksFixture.NewTenant();
        var owner = webhooks.Owner(tenant);
        using var created = await owner.PostAsJsonAsync("/subscriptions", new
        {
            url = "http://127.0.0.1:9/hooks", eventTypes = new[] { "product.published", "price.changed" }, description = "ERP Müller",
        });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var body = await created.Content.ReadFromJsonAsync<JsonElement>();
        var secret = body.GetProperty("secret").GetString()!;
        Assert.StartsWith("whsec_", secret, StringComparison.Ordinal);
        Assert.Equal(32, Convert.FromBase64String(secret["whsec_".Length..]).Length);
        var id = body.GetProperty("subscription").GetProperty("id").GetGuid();
        Assert.Equal($"/subscriptions/{id}", created.Headers.Location!.OriginalString);

        using var read = await owner.GetAsync($"/subscriptions/{id}");
        var view = await read.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("\"v1\"", read.Headers.ETag!.Tag);
        Assert.True(view.GetProperty("active").GetBoolean());
        Assert.False(view.TryGetProperty("secret", out _)); // shown once, at creation
        Assert.DoesNotContain(secret, await read.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        var list = await owner.GetFromJsonAsync<JsonElement>("/subscriptions");
        Assert.Equal(id, Assert.Single(list.GetProperty("items").EnumerateArray()).GetProperty("id").GetGuid());

        using var replace = new HttpRequestMessage(HttpMethod.Put, $"/subscriptions/{id}")
        {
            Content = JsonContent.Create(new { url = "http://127.0.0.1:9/v2/hooks", eventTypes = new[] { "product.archived" }, active = false }),
        };
        replace.Headers.IfMatch.ParseAdd("\"v1\"");
        using var replaced = await owner.SendAsync(replace);
        Assert.Equal(HttpStatusCode.OK, replaced.StatusCode);
        var after = await replaced.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("http://127.0.0.1:9/v2/hooks", after.GetProperty("url").GetString());
        Assert.False(after.GetProperty("active").GetBoolean());

        using var stale = new HttpRequestMessage(HttpMethod.Put, $"/subscriptions/{id}")
        {
            Content = JsonContent.Create(new { url = "http://127.0.0.1:9/v3", eventTypes = new[] { "product.archived" } }),
        };
        stale.Headers.IfMatch.ParseAdd("\"v1\"");
        Assert.Equal(HttpStatusCode.PreconditionFailed, (await owner.SendAsync(stale)).StatusCode);

        using var rotated = await owner.PostAsJsonAsync($"/subscriptions/{id}/secret", new { overlapHours = 2 });
        var rotation = await rotated.Content.ReadFromJsonAsync<JsonElement>();
        Assert.NotEqual(secret, rotation.GetProperty("secret").GetString());
        var overlapEnds = rotation.GetProperty("subscription").GetProperty("previousSecretExpiresAt").GetDateTimeOffset();
        Assert.InRange(overlapEnds, DateTimeOffset.UtcNow.AddHours(1.9), DateTimeOffset.UtcNow.AddHours(2.1));

        Assert.Equal(HttpStatusCode.NoContent, (await owner.DeleteAsync($"/subscriptions/{id}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await owner.GetAsync($"/subscriptions/{id}")).StatusCode);

        var audit = await owner.GetFromJsonAsync<JsonElement>("/audit");
        Assert.Equal(["subscription.deleted", "subscription.secret_rotated", "subscription.changed", "subscription.created"],
            audit.GetProperty("items").EnumerateArray().Select(e => e.GetProperty("action").GetString()!).ToArray());
    }

    [Fact]
    public async Task Bad_input_is_a_400_naming_each_field_and_nothing_is_saved()
    {
        var tenant = WebhooksFixture.NewTenant();
        var owner = webhooks.Owner(tenant);
        var payload = new { url = "ftp://example.com/x", eventTypes = new[] { "product.published", "order.created" }, description = new string('x', 501) };
        using var response = await owner.PostAsJsonAsync("/subscriptions", payload);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var errors = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors");
        Assert.Contains("absolute https URL", errors.GetProperty("url")[0].GetString());
        Assert.Contains("\"order.created\" is not an event type", errors.GetProperty("eventTypes[1]")[0].GetString());
        Assert.Contains("at most 500", errors.GetProperty("description")[0].GetString());
        await ProblemAssertions.NotServerErrorAsync(response, payload);

        using var empty = await owner.PostAsJsonAsync("/subscriptions", new { url = "http://127.0.0.1:9/" });
        Assert.Contains("needs at least one", (await empty.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").GetProperty("eventTypes")[0].GetString());

        using var credentials = await owner.PostAsJsonAsync("/subscriptions", new { url = "http://user:pw@127.0.0.1:9/", eventTypes = new[] { "product.published" } });
        Assert.Contains("credentials", (await credentials.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").GetProperty("url")[0].GetString());

        using var overlap = await owner.PostAsJsonAsync($"/subscriptions/{Guid.NewGuid()}/secret", new { overlapHours = 500 });
        Assert.Equal(HttpStatusCode.BadRequest, overlap.StatusCode);

        using var badCursor = await owner.GetAsync("/subscriptions?cursor=abc&limit=1000");
        var listErrors = (await badCursor.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors");
        Assert.True(listErrors.TryGetProperty("cursor", out _) && listErrors.TryGetProperty("limit", out _));

        Assert.Empty((await owner.GetFromJsonAsync<JsonElement>("/subscriptions")).GetProperty("items").EnumerateArray());
    }

    [Fact]
    public async Task Subscribing_needs_webhooks_manage_and_each_event_type_needs_the_scope_that_reads_its_data()
    {
        var tenant = WebhooksFixture.NewTenant();
        using var noScope = await webhooks.Client(tenant, Scopes.CatalogRead).PostAsJsonAsync("/subscriptions",
            new { url = "http://127.0.0.1:9/", eventTypes = new[] { "product.published" } });
        Assert.Equal(HttpStatusCode.Forbidden, noScope.StatusCode);

        // A catalog partner may follow products, not customers.
        var partner = webhooks.Client(tenant, Scopes.WebhooksManage, Scopes.CatalogRead);
        using var profiles = await partner.PostAsJsonAsync("/subscriptions",
            new { url = "http://127.0.0.1:9/", eventTypes = new[] { "product.published", "profile.registered", "erasure.requested" } });
        Assert.Equal(HttpStatusCode.BadRequest, profiles.StatusCode);
        var errors = (await profiles.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors");
        Assert.Equal("needs the scope profiles:read, which this caller does not have.", errors.GetProperty("eventTypes[1]")[0].GetString());
        Assert.True(errors.TryGetProperty("eventTypes[2]", out _));
        Assert.False(errors.TryGetProperty("eventTypes[0]", out _));

        using var products = await partner.PostAsJsonAsync("/subscriptions", new { url = "http://127.0.0.1:9/", eventTypes = new[] { "product.published" } });
        Assert.Equal(HttpStatusCode.Created, products.StatusCode);

        var types = await partner.GetFromJsonAsync<JsonElement>("/event-types");
        Assert.Contains(types.EnumerateArray(), t => t.GetProperty("name").GetString() == "erasure.requested" && t.GetProperty("requiredScope").GetString() == "profiles:read");
    }

    [Fact]
    public async Task One_shop_never_sees_or_changes_another_shops_subscriptions_or_deliveries()
    {
        var shopA = WebhooksFixture.NewTenant();
        var shopB = WebhooksFixture.NewTenant();
        var (id, _) = await webhooks.SubscribeAsync(shopA, "http://127.0.0.1:9/a", "product.published");
        var b = webhooks.Owner(shopB);
        Assert.Equal(HttpStatusCode.NotFound, (await b.GetAsync($"/subscriptions/{id}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await b.PutAsJsonAsync($"/subscriptions/{id}", new { url = "http://127.0.0.1:9/b", eventTypes = new[] { "product.published" } })).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await b.PostAsJsonAsync($"/subscriptions/{id}/secret", new { })).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await b.GetAsync($"/subscriptions/{id}/deliveries")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await b.PostAsJsonAsync($"/subscriptions/{id}/redeliver", new { since = DateTimeOffset.UtcNow.AddHours(-1) })).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await b.DeleteAsync($"/subscriptions/{id}")).StatusCode);
        Assert.Empty((await b.GetFromJsonAsync<JsonElement>("/subscriptions")).GetProperty("items").EnumerateArray());
        Assert.Empty((await b.GetFromJsonAsync<JsonElement>("/audit")).GetProperty("items").EnumerateArray());
        Assert.Equal(HttpStatusCode.OK, (await webhooks.Owner(shopA).GetAsync($"/subscriptions/{id}")).StatusCode);
    }
}
