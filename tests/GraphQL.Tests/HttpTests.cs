using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using MachCommerce.GraphQL.Http;
using MachCommerce.GraphQL.Protection;
using MachCommerce.GraphQL.Types;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Logging;

namespace MachCommerce.GraphQL.Tests;

/// <summary>What the endpoint adds to the engine: limits that answer before any resolver runs, persisted queries, the cost in extensions.</summary>
public sealed class HttpTests : IAsyncLifetime, IDisposable
{
    private WebApplication _app = null!;
    private HttpClient _client = null!;
    private int _resolved;

    public async Task InitializeAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        _app = builder.Build();
        var schema = SdlSchemaBuilder.Build("""
            type Query { products(first: Int): [Product!]! slow: String node: Node }
            type Product { name: String offers(first: Int): [Offer!]! related: [Product!]! }
            type Offer { price: Float }
            type Node { child: Node name: String }
            """);
        ((ObjectType)schema.Type("Query")!).Field("products")!.Resolve = _ =>
        {
            Interlocked.Increment(ref _resolved);
            return ValueTask.FromResult<object?>(new[] { new Dictionary<string, object?> { ["name"] = "A", ["offers"] = Array.Empty<object>(), ["related"] = Array.Empty<object>() } });
        };
        ((ObjectType)schema.Type("Query")!).Field("slow")!.Resolve = async context =>
        {
            await Task.Delay(TimeSpan.FromSeconds(30), context.CancellationToken);
            return "too late";
        };
        _app.MapGraphQL("/graphql", new GraphQLHttpOptions(schema)
        {
            Limits = new LimitOptions { MaxDepth = 4, MaxAliases = 3, MaxCost = 500, ExecutionTimeout = TimeSpan.FromMilliseconds(300) },
            Playground = true,
        });
        await _app.StartAsync();
        _client = new HttpClient { BaseAddress = new Uri(_app.Urls.First()) };
    }

    public async Task DisposeAsync() => await _app.DisposeAsync();

    public void Dispose() => _client.Dispose();

    private async Task<(HttpStatusCode Status, JsonElement Body)> PostAsync(object body, string accept = GraphQLHttp.GraphQLResponseJson)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/graphql") { Content = JsonContent.Create(body) };
        request.Headers.Accept.ParseAdd(accept);
        using var response = await _client.SendAsync(request);
        return (response.StatusCode, await response.Content.ReadFromJsonAsync<JsonElement>());
    }

    [Fact]
    public async Task The_cost_is_computed_from_list_sizes_and_reported()
    {
        var (status, body) = await PostAsync(new { query = "{ products(first: 50) { name offers(first: 3) { price } } }" });

        Assert.Equal(HttpStatusCode.OK, status);
        var cost = body.GetProperty("extensions").GetProperty("cost");
        Assert.Equal(251, cost.GetProperty("requested").GetInt32()); // 1 + 50 × (1 + 1 + 3 × 1)
        Assert.Equal(3, cost.GetProperty("depth").GetInt32());
        Assert.Equal("A", body.GetProperty("data").GetProperty("products")[0].GetProperty("name").GetString());
    }

    [Fact]
    public async Task Limits_answer_with_an_error_before_any_resolver_runs()
    {
        var tooCostly = await PostAsync(new { query = "query ($n: Int) { products(first: $n) { related { related { name } } } }", variables = new { n = 100 } });
        var tooDeep = await PostAsync(new { query = "{ node { child { child { child { child { name } } } } } }" });
        var tooManyAliases = await PostAsync(new { query = "{ a: slow b: slow c: slow d: slow }" }, GraphQLHttp.Json);

        Assert.Equal(HttpStatusCode.BadRequest, tooCostly.Status); // 1 + 100 × (1 + 10 × (1 + 10 × 1))
        Assert.Contains("estimated cost is 11101", tooCostly.Body.GetProperty("errors")[0].GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.False(tooCostly.Body.TryGetProperty("data", out _));
        Assert.Contains("nests 6 levels deep; at most 4", tooDeep.Body.GetProperty("errors")[0].GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, tooManyAliases.Status); // application/json: 200 for every well-formed request
        Assert.Contains("4 aliases; at most 3", tooManyAliases.Body.GetProperty("errors")[0].GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.Equal(0, _resolved);
    }

    [Fact]
    public async Task A_slow_operation_is_stopped_at_the_timeout()
    {
        var (status, body) = await PostAsync(new { query = "{ slow }" });

        Assert.Equal(HttpStatusCode.GatewayTimeout, status);
        Assert.Contains("did not finish within 0.3 seconds", body.GetProperty("errors")[0].GetProperty("message").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_browser_gets_GraphiQL_and_a_client_gets_JSON()
    {
        using var browser = new HttpRequestMessage(HttpMethod.Get, "/graphql");
        browser.Headers.Accept.ParseAdd("text/html");
        using var page = await _client.SendAsync(browser);
        using var api = await _client.GetAsync("/graphql?query=%7Bproducts%7Bname%7D%7D");

        Assert.Equal("text/html", page.Content.Headers.ContentType?.MediaType);
        var html = await page.Content.ReadAsStringAsync();
        Assert.Contains("GraphiQL.createFetcher({ url: \"/graphql\" })", html, StringComparison.Ordinal);
        Assert.Equal("application/json", api.Content.Headers.ContentType?.MediaType);

        // Everything the page loads comes from the endpoint itself: it works offline.
        var assets = System.Text.RegularExpressions.Regex.Matches(html, "(?:src|href)=\"([^\"]+)\"").Select(m => m.Groups[1].Value).ToList();
        Assert.Equal(4, assets.Count);
        foreach (var asset in assets)
        {
            Assert.StartsWith("/graphql/graphiql/", asset, StringComparison.Ordinal);
            using var response = await _client.GetAsync(asset);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.True((await response.Content.ReadAsByteArrayAsync()).Length > 10_000, asset);
        }
    }

    [Fact]
    public async Task GraphiQL_renders_in_a_browser_without_the_internet()
    {
        // Debian's chromium, headless, with every host but loopback unreachable: the editor must still appear.
        var result = await MachCommerce.LocalInfrastructure.ProcessRunner.RunAsync("chromium",
            ["--headless", "--no-sandbox", "--disable-gpu", "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1", "--virtual-time-budget=10000", "--dump-dom",
             new Uri(_client.BaseAddress!, "/graphql").ToString()], timeout: TimeSpan.FromMinutes(1));

        Assert.Contains("graphiql-container", result.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("Loading GraphiQL", result.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Automatic_persisted_queries_store_a_query_by_its_hash()
    {
        const string query = "{ products(first: 1) { name } }";
        var hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(query)));
        var persisted = new { persistedQuery = new { version = 1, sha256Hash = hash } };

        var unknown = await PostAsync(new { extensions = persisted });
        var register = await PostAsync(new { query, extensions = persisted });
        var byHash = await PostAsync(new { extensions = persisted });
        var mismatch = await PostAsync(new { query = "{ slow }", extensions = persisted });

        Assert.Equal("PERSISTED_QUERY_NOT_FOUND", unknown.Body.GetProperty("errors")[0].GetProperty("extensions").GetProperty("code").GetString());
        Assert.Equal(HttpStatusCode.OK, register.Status);
        Assert.Equal(HttpStatusCode.OK, byHash.Status);
        Assert.Equal("A", byHash.Body.GetProperty("data").GetProperty("products")[0].GetProperty("name").GetString());
        Assert.Equal(HttpStatusCode.BadRequest, mismatch.Status);
    }
}
