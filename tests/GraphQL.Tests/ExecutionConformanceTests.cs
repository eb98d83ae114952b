using System.Text.Json.Nodes;
using MachCommerce.GraphQL.Execution;
using MachCommerce.GraphQL.Language;
using MachCommerce.GraphQL.Types;

namespace MachCommerce.GraphQL.Tests;

/// <summary>
/// Execution beside graphql-js on one schema and one deterministic root value: the same data and the same errors
/// (message, locations, path), including null propagation, list items, abstract types, leaf coercion failures,
/// fragments, directives, aliases and variables.
/// </summary>
public sealed class ExecutionConformanceTests
{
    private const string Sdl = """
        interface Node { id: ID! }
        type Product implements Node { id: ID! name: String! price: Float tags: [String!] category: Category rating: Int status: Status }
        type Category implements Node { id: ID! title: String products: [Product] }
        union SearchHit = Product | Category
        enum Status { DRAFT PUBLISHED ARCHIVED }
        input Filter { brand: String minPrice: Float = 0 kinds: [Status!] }
        input Key @oneOf { id: ID sku: String }
        type Nested { inner: Inner! optional: Inner }
        type Inner { value: String! }
        type Query {
          product: Product
          products(first: Int = 10, filter: Filter): [Product!]!
          looseProducts: [Product]
          strictItems: [Product!]
          node: Node
          hits(term: String!): [SearchHit]
          wrongHit: SearchHit
          unknownHit: SearchHit
          status: Status
          badStatus: Status
          count: Int
          big: Int
          fraction: Int
          text: String
          numberAsText: String
          flag: Boolean
          ratio: Float
          ident: ID
          numericIdent: ID
          missingRequired: String!
          nested: Nested
          brokenNested: Nested
          notAList: [String]
          byKey(key: Key!): Product
        }
        type Mutation { first: Int second: Int }
        """;

    private const string Root = """
        {
          "product": { "__typename": "Product", "id": "p1", "name": "Akku-Bohrschrauber", "price": 129.9, "tags": ["akku", "bosch"], "rating": 4, "status": "PUBLISHED",
                       "category": { "id": "c1", "title": "Werkzeug", "products": [{ "id": "p2", "name": "Stichsäge" }, null, { "id": "p3", "name": null }] } },
          "products": [{ "id": "p1", "name": "A" }, { "id": "p2", "name": null }],
          "looseProducts": [{ "id": "p1", "name": "A" }, null, { "id": "p3", "name": null }],
          "strictItems": [{ "id": "p1", "name": "A" }, null],
          "node": { "__typename": "Category", "id": "c9", "title": "Garten" },
          "hits": [{ "__typename": "Product", "id": "p1", "name": "A" }, { "__typename": "Category", "id": "c1", "title": "T" }],
          "wrongHit": { "__typename": "Inner", "value": "x" },
          "unknownHit": { "__typename": "Nope" },
          "status": "DRAFT",
          "badStatus": "DELETED",
          "count": 42,
          "big": 3000000000,
          "fraction": 1.5,
          "text": "Grüße",
          "numberAsText": 12.5,
          "flag": true,
          "ratio": 0.25,
          "ident": "abc",
          "numericIdent": 17,
          "nested": { "inner": { "value": "ok" }, "optional": { "value": null } },
          "brokenNested": { "inner": { "value": null } },
          "notAList": "just text",
          "byKey": { "id": "k", "name": "by key" },
          "first": 1,
          "second": 2
        }
        """;

    private static readonly (string Query, string? Variables, string? OperationName)[] Cases =
    [
        ("{ product { id name price tags rating status category { title products { id name } } } }", null, null),
        ("{ products { id name } }", null, null),
        ("{ looseProducts { id name } count }", null, null),
        ("{ strictItems { id } text }", null, null),
        ("{ node { id __typename ... on Category { title } ... on Product { name } } }", null, null),
        ("{ hits(term: \"a\") { __typename ... on Product { id name } ... on Category { id title } } }", null, null),
        ("{ wrongHit { __typename } unknownHit { __typename } count }", null, null),
        ("{ status badStatus }", null, null),
        ("{ count big fraction text numberAsText flag ratio ident numericIdent }", null, null),
        ("{ missingRequired count }", null, null),
        ("{ nested { inner { value } optional { value } } brokenNested { inner { value } } }", null, null),
        ("{ notAList text }", null, null),
        ("{ first: count second: count, p: product { n: name } }", null, null),
        ("query ($skip: Boolean!, $include: Boolean = false) { count @skip(if: $skip) text @include(if: $include) flag @include(if: true) @skip(if: false) }", "{\"skip\": true}", null),
        ("query { ...Fields product { ...ProductFields } } fragment Fields on Query { count text } fragment ProductFields on Product { id ... on Node { id } }", null, null),
        ("query A { count } query B { text }", null, "B"),
        ("query A { count } query B { text }", null, null),
        ("query A { count }", null, "C"),
        ("mutation { first second }", null, null),
        ("query ($first: Int!) { products(first: $first) { id } }", "{}", null),
        ("query ($first: Int) { products(first: $first) { id } }", "{\"first\": \"ten\"}", null),
        ("query ($f: Filter) { products(filter: $f) { id } }", "{\"f\": {\"brand\": \"Bosch\", \"kinds\": \"DRAFT\", \"unknown\": 1}}", null),
        ("query ($f: Filter) { products(filter: $f) { id } }", "{\"f\": {\"kinds\": [\"DELETED\"]}}", null),
        ("query ($f: Filter) { products(filter: $f) { id } }", "{\"f\": {\"brnd\": \"Bosch\", \"kinds\": [\"DRAFTT\", \"draft\", 3]}}", null),
        ("query ($k: Key!) { byKey(key: $k) { name } }", "{\"k\": {\"id\": \"1\", \"sku\": \"2\"}}", null),
        ("query ($k: Key!) { byKey(key: $k) { name } }", "{\"k\": {\"sku\": \"2\"}}", null),
        ("query ($n: Int!) { count }", "{\"n\": null}", null),
        ("query ($big: Int) { count }", "{\"big\": 3000000000}", null),
    ];

    [Fact]
    public async Task Results_match_graphql_js_for_data_errors_and_null_propagation()
    {
        var root = JsonDocument.Parse(Root).RootElement;
        var reference = await ReferenceImplementation.ExecuteAsync([.. Cases.Select(c => (object)new
        {
            sdl = Sdl,
            root,
            query = c.Query,
            variables = c.Variables is null ? (JsonElement?)null : JsonDocument.Parse(c.Variables).RootElement,
            operationName = c.OperationName,
        })]);
        var schema = SdlSchemaBuilder.Build(Sdl);

        var mismatches = new List<string>();
        for (var i = 0; i < Cases.Length; i++)
        {
            var (query, variables, operationName) = Cases[i];
            var result = await Executor.ExecuteAsync(new ExecutionRequest(schema, Parser.Parse(query), operationName,
                variables is null ? null : JsonDocument.Parse(variables).RootElement, root));
            var ours = ToJson(result);
            var theirs = JsonNode.Parse(reference[i].GetRawText());
            if (!JsonNode.DeepEquals(ours, theirs))
            {
                mismatches.Add($"{query}{Environment.NewLine}  graphql-js: {theirs!.ToJsonString()}{Environment.NewLine}  ours:       {ours.ToJsonString()}");
            }
        }

        Assert.True(mismatches.Count == 0, string.Join(Environment.NewLine, mismatches));
    }

    /// <summary>The response as graphql-js's JSON shows it: errors first, then data; no data key when a request error stopped it.</summary>
    private static JsonObject ToJson(ExecutionResult result)
    {
        var json = new JsonObject();
        if (result.Errors.Count > 0)
        {
            json["errors"] = new JsonArray([.. result.Errors.Select(e =>
            {
                var error = new JsonObject { ["message"] = e.Message };
                if (e.Locations is { Count: > 0 } locations)
                {
                    error["locations"] = new JsonArray([.. locations.Select(l => (JsonNode)new JsonObject { ["line"] = l.Line, ["column"] = l.Column })]);
                }

                if (e.Path is { } path)
                {
                    error["path"] = new JsonArray([.. path.Select(p => p is int index ? JsonValue.Create(index) : (JsonNode)JsonValue.Create((string)p))]);
                }

                return (JsonNode)error;
            })]);
        }

        if (result.DataPresent)
        {
            json["data"] = JsonSerializer.SerializeToNode(result.Data);
        }

        return json;
    }
}
