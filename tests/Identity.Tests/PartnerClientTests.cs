using System.Net.Http.Headers;
using System.Text;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace MachCommerce.Identity.Tests;

/// <summary>
/// A shop owner's partner clients and the OAuth 2.0 client credentials grant, against the real identity service and
/// PostgreSQL: the token is a JWT signed ES256 with a key the JWKS publishes, for the gateway, naming client, tenant
/// and scopes; everything a client gets wrong is an OAuth error, everything an owner gets wrong a 400 with the field.
/// </summary>
public sealed class PartnerClientTests(IdentityFixture identity) : IClassFixture<IdentityFixture>
{
    [Fact]
    public async Task A_partner_client_gets_a_signed_access_token_for_the_gateway_with_its_tenant_and_scopes()
    {
        var tenant = IdentityFixture.NewTenant();
        var (clientId, secret) = await identity.CreateClientAsync(tenant, Scopes.CatalogRead, Scopes.ProfilesRead);

        using var response = await identity.RequestTokenAsync(clientId, secret);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("Bearer", body.GetProperty("token_type").GetString());
        Assert.InRange(body.GetProperty("expires_in").GetInt32(), 240, 300);

        var token = new JsonWebToken(body.GetProperty("access_token").GetString());
        Assert.Equal("ES256", token.Alg);
        Assert.Equal("at+jwt", token.Typ);
        Assert.Equal(IdentityFixture.Issuer, token.Issuer);
        Assert.Equal(["mach-gateway"], token.Audiences);
        Assert.Equal(clientId, token.Subject);
        Assert.Equal(tenant, token.GetPayloadValue<string>("ten"));
        Assert.Equal("catalog:read profiles:read", token.GetPayloadValue<string>("scope"));
        // The partner plan unless the owner chose another: the gateway applies it from the token.
        Assert.Equal(1_000, token.GetPayloadValue<int>("rps"));
        Assert.Equal(2_000, token.GetPayloadValue<int>("burst"));

        // The signature checks out with a key from the published set, found by its kid.
        var keys = new JsonWebKeySet(await identity.Anonymous().GetStringAsync("/.well-known/jwks"));
        var validation = await new JsonWebTokenHandler().ValidateTokenAsync(token.EncodedToken, new TokenValidationParameters
        {
            ValidIssuer = IdentityFixture.Issuer,
            ValidAudience = "mach-gateway",
            ValidTypes = ["at+jwt"],
            IssuerSigningKeys = keys.GetSigningKeys(),
        });
        Assert.True(validation.IsValid, validation.Exception?.Message);
    }

    [Fact]
    public async Task A_client_may_ask_for_fewer_scopes_never_for_more()
    {
        var tenant = IdentityFixture.NewTenant();
        var (clientId, secret) = await identity.CreateClientAsync(tenant, Scopes.CatalogRead, Scopes.CatalogWrite);

        using var fewer = await identity.RequestTokenAsync(clientId, secret, Scopes.CatalogRead);
        var token = new JsonWebToken((await fewer.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("access_token").GetString());
        Assert.Equal(Scopes.CatalogRead, token.GetPayloadValue<string>("scope"));

        // OpenIddict calls a scope the client was not given an invalid request (invalid_scope is for scopes nobody knows).
        using var more = await identity.RequestTokenAsync(clientId, secret, $"{Scopes.CatalogRead} {Scopes.ProfilesWrite}");
        await AssertOAuthError(more, HttpStatusCode.BadRequest, "invalid_request");

        using var unknown = await identity.RequestTokenAsync(clientId, secret, "everything");
        await AssertOAuthError(unknown, HttpStatusCode.BadRequest, "invalid_scope");
    }

    [Fact]
    public async Task A_wrong_secret_an_unknown_client_and_another_grant_are_oauth_errors_that_give_nothing_away()
    {
        var (clientId, secret) = await identity.CreateClientAsync(IdentityFixture.NewTenant(), Scopes.CatalogRead);

        using var wrong = await identity.RequestTokenAsync(clientId, secret + "x");
        using var unknown = await identity.RequestTokenAsync("mcp_" + Guid.NewGuid().ToString("N"), secret);
        var wrongError = await AssertOAuthError(wrong, HttpStatusCode.Unauthorized, "invalid_client");
        var unknownError = await AssertOAuthError(unknown, HttpStatusCode.Unauthorized, "invalid_client");
        // The same words for a wrong secret and a client that does not exist: no telling which client ids are real.
        Assert.Equal(wrongError.GetProperty("error_description").GetString(), unknownError.GetProperty("error_description").GetString());

        using var password = await identity.Anonymous().PostAsync("/connect/token", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "password", ["username"] = "a", ["password"] = "b", ["client_id"] = clientId, ["client_secret"] = secret,
        }));
        await AssertOAuthError(password, HttpStatusCode.BadRequest, "unsupported_grant_type");

        using var empty = await identity.Anonymous().PostAsync("/connect/token", new FormUrlEncodedContent([]));
        await AssertOAuthError(empty, HttpStatusCode.BadRequest, "invalid_request");
    }

    [Fact]
    public async Task The_secret_may_be_sent_with_http_basic_authentication()
    {
        var (clientId, secret) = await identity.CreateClientAsync(IdentityFixture.NewTenant(), Scopes.CatalogRead);
        using var request = new HttpRequestMessage(HttpMethod.Post, "/connect/token")
        {
            Content = new FormUrlEncodedContent(new Dictionary<string, string> { ["grant_type"] = "client_credentials" }),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Basic",
            Convert.ToBase64String(Encoding.UTF8.GetBytes($"{Uri.EscapeDataString(clientId)}:{Uri.EscapeDataString(secret)}")));
        using var response = await identity.Anonymous().SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task A_rotated_secret_replaces_the_old_one_and_a_deleted_client_gets_no_token()
    {
        var tenant = IdentityFixture.NewTenant();
        var (clientId, secret) = await identity.CreateClientAsync(tenant, Scopes.CatalogRead);
        var owner = identity.Owner(tenant);

        using var rotated = await owner.PostAsync($"/clients/{clientId}/secret", null);
        Assert.Equal(HttpStatusCode.OK, rotated.StatusCode);
        var newSecret = (await rotated.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("clientSecret").GetString()!;
        Assert.NotEqual(secret, newSecret);
        using (var old = await identity.RequestTokenAsync(clientId, secret))
        {
            await AssertOAuthError(old, HttpStatusCode.Unauthorized, "invalid_client");
        }

        using (var fresh = await identity.RequestTokenAsync(clientId, newSecret))
        {
            Assert.Equal(HttpStatusCode.OK, fresh.StatusCode);
        }

        Assert.Equal(HttpStatusCode.NoContent, (await owner.DeleteAsync($"/clients/{clientId}")).StatusCode);
        using (var gone = await identity.RequestTokenAsync(clientId, newSecret))
        {
            await AssertOAuthError(gone, HttpStatusCode.Unauthorized, "invalid_client");
        }

        Assert.Equal(HttpStatusCode.NotFound, (await owner.GetAsync($"/clients/{clientId}")).StatusCode);
    }

    [Fact]
    public async Task A_client_secret_is_stored_only_as_its_hash()
    {
        var (clientId, secret) = await identity.CreateClientAsync(IdentityFixture.NewTenant(), Scopes.CatalogRead);
        var stored = await MachCommerce.Testing.Sql.ScalarAsync<string>(identity.ConnectionString, "SELECT client_secret FROM identity.applications WHERE client_id = $1", clientId);
        Assert.StartsWith("sha256:", stored, StringComparison.Ordinal);
        Assert.DoesNotContain(secret, stored, StringComparison.Ordinal);
        Assert.DoesNotContain(secret[4..], stored, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_owner_lists_and_reads_the_shops_clients_without_secrets_and_never_another_shops()
    {
        var tenant = IdentityFixture.NewTenant();
        var other = IdentityFixture.NewTenant();
        var created = new List<string>();
        for (var i = 0; i < 3; i++)
        {
            created.Add((await identity.CreateClientAsync(tenant, Scopes.CatalogRead)).ClientId);
        }

        var (foreign, _) = await identity.CreateClientAsync(other, Scopes.CatalogRead);
        var owner = identity.Owner(tenant);

        var seen = new List<string>();
        string? cursor = null;
        do
        {
            var page = await owner.GetFromJsonAsync<JsonElement>($"/clients?limit=2{(cursor is null ? "" : "&cursor=" + cursor)}");
            foreach (var item in page.GetProperty("items").EnumerateArray())
            {
                Assert.False(item.TryGetProperty("clientSecret", out _));
                Assert.Equal(["catalog:read"], item.GetProperty("scopes").EnumerateArray().Select(s => s.GetString()));
                seen.Add(item.GetProperty("clientId").GetString()!);
            }

            cursor = page.GetProperty("nextCursor").GetString();
        }
        while (cursor is not null);

        Assert.Equal(created, seen);
        Assert.Equal(HttpStatusCode.NotFound, (await owner.GetAsync($"/clients/{foreign}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await owner.PostAsync($"/clients/{foreign}/secret", null)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await owner.DeleteAsync($"/clients/{foreign}")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await identity.Owner(other).GetAsync($"/clients/{foreign}")).StatusCode);
    }

    [Fact]
    public async Task Bad_input_names_the_field_and_only_an_owner_manages_clients()
    {
        var tenant = IdentityFixture.NewTenant();
        var owner = identity.Owner(tenant);

        using var bad = await owner.PostAsJsonAsync("/clients", new { name = "", scopes = new[] { "catalog:read", "clients:manage", "root" } });
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        var errors = (await bad.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors");
        Assert.True(errors.TryGetProperty("name", out _));
        Assert.Contains("not a scope a partner may have", errors.GetProperty("scopes[1]")[0].GetString());
        Assert.True(errors.TryGetProperty("scopes[2]", out _));
        Assert.False(errors.TryGetProperty("scopes[0]", out _));

        using var plan = await owner.PostAsJsonAsync("/clients", new { name = "ERP", scopes = new[] { "catalog:read" }, ratePerSecond = 0, burst = 200_000 });
        var planErrors = (await plan.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors");
        Assert.Contains("from 1 to 50000", planErrors.GetProperty("ratePerSecond")[0].GetString());
        Assert.Contains("at most 100000", planErrors.GetProperty("burst")[0].GetString());

        using var none = await owner.PostAsJsonAsync("/clients", new { name = "ERP" });
        Assert.True((await none.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").TryGetProperty("scopes", out _));

        using var malformed = await owner.PostAsync("/clients", new StringContent("{\"name\": 5", Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.BadRequest, malformed.StatusCode);
        Assert.DoesNotContain("System.", await malformed.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        Assert.Equal(HttpStatusCode.BadRequest, (await owner.GetAsync("/clients?cursor=nope")).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await owner.GetAsync("/clients?limit=1000")).StatusCode);

        // A partner with every partner scope still cannot hand out access.
        using var partner = await identity.Client(tenant, [.. Scopes.All]).PostAsJsonAsync("/clients", new { name = "Sneaky", scopes = new[] { "catalog:read" } });
        Assert.Equal(HttpStatusCode.Forbidden, partner.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await identity.Anonymous().GetAsync("/clients")).StatusCode);
    }

    [Fact]
    public async Task Discovery_names_the_issuer_the_token_endpoint_and_the_keys()
    {
        var discovery = await identity.Anonymous().GetFromJsonAsync<JsonElement>("/.well-known/openid-configuration");
        Assert.Equal(IdentityFixture.Issuer, discovery.GetProperty("issuer").GetString());
        Assert.Equal(IdentityFixture.Issuer + "connect/token", discovery.GetProperty("token_endpoint").GetString());
        Assert.Equal(IdentityFixture.Issuer + ".well-known/jwks", discovery.GetProperty("jwks_uri").GetString());
        Assert.Contains("client_credentials", discovery.GetProperty("grant_types_supported").EnumerateArray().Select(g => g.GetString()));

        var keys = await identity.Anonymous().GetFromJsonAsync<JsonElement>("/.well-known/jwks");
        var key = Assert.Single(keys.GetProperty("keys").EnumerateArray());
        Assert.Equal("EC", key.GetProperty("kty").GetString());
        Assert.Equal("P-256", key.GetProperty("crv").GetString());
        Assert.False(key.TryGetProperty("d", out _));
    }

    private static async Task<JsonElement> AssertOAuthError(HttpResponseMessage response, HttpStatusCode status, string error)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == status, $"{response.StatusCode}: {text}");
        var body = JsonDocument.Parse(text).RootElement;
        Assert.Equal(error, body.GetProperty("error").GetString());
        return body.Clone();
    }
}
