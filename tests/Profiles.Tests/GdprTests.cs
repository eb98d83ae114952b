using MachCommerce.Contracts.Gdpr.V1;
using RabbitMQ.Client;

namespace MachCommerce.Profiles.Tests;

public sealed class GdprTests(ProfilesFixture profiles) : IClassFixture<ProfilesFixture>
{
    private readonly string _tenant = ProfilesFixture.NewTenant();

    private HttpClient Admin => profiles.Client(_tenant);

    private async Task<Guid> CustomerWithHistoryAsync(string email, string lastName = "Huber")
    {
        var id = (await Admin.CreateAsync(ProfileRequests.Person(email, "Greta", lastName, externalId: "K-" + email.GetHashCode(StringComparison.Ordinal)))).GetProperty("id").GetGuid();
        await Admin.PutAsJsonAsync($"/profiles/{id}/consents/personalization", new { granted = true, source = "storefront", policyVersion = "2026-01" });
        await Admin.PostAsJsonAsync($"/profiles/{id}/visitors", new { visitorId = "v-" + Guid.NewGuid().ToString("N")[..12] });
        return id;
    }

    [Fact]
    public async Task The_export_holds_profile_consents_visitors_and_every_data_holders_part()
    {
        var id = await CustomerWithHistoryAsync("export@example.de");

        var response = await Admin.GetAsync($"/profiles/{id}/export");
        var export = await response.Content.ReadFromJsonAsync<JsonElement>();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("export@example.de", export.GetProperty("profile").GetProperty("email").GetString());
        Assert.Equal("2026-01", export.GetProperty("consentHistory")[0].GetProperty("policy_version").GetString());
        Assert.Equal(1, export.GetProperty("visitors").GetArrayLength());
        var part = export.GetProperty("services").GetProperty("personalization");
        Assert.Equal(id, part.GetProperty("profileId").GetGuid());
        Assert.Equal(_tenant, part.GetProperty("tenant").GetString());
    }

    [Fact]
    public async Task A_data_holder_that_stumbles_once_is_asked_again_and_the_export_completes()
    {
        var id = await CustomerWithHistoryAsync("stumble@example.de");
        var asked = profiles.Personalization.AssertionsSeen.Count;
        profiles.Personalization.StumbleTimes = 1;

        var response = await Admin.GetAsync($"/profiles/{id}/export");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(asked + 2, profiles.Personalization.AssertionsSeen.Count);
    }

    [Fact]
    public async Task An_export_with_a_data_holder_down_is_a_503_naming_it_not_a_partial_document()
    {
        var id = await CustomerWithHistoryAsync("partial@example.de");
        profiles.Personalization.Failing = true;
        try
        {
            var response = await Admin.GetAsync($"/profiles/{id}/export");

            Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
            Assert.Equal("personalization", (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("service").GetString());
        }
        finally
        {
            profiles.Personalization.Failing = false;
        }
    }

    [Fact]
    public async Task Erasure_deletes_the_profile_everywhere_here_asks_the_others_and_completes_when_they_confirm()
    {
        await using var connection = await new ConnectionFactory { Uri = profiles.Broker }.CreateConnectionAsync();
        await using var channel = await connection.CreateChannelAsync();
        var queue = await channel.ListenAsync<ErasureRequested>();

        var id = await CustomerWithHistoryAsync("erase.me@example.de", "Vogelsang");
        var visitors = await Admin.GetFromJsonAsync<JsonElement>($"/profiles/{id}/visitors");

        var response = await Admin.PostAsync($"/profiles/{id}/erasure", null);
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var erasureId = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("erasureId").GetGuid();
        Assert.Equal(HttpStatusCode.NotFound, (await Admin.GetAsync($"/profiles/{id}")).StatusCode);

        // Asking again is answered with the same erasure.
        var again = await Admin.PostAsync($"/profiles/{id}/erasure", null);
        Assert.Equal(erasureId, (await again.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("erasureId").GetGuid());

        var status = await Admin.GetFromJsonAsync<JsonElement>($"/erasures/{erasureId}");
        Assert.Equal("pending", status.GetProperty("status").GetString());
        Assert.NotEqual(JsonValueKind.Null, status.GetProperty("services").GetProperty("profiles").ValueKind);
        Assert.Equal(JsonValueKind.Null, status.GetProperty("services").GetProperty("personalization").ValueKind);

        var request = await channel.NextEventAsync(queue, e => e.GetProperty("erasureId").GetGuid() == erasureId);
        Assert.Equal(id, request.GetProperty("profileId").GetGuid());
        Assert.Equal(visitors[0].GetProperty("visitorId").GetString(), request.GetProperty("visitorIds")[0].GetString());

        await PublishConfirmationAsync(channel, erasureId, "personalization");
        for (var attempt = 0; attempt < 100 && status.GetProperty("status").GetString() != "complete"; attempt++)
        {
            await Task.Delay(100);
            status = await Admin.GetFromJsonAsync<JsonElement>($"/erasures/{erasureId}");
        }

        Assert.Equal("complete", status.GetProperty("status").GetString());

        // No row anywhere in this service's database names the person any more.
        foreach (var needle in new[] { id.ToString(), "erase.me@example.de", "Vogelsang" })
        {
            Assert.Equal([], await RowsContainingAsync(needle));
        }
    }

    [Fact]
    public async Task Another_tenant_can_neither_erase_nor_see_the_erasure()
    {
        var id = await CustomerWithHistoryAsync("kept@example.de");
        var other = profiles.Client(ProfilesFixture.NewTenant());

        Assert.Equal(HttpStatusCode.NotFound, (await other.PostAsync($"/profiles/{id}/erasure", null)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await other.GetAsync($"/profiles/{id}/export")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await Admin.GetAsync($"/profiles/{id}")).StatusCode);

        var erasureId = (await (await Admin.PostAsync($"/profiles/{id}/erasure", null)).Content.ReadFromJsonAsync<JsonElement>()).GetProperty("erasureId").GetGuid();
        Assert.Equal(HttpStatusCode.NotFound, (await other.GetAsync($"/erasures/{erasureId}")).StatusCode);
    }

    private async Task<List<string>> RowsContainingAsync(string needle)
    {
        // The outbox keeps the erasure request only until the broker confirmed it; give the relay a moment.
        var hits = new List<string>();
        for (var attempt = 0; attempt < 50; attempt++)
        {
            hits.Clear();
            await using var connection = new NpgsqlConnection(profiles.ConnectionString);
            await connection.OpenAsync();
            var tables = new List<string>();
            await using (var list = new NpgsqlCommand(
                "SELECT format('%I.%I', table_schema, table_name) FROM information_schema.tables WHERE table_type = 'BASE TABLE' AND table_schema NOT IN ('pg_catalog', 'information_schema')", connection))
            await using (var reader = await list.ExecuteReaderAsync())
            {
                while (await reader.ReadAsync())
                {
                    tables.Add(reader.GetString(0));
                }
            }

            foreach (var table in tables)
            {
                await using var search = new NpgsqlCommand($"SELECT count(*) FROM {table} t WHERE strpos(lower(t::text), lower($1)) > 0", connection);
                search.Parameters.Add(new() { Value = needle });
                if ((long)(await search.ExecuteScalarAsync())! > 0)
                {
                    hits.Add(table);
                }
            }

            if (hits.Count == 0)
            {
                break;
            }

            await Task.Delay(100);
        }

        return hits;
    }

    /// <summary>What the data holder would publish.</summary>
    private Task PublishConfirmationAsync(IChannel channel, Guid erasureId, string service) =>
        channel.PublishEventAsync(new ErasureConfirmed { TenantId = _tenant, OccurredAt = DateTimeOffset.UtcNow, ErasureId = erasureId, Service = service });
}
