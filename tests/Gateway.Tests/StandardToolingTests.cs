namespace MachCommerce.Gateway.Tests;

/// <summary>What GraphiQL, graphql-codegen and Apollo's tooling do first: introspect the endpoint with a storefront key, as graphql-js sends it.</summary>
[Collection(WholePlatform.Name)]
public sealed class StandardToolingTests(PlatformFixture platform)
{
    private static string Conformance => Path.Combine(RepositoryPaths.FindRoot(), "tests", "GraphQL.Tests", "Conformance");

    [Fact]
    public async Task Every_variant_of_graphql_js_introspection_query_answers_a_storefront_key_and_rebuilds_the_schema()
    {
        var tenant = await platform.NewTenantAsync();
        var key = await tenant.StorefrontKeyAsync("https://shop.example");
        await NodePackages.EnsureRestoredAsync(Conformance, "graphql");

        // The schema the gateway serves (storefront.graphql with the scalars' descriptions and specifications), printed by our engine.
        var served = Path.GetTempFileName();
        await File.WriteAllTextAsync(served, GraphQL.Types.SchemaPrinter.Print(Storefront.StorefrontGraph.BuildSchema()));
        string output;
        try
        {
            output = await NodePackages.RunAsync(Conformance, "introspect-endpoint.mjs", new Uri(platform.Gateway.Address, "/graphql").ToString(), "Bearer " + key, served);
        }
        finally
        {
            File.Delete(served);
        }

        var results = JsonDocument.Parse(output).RootElement.EnumerateArray().ToList();
        Assert.Equal(7, results.Count);
        foreach (var result in results)
        {
            var variant = result.GetProperty("variant").GetString();
            Assert.True(result.GetProperty("status").GetInt32() == 200 && result.GetProperty("failure").ValueKind == JsonValueKind.Null,
                $"{variant}: {result.GetProperty("status")} {result.GetProperty("failure")}");
        }

        // With every option on, the client's schema is the schema itself, description for description.
        var everything = results.Single(r => r.GetProperty("variant").GetString() == "everything");
        Assert.Equal(everything.GetProperty("expected").GetString(), everything.GetProperty("printed").GetString());
    }

    [Fact]
    public async Task Hostile_introspection_stays_bounded()
    {
        var tenant = await platform.NewTenantAsync();
        using var storefront = platform.Client(await tenant.StorefrontKeyAsync("https://shop.example"));

        // Nesting through fields and their types is what validation's introspection depth rule refuses.
        var (_, deep) = await storefront.GraphQLAsync("{ __schema { types { fields { type { fields { type { fields { type { fields { name } } } } } } } } } }");
        Assert.Contains("Maximum introspection depth exceeded", deep.GetProperty("errors")[0].GetProperty("message").GetString(), StringComparison.Ordinal);

        // Aliases of the whole schema still count against the alias limit.
        var aliases = string.Join(' ', Enumerable.Range(0, 40).Select(i => $"s{i}: __schema {{ types {{ name }} }}"));
        var (_, many) = await storefront.GraphQLAsync("{ " + aliases + " }");
        Assert.Contains("aliases", many.GetProperty("errors")[0].GetProperty("message").GetString(), StringComparison.Ordinal);
    }
}
