using System.Text.Json.Nodes;
using MachCommerce.GraphQL.Execution;
using MachCommerce.GraphQL.Language;
using MachCommerce.GraphQL.Types;

namespace MachCommerce.GraphQL.Tests;

/// <summary>
/// The introspection query graphql-js clients send (getIntrospectionQuery with every option), on the schemas of
/// the printer tests: our answer is graphql-js's answer, so buildClientSchema + printSchema gives back our own SDL.
/// </summary>
public sealed class IntrospectionConformanceTests
{
    [Fact]
    public async Task The_full_introspection_query_answers_exactly_as_graphql_js_and_round_trips_to_our_SDL()
    {
        var schemas = SchemaPrinterConformanceTests.Schemas;
        var reference = await ReferenceImplementation.IntrospectAsync(schemas);

        for (var i = 0; i < schemas.Length; i++)
        {
            var schema = SdlSchemaBuilder.Build(schemas[i]);
            var result = await Executor.ExecuteAsync(new ExecutionRequest(schema, Parser.Parse(reference[i].Query)));

            Assert.Empty(result.Errors);
            var ours = new JsonObject { ["data"] = JsonSerializer.SerializeToNode(result.Data) };
            var theirs = JsonNode.Parse(reference[i].Result.GetRawText())!;
            Assert.True(JsonNode.DeepEquals(ours, theirs), $"{schemas[i]}{Environment.NewLine}graphql-js: {Shorten(theirs)}{Environment.NewLine}ours:       {Shorten(ours)}");
            Assert.Equal(reference[i].ClientSchema, SchemaPrinter.Print(schema));
        }
    }

    [Fact]
    public async Task Type_lookup_and_typename_work_on_any_query()
    {
        var schema = SdlSchemaBuilder.Build("type Query { a: Int } enum E { X Y @deprecated }");

        var result = await Executor.ExecuteAsync(new ExecutionRequest(schema, Parser.Parse(
            "{ __typename e: __type(name: \"E\") { kind enumValues { name } all: enumValues(includeDeprecated: true) { name isDeprecated } } missing: __type(name: \"Nope\") { name } }")));

        Assert.Empty(result.Errors);
        Assert.Equal("""{"__typename":"Query","e":{"kind":"ENUM","enumValues":[{"name":"X"}],"all":[{"name":"X","isDeprecated":false},{"name":"Y","isDeprecated":true}]},"missing":null}""",
            JsonSerializer.Serialize(result.Data));
    }

    private static string Shorten(JsonNode node)
    {
        var text = node.ToJsonString();
        return text.Length > 3000 ? text[..3000] + "…" : text;
    }
}
