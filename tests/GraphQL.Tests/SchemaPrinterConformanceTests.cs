using MachCommerce.GraphQL.Types;

namespace MachCommerce.GraphQL.Tests;

/// <summary>
/// Schemas built from SDL and printed back, beside graphql-js's printSchema(buildSchema(sdl)) on the same SDL:
/// the same text, character for character; and the same refusal for SDL that cannot be a schema.
/// </summary>
public sealed class SchemaPrinterConformanceTests
{
    internal static readonly string[] Schemas =
    [
        "type Query { a: String }",
        "type Query { product(id: ID!, locale: String = \"de\"): Product products(first: Int = 10, after: String): [Product!]! } type Product { id: ID! name: String price: Float tags: [String!] }",
        "\"\"\"The root\"\"\" type Query { \"single line\" a: Int \"\"\"multi\nline\"\"\" b(\"arg doc\" x: Int, y: String): String }",
        "type Query { old: String @deprecated new: String @deprecated(reason: \"Use `newer`.\") args(a: Int @deprecated(reason: \"gone\")): Int }",
        "interface Node { id: ID! } interface Entity implements Node { id: ID! name: String } type Product implements Entity & Node { id: ID! name: String } type Query { node(id: ID!): Node }",
        "union SearchResult = Product | Category type Product { id: ID } type Category { slug: String } type Query { search(q: String!): [SearchResult!]! }",
        "enum Status { DRAFT \"Visible to shoppers\" PUBLISHED ARCHIVED @deprecated(reason: \"Use DELETED\") DELETED } type Query { status: Status }",
        "input ProductFilter { brand: String price: PriceRange = { min: 1, max: 100 } tags: [String!] = [\"a\", \"b\"] status: Status = PUBLISHED } input PriceRange { min: Float max: Float } enum Status { PUBLISHED } type Query { products(filter: ProductFilter): [String] }",
        "input ProductKey @oneOf { id: ID sku: String slug: String } type Query { product(by: ProductKey!): String }",
        "scalar DateTime @specifiedBy(url: \"https://scalars.graphql.org/andimarek/date-time\") scalar JSON type Query { now: DateTime data: JSON }",
        "directive @cost(weight: Int! = 1, \"per item\" multipliers: [String!]) repeatable on FIELD_DEFINITION | ARGUMENT_DEFINITION \"\"\"Cache hint\"\"\" directive @cacheControl(maxAge: Int) on FIELD_DEFINITION | OBJECT type Query { a: Int @cost(weight: 2) }",
        "schema { query: Root mutation: Change } type Root { a: Int } type Change { b: Int }",
        "\"\"\"The platform\"\"\" schema { query: Query } type Query { a: Int }",
        "type Query { a: Int } extend type Query { b: String } type Mutation { setA(a: Int!): Int } extend type Mutation { setB(b: String): String }",
        "type Query { e: E u: U i(i: I): Int } enum E { A } extend enum E { B } union U = X extend union U = Y type X { x: Int } type Y { y: Int } input I { a: Int } extend input I { b: Int }",
        "type Query { field(arg: String = \"with \\\"quotes\\\" and \\\\ backslash\"): String }",
        "type Query { \"\"\"  leading space in description\"\"\" a: Int \"ends with a quote\\\"\" b: Int \"has \\t tab\" c: Int }",
        "type Query { a(x: [[Int!]]! = [[1, 2], [3]]): [[String]] }",
        "type Query { a: Int } type Subscription { changed: Int }",
        "type Query { a: Int } type Orphan { b: Float } input OrphanInput { c: Boolean }",
    ];

    private static readonly string[] Invalid =
    [
        "type Query { a: Unknown }",
        "type Query { a: Int } type Query { b: Int }",
        "type Query { a: Int } extend type Missing { b: Int }",
        "union U = String type Query { u: U }",
        "type Query { i: I } input I { a: Int }",
        "type Query { a(p: Product): Int } type Product { id: ID }",
    ];

    [Fact]
    public async Task Printed_schemas_match_graphql_js_character_for_character()
    {
        var reference = await ReferenceImplementation.PrintSchemaAsync(Schemas);

        for (var i = 0; i < Schemas.Length; i++)
        {
            Assert.True(reference[i].Ok, $"graphql-js refused {Schemas[i]}: {reference[i].Message}");
            Assert.Equal(reference[i].Printed, SchemaPrinter.Print(SdlSchemaBuilder.Build(Schemas[i])));
        }
    }

    [Fact]
    public async Task SDL_that_graphql_js_refuses_is_refused_too()
    {
        var reference = await ReferenceImplementation.PrintSchemaAsync(Invalid);

        Assert.All(reference, r => Assert.False(r.Ok));
        Assert.All(Invalid, sdl => Assert.Throws<GraphQLSchemaException>(() => SdlSchemaBuilder.Build(sdl)));
    }
}
