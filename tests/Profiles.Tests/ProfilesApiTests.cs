using System.Net.Http.Headers;
using MachCommerce.Hosting.Identity;

namespace MachCommerce.Profiles.Tests;

public sealed class ProfilesApiTests(ProfilesFixture profiles) : IClassFixture<ProfilesFixture>
{
    private readonly string _tenant = ProfilesFixture.NewTenant();

    private HttpClient Admin => profiles.Client(_tenant);

    [Fact]
    public async Task A_profile_reads_back_by_id_external_id_and_normalised_email()
    {
        var created = await Admin.CreateAsync(ProfileRequests.Person("Anna.Huber@Example.DE", externalId: "K-1001"));
        var id = created.GetProperty("id").GetGuid();
        Assert.Equal("anna.huber@example.de", created.GetProperty("email").GetString());

        foreach (var path in new[] { $"/profiles/{id}", "/profiles/by-external-id/K-1001", "/profiles/by-email/ANNA.HUBER@example.de" })
        {
            var response = await Admin.GetAsync(path);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal(id, (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid());
            Assert.Equal("\"v1\"", response.Headers.ETag!.Tag);
        }
    }

    [Fact]
    public async Task A_company_account_keeps_its_b2b_facts()
    {
        var created = await Admin.CreateAsync(new
        {
            kind = "company", externalId = "F-77", email = "einkauf@bau-maier.de", companyName = "Bau Maier GmbH", vatId = "de 123456789",
            customerGroup = "Fachhandel", contacts = new[] { new { name = "Josef Maier", email = "josef@bau-maier.de", role = "Einkauf" } },
        });

        Assert.Equal("DE123456789", created.GetProperty("vatId").GetString());
        Assert.Equal("fachhandel", created.GetProperty("customerGroup").GetString());
        Assert.Equal("Josef Maier", created.GetProperty("contacts")[0].GetProperty("name").GetString());
    }

    [Fact]
    public async Task Invalid_input_is_a_400_naming_every_field_and_stores_nothing()
    {
        var response = await Admin.PostAsJsonAsync("/profiles", new
        {
            kind = "company", email = "not-an-email", vatId = "123", locale = "fr", customerGroup = "Fach Handel",
            traits = new Dictionary<string, object> { ["Bad Key"] = 1, ["nested"] = new { a = 1 } },
            addresses = new[] { new { city = "", postalCode = "1", country = "Germany" } },
        });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var errors = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors");
        foreach (var field in new[] { "email", "companyName", "vatId", "locale", "customerGroup", "traits.Bad Key", "traits.nested", "addresses[0]" })
        {
            Assert.True(errors.TryGetProperty(field, out _), $"no error for {field}: {errors}");
        }

        Assert.Equal(0L, await profiles.ScalarAsync<long>("SELECT count(*) FROM profiles.profiles WHERE tenant_id = $1", _tenant));
    }

    [Fact]
    public async Task Malformed_json_is_a_400_and_duplicates_are_409_naming_the_field()
    {
        var malformed = await Admin.PostAsync("/profiles", new StringContent("{\"email\": [", Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.BadRequest, malformed.StatusCode);

        await Admin.CreateAsync(ProfileRequests.Person("dup@example.de", externalId: "K-DUP"));
        var sameEmail = await Admin.PostAsJsonAsync("/profiles", ProfileRequests.Person("DUP@example.de", externalId: "K-OTHER"));
        Assert.Equal(HttpStatusCode.Conflict, sameEmail.StatusCode);
        Assert.True((await sameEmail.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").TryGetProperty("email", out _));
        var sameExternalId = await Admin.PostAsJsonAsync("/profiles", ProfileRequests.Person("other@example.de", externalId: "K-DUP"));
        Assert.Equal(HttpStatusCode.Conflict, sameExternalId.StatusCode);
        Assert.True((await sameExternalId.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").TryGetProperty("externalId", out _));
    }

    [Fact]
    public async Task An_oversized_body_is_a_413_and_a_wrong_content_type_a_415()
    {
        var huge = new StringContent("{\"email\":\"" + new string('x', 2 * 1024 * 1024) + "\"}", Encoding.UTF8, "application/json");
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, (await Admin.PostAsync("/profiles", huge)).StatusCode);
        Assert.Equal(HttpStatusCode.UnsupportedMediaType, (await Admin.PostAsync("/profiles", new StringContent("email=x", Encoding.UTF8, "text/plain"))).StatusCode);
        Assert.Equal(0L, await profiles.ScalarAsync<long>("SELECT count(*) FROM profiles.profiles WHERE tenant_id = $1", _tenant));
    }

    [Fact]
    public async Task A_replace_needs_the_current_version()
    {
        var id = (await Admin.CreateAsync(ProfileRequests.Person("ver@example.de"))).GetProperty("id").GetGuid();
        Assert.Equal(HttpStatusCode.PreconditionRequired, (await Admin.PutAsJsonAsync($"/profiles/{id}", ProfileRequests.Person("ver@example.de", "Berta"))).StatusCode);

        Assert.Equal(HttpStatusCode.OK, (await Put(id, "\"v1\"", ProfileRequests.Person("ver@example.de", "Berta", group: "fachhandel"))).StatusCode);
        Assert.Equal(HttpStatusCode.PreconditionFailed, (await Put(id, "\"v1\"", ProfileRequests.Person("ver@example.de", "Clara"))).StatusCode);

        var events = await profiles.EventsAsync(_tenant);
        Assert.Equal(["ProfileRegistered", "ProfileChanged"], events.Select(e => e.Type));
        Assert.Equal("fachhandel", events[1].Payload.GetProperty("customerGroup").GetString());
    }

    [Fact]
    public async Task Consents_keep_their_whole_history_and_every_change_is_published()
    {
        var id = (await Admin.CreateAsync(ProfileRequests.Person("consent@example.de"))).GetProperty("id").GetGuid();

        var current = await Admin.GetFromJsonAsync<JsonElement>($"/profiles/{id}/consents");
        Assert.All(current.EnumerateArray(), c => Assert.False(c.GetProperty("granted").GetBoolean())); // opt-in

        Assert.Equal(HttpStatusCode.NoContent, (await Admin.PutAsJsonAsync($"/profiles/{id}/consents/personalization", new { granted = true, source = "storefront", policyVersion = "2026-01" })).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await Admin.PutAsJsonAsync($"/profiles/{id}/consents/personalization", new { granted = false, source = "app", policyVersion = "2026-03" })).StatusCode);

        var history = await Admin.GetFromJsonAsync<JsonElement>($"/profiles/{id}/consents/history");
        Assert.Equal([true, false], history.EnumerateArray().Select(c => c.GetProperty("granted").GetBoolean()));
        Assert.Equal("2026-01", history[0].GetProperty("policyVersion").GetString());
        Assert.Equal("test", history[1].GetProperty("recordedBy").GetString());
        var personalization = (await Admin.GetFromJsonAsync<JsonElement>($"/profiles/{id}/consents")).EnumerateArray().Single(c => c.GetProperty("purpose").GetString() == "personalization");
        Assert.False(personalization.GetProperty("granted").GetBoolean());
        Assert.Equal("app", personalization.GetProperty("source").GetString());

        var withdrawal = (await profiles.EventsAsync(_tenant)).Last();
        Assert.Equal("ConsentChanged", withdrawal.Type);
        Assert.False(withdrawal.Payload.GetProperty("granted").GetBoolean());

        // The history is append-only even for the service's own database role.
        await using var connection = new NpgsqlConnection(profiles.ConnectionString);
        await connection.OpenAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        await using (var role = new NpgsqlCommand("SELECT set_config('role', 'profiles_app', true), set_config('app.tenant_id', $1, true)", connection, transaction))
        {
            role.Parameters.Add(new() { Value = _tenant });
            await role.ExecuteNonQueryAsync();
        }

        await using var rewrite = new NpgsqlCommand("UPDATE profiles.consent_history SET granted = true", connection, transaction);
        Assert.Equal(PostgresErrorCodes.InsufficientPrivilege, (await Assert.ThrowsAsync<PostgresException>(() => rewrite.ExecuteNonQueryAsync())).SqlState);
    }

    [Theory]
    [InlineData("unknown", "{\"granted\": true, \"source\": \"storefront\", \"policyVersion\": \"1\"}", "purpose")]
    [InlineData("analytics", "{\"granted\": true, \"policyVersion\": \"1\"}", "source")]
    [InlineData("analytics", "{\"granted\": true, \"source\": \"fax\", \"policyVersion\": \"1\"}", "source")]
    [InlineData("analytics", "{\"source\": \"app\", \"policyVersion\": \"1\"}", "granted")]
    [InlineData("analytics", "{\"granted\": true, \"source\": \"app\"}", "policyVersion")]
    public async Task A_consent_change_without_its_facts_is_a_400(string purpose, string body, string field)
    {
        var id = (await Admin.CreateAsync(ProfileRequests.Person($"c{Guid.NewGuid():N}@example.de"))).GetProperty("id").GetGuid();

        var response = await Admin.PutAsync($"/profiles/{id}/consents/{purpose}", new StringContent(body, Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.True((await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").TryGetProperty(field, out _));
    }

    [Fact]
    public async Task Linking_a_visitor_publishes_the_merge_once_and_a_visitor_belongs_to_one_profile()
    {
        var anna = (await Admin.CreateAsync(ProfileRequests.Person("visitor@example.de"))).GetProperty("id").GetGuid();
        var bernd = (await Admin.CreateAsync(ProfileRequests.Person("bernd@example.de", "Bernd"))).GetProperty("id").GetGuid();

        Assert.Equal(HttpStatusCode.Created, (await Admin.PostAsJsonAsync($"/profiles/{anna}/visitors", new { visitorId = "v-0123456789" })).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await Admin.PostAsJsonAsync($"/profiles/{anna}/visitors", new { visitorId = "v-0123456789" })).StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, (await Admin.PostAsJsonAsync($"/profiles/{bernd}/visitors", new { visitorId = "v-0123456789" })).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await Admin.PostAsJsonAsync($"/profiles/{anna}/visitors", new { visitorId = "x" })).StatusCode);

        var linked = (await profiles.EventsAsync(_tenant)).Where(e => e.Type == "VisitorLinked").ToList();
        Assert.Single(linked);
        Assert.Equal(anna, linked[0].Payload.GetProperty("profileId").GetGuid());
        Assert.Equal("v-0123456789", linked[0].Payload.GetProperty("visitorId").GetString());
    }

    [Fact]
    public async Task Listing_filters_by_name_email_prefix_kind_and_group_and_pages_by_cursor()
    {
        await Admin.CreateAsync(ProfileRequests.Person("lisa.berger@example.de", "Lisa", "Berger", group: "fachhandel"));
        await Admin.CreateAsync(ProfileRequests.Person("max.berger@example.de", "Max", "Berger"));
        await Admin.CreateAsync(ProfileRequests.Person("paul_x@example.de", "Paul", "Schmid"));
        await Admin.CreateAsync(new { kind = "company", email = "info@berger-bau.de", companyName = "Berger Bau KG" });

        async Task<string[]> Emails(string query) =>
            [.. (await Admin.GetFromJsonAsync<JsonElement>($"/profiles?{query}")).GetProperty("items").EnumerateArray().Select(p => p.GetProperty("email").GetString()!).Order()];

        Assert.Equal(["info@berger-bau.de", "lisa.berger@example.de", "max.berger@example.de"], await Emails("q=berger"));
        Assert.Equal(["max.berger@example.de"], await Emails("emailPrefix=max"));
        Assert.Equal(["info@berger-bau.de"], await Emails("kind=company"));
        Assert.Equal(["lisa.berger@example.de"], await Emails("customerGroup=fachhandel"));
        Assert.Equal(["paul_x@example.de"], await Emails("emailPrefix=paul_")); // '_' is a character, not a wildcard
        Assert.Empty(await Emails("emailPrefix=%25"));

        var seen = new List<string>();
        string? cursor = null;
        do
        {
            var page = await Admin.GetFromJsonAsync<JsonElement>($"/profiles?limit=3{(cursor is null ? "" : "&cursor=" + cursor)}");
            seen.AddRange(page.GetProperty("items").EnumerateArray().Select(p => p.GetProperty("email").GetString()!));
            cursor = page.GetProperty("nextCursor").GetString();
        }
        while (cursor is not null);
        Assert.Equal(4, seen.Distinct().Count());
        Assert.Equal(HttpStatusCode.BadRequest, (await Admin.GetAsync("/profiles?limit=1000")).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await Admin.GetAsync("/profiles?cursor=%%%")).StatusCode);
    }

    [Fact]
    public async Task Batch_get_answers_in_order_and_names_the_missing()
    {
        var first = (await Admin.CreateAsync(ProfileRequests.Person("b1@example.de"))).GetProperty("id").GetGuid();
        var second = (await Admin.CreateAsync(ProfileRequests.Person("b2@example.de"))).GetProperty("id").GetGuid();
        var missing = Guid.NewGuid();

        var body = await (await Admin.PostAsJsonAsync("/profiles/batch-get", new { ids = new[] { second, missing, first } })).Content.ReadFromJsonAsync<JsonElement>();

        Assert.Equal([second, first], body.GetProperty("items").EnumerateArray().Select(p => p.GetProperty("id").GetGuid()));
        Assert.Equal(missing, body.GetProperty("missing")[0].GetGuid());
    }

    [Fact]
    public async Task Another_tenant_can_neither_read_nor_change_nor_find_the_profile()
    {
        var id = (await Admin.CreateAsync(ProfileRequests.Person("secret@example.de", externalId: "K-SECRET"))).GetProperty("id").GetGuid();
        var other = profiles.Client(ProfilesFixture.NewTenant());

        Assert.Equal(HttpStatusCode.NotFound, (await other.GetAsync($"/profiles/{id}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await other.GetAsync("/profiles/by-email/secret@example.de")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await other.GetAsync("/profiles/by-external-id/K-SECRET")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await Put(id, "\"v1\"", ProfileRequests.Person("hijack@example.de"), other)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await other.PutAsJsonAsync($"/profiles/{id}/consents/analytics", new { granted = true, source = "app", policyVersion = "1" })).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await other.GetAsync($"/profiles/{id}/consents/history")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await other.PostAsJsonAsync($"/profiles/{id}/visitors", new { visitorId = "v-hijacker-1" })).StatusCode);
        Assert.Empty((await other.GetFromJsonAsync<JsonElement>("/profiles?emailPrefix=secret")).GetProperty("items").EnumerateArray());
        Assert.Empty((await (await other.PostAsJsonAsync("/profiles/batch-get", new { ids = new[] { id } })).Content.ReadFromJsonAsync<JsonElement>()).GetProperty("items").EnumerateArray());
        // The same e-mail is free in another shop.
        await other.CreateAsync(ProfileRequests.Person("secret@example.de"));
        Assert.Equal("Anna", (await Admin.GetFromJsonAsync<JsonElement>($"/profiles/{id}")).GetProperty("firstName").GetString());
    }

    [Fact]
    public async Task A_storefront_key_without_profile_scopes_is_forbidden()
    {
        var storefront = profiles.Client(_tenant, Scopes.CatalogRead);

        Assert.Equal(HttpStatusCode.Forbidden, (await storefront.GetAsync("/profiles")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await storefront.PostAsJsonAsync("/profiles", ProfileRequests.Person("x@example.de"))).StatusCode);
    }

    private Task<HttpResponseMessage> Put(Guid id, string etag, object body, HttpClient? client = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Put, $"/profiles/{id}") { Content = JsonContent.Create(body) };
        request.Headers.IfMatch.Add(new EntityTagHeaderValue(etag));
        return (client ?? Admin).SendAsync(request);
    }
}
