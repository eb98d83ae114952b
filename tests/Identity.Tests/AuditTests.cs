namespace MachCommerce.Identity.Tests;

/// <summary>
/// The owner's audit log: every change to the shop's partner clients, by whom, and every refused token request of a
/// client of the shop, with the reason the partner itself is not told; never another shop's entries.
/// </summary>
public sealed class AuditTests(IdentityFixture identity) : IClassFixture<IdentityFixture>
{
    [Fact]
    public async Task The_audit_log_shows_who_made_rotated_and_deleted_a_client_and_each_refused_token_request_newest_first()
    {
        var tenant = IdentityFixture.NewTenant();
        var other = IdentityFixture.NewTenant();
        var owner = identity.Owner(tenant);
        var (clientId, secret) = await identity.CreateClientAsync(tenant, Scopes.CatalogRead);
        using (await identity.RequestTokenAsync(clientId, secret + "-wrong"))
        {
        }

        (await owner.PostAsync($"/clients/{clientId}/secret", null)).EnsureSuccessStatusCode();
        (await owner.DeleteAsync($"/clients/{clientId}")).EnsureSuccessStatusCode();
        await identity.CreateClientAsync(other, Scopes.CatalogRead);

        var entries = new List<JsonElement>();
        string? cursor = null;
        do
        {
            var page = await owner.GetFromJsonAsync<JsonElement>($"/audit?limit=2{(cursor is null ? "" : "&cursor=" + cursor)}");
            entries.AddRange(page.GetProperty("items").EnumerateArray());
            cursor = page.GetProperty("nextCursor").GetString();
        }
        while (cursor is not null);

        Assert.Equal(["client.deleted", "client.secret_rotated", "client.token_refused", "client.created"], entries.Select(e => e.GetProperty("action").GetString()));
        Assert.All(entries, e => Assert.Equal(clientId, e.GetProperty("clientId").GetString()));
        // The owner's key (the test's assertion subject) made, rotated and deleted it; the refusal names the client and why.
        Assert.Equal(entries[0].GetProperty("actor").GetString(), entries[3].GetProperty("actor").GetString());
        Assert.Equal(clientId, entries[2].GetProperty("actor").GetString());
        Assert.False(string.IsNullOrEmpty(entries[2].GetProperty("detail").GetString()));
        Assert.Contains("catalog:read", entries[3].GetProperty("detail").GetString(), StringComparison.Ordinal);

        // Another shop's owner sees only its own client's creation.
        var theirs = await identity.Owner(other).GetFromJsonAsync<JsonElement>("/audit");
        Assert.Equal(["client.created"], theirs.GetProperty("items").EnumerateArray().Select(e => e.GetProperty("action").GetString()));
    }

    [Fact]
    public async Task Only_an_owner_reads_the_audit_log_and_bad_paging_names_the_parameter()
    {
        var tenant = IdentityFixture.NewTenant();
        Assert.Equal(HttpStatusCode.Forbidden, (await identity.Client(tenant, [.. Scopes.All]).GetAsync("/audit")).StatusCode);
        var owner = identity.Owner(tenant);
        using var badCursor = await owner.GetAsync("/audit?cursor=yesterday");
        Assert.True((await badCursor.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").TryGetProperty("cursor", out _));
        using var badLimit = await owner.GetAsync("/audit?limit=0");
        Assert.True((await badLimit.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").TryGetProperty("limit", out _));
    }
}
