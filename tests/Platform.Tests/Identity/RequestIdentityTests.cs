using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using MachCommerce.Hosting.Identity;
using MachCommerce.Platform.Tests.Hosting;
using MachCommerce.Testing;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace MachCommerce.Platform.Tests.Identity;

public sealed class RequestIdentityTests : IAsyncLifetime
{
    // Two tenants' data in one store, as a service's table would hold them.
    private static readonly Dictionary<(string Tenant, string Id), string> Notes = new()
    {
        [("shop-a", "n1")] = "note of shop A",
        [("shop-b", "n2")] = "note of shop B",
    };

    private TestApp _app = null!;

    public async Task InitializeAsync() => _app = await TestApp.StartAsync(null, app =>
    {
        var notes = app.MapGroup("/notes");
        notes.MapGet("/{id}", (string id, RequestIdentity identity) =>
                Notes.TryGetValue((identity.TenantId, id), out var text) ? Results.Ok(new { tenant = identity.TenantId, text }) : Results.NotFound())
            .RequireScope(Scopes.CatalogRead);
        notes.MapGet("/", (RequestIdentity identity) => Results.Ok(new { tenant = identity.TenantId }))
            .RequireScope(Scopes.CatalogRead);
        notes.MapPost("/", (RequestIdentity identity) => Results.Ok(new { tenant = identity.TenantId }))
            .RequireScope(Scopes.CatalogWrite);
        app.MapGet("/no-scope-declared", (RequestIdentity identity) => identity.TenantId);
    });

    public async Task DisposeAsync() => await _app.DisposeAsync();

    private Task<HttpResponseMessage> Send(HttpMethod method, string path, string? token, Action<HttpRequestMessage>? more = null)
    {
        var request = new HttpRequestMessage(method, path);
        if (token is not null)
        {
            request.Headers.Add(IdentityAssertionCodec.HeaderName, token);
        }

        more?.Invoke(request);
        return _app.Client.SendAsync(request);
    }

    [Fact]
    public async Task A_valid_assertion_is_served_and_the_tenant_comes_from_it_not_from_client_headers()
    {
        var response = await Send(HttpMethod.Get, "/notes/n1", TestIdentity.Mint("shop-a", Scopes.CatalogRead),
            request => request.Headers.Add("X-Tenant-Id", "shop-b"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("shop-a", body.GetProperty("tenant").GetString());
        Assert.Equal("note of shop A", body.GetProperty("text").GetString());
    }

    [Fact]
    public async Task Another_tenants_id_is_not_found_for_this_tenant()
    {
        var response = await Send(HttpMethod.Get, "/notes/n2", TestIdentity.Mint("shop-a", Scopes.CatalogRead));

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.DoesNotContain("shop B", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_missing_assertion_is_401_with_problem_details()
    {
        var response = await Send(HttpMethod.Get, "/notes/n1", token: null);

        await AssertProblem(response, HttpStatusCode.Unauthorized, "missing");
    }

    [Fact]
    public async Task An_expired_assertion_is_401()
    {
        var issued = DateTimeOffset.UtcNow.AddMinutes(-10);
        var token = TestIdentity.Codec.Sign(new IdentityAssertion
        {
            TenantId = "shop-a",
            Scopes = [Scopes.CatalogRead],
            Subject = "test",
            IssuedAt = issued,
            ExpiresAt = issued.AddMinutes(1),
        });

        await AssertProblem(await Send(HttpMethod.Get, "/notes/n1", token), HttpStatusCode.Unauthorized, "expired");
    }

    [Fact]
    public async Task A_forged_assertion_is_401()
    {
        var forger = new IdentityAssertionCodec(new IdentityOptions { SigningKey = IdentityAssertionCodec.NewKey() });
        var token = forger.Mint("shop-a", [Scopes.CatalogRead], "attacker");

        await AssertProblem(await Send(HttpMethod.Get, "/notes/n1", token), HttpStatusCode.Unauthorized, "signature");
    }

    [Fact]
    public async Task Two_assertions_in_one_request_are_401()
    {
        var response = await Send(HttpMethod.Get, "/notes/n1", TestIdentity.Mint("shop-a", Scopes.CatalogRead),
            request => request.Headers.Add(IdentityAssertionCodec.HeaderName, TestIdentity.Mint("shop-b", Scopes.CatalogRead)));

        await AssertProblem(response, HttpStatusCode.Unauthorized, "More than one");
    }

    [Fact]
    public async Task A_missing_scope_is_403_naming_the_scope()
    {
        var response = await Send(HttpMethod.Post, "/notes/", TestIdentity.Mint("shop-a", Scopes.CatalogRead));

        var problem = await AssertProblem(response, HttpStatusCode.Forbidden, Scopes.CatalogWrite);
        Assert.Equal(Scopes.CatalogWrite, problem.GetProperty("missingScopes")[0].GetString());
    }

    [Fact]
    public async Task An_endpoint_that_binds_the_identity_requires_one_even_without_a_declared_scope()
    {
        Assert.Equal(HttpStatusCode.Unauthorized, (await Send(HttpMethod.Get, "/no-scope-declared", null)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await Send(HttpMethod.Get, "/no-scope-declared", TestIdentity.Mint("shop-a"))).StatusCode);
    }

    private static async Task<JsonElement> AssertProblem(HttpResponseMessage response, HttpStatusCode status, string detailContains)
    {
        Assert.Equal(status, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal((int)status, problem.GetProperty("status").GetInt32());
        Assert.Contains(detailContains, problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        return problem;
    }
}
