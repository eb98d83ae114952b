using MachCommerce.GraphQL.Execution;
using MachCommerce.GraphQL.Language;
using MachCommerce.GraphQL.Protection;
using MachCommerce.GraphQL.Types;

namespace MachCommerce.GraphQL.Tests;

/// <summary>The request cost estimate: list sizes from arguments, their defaults and Relay connections; leaves free when asked.</summary>
public sealed class CostTests
{
    private static readonly Schema Schema = SdlSchemaBuilder.Build("""
        type Query { products(first: Int = 20, after: String): ProductConnection! tags: [String!]! top(first: Int = 5): [Product!]! }
        type ProductConnection { edges: [ProductEdge!]! nodes: [Product!]! pageInfo: PageInfo! }
        type ProductEdge { cursor: String node: Product! }
        type PageInfo { hasNextPage: Boolean! }
        type Product { id: ID! name: String! images: [Image!]! price: Price! }
        type Image { url: String! }
        type Price { amount: Float! }
        """);

    private static int Cost(string query, LimitOptions? limits = null, string? variables = null)
    {
        var document = Parser.Parse(query);
        var operation = Executor.FindOperation(document, null).Operation!;
        var json = variables is null ? (System.Text.Json.JsonElement?)null : System.Text.Json.JsonDocument.Parse(variables).RootElement;
        return RequestLimits.Check(Schema, document, operation, json, limits ?? new LimitOptions()).Cost.Cost;
    }

    [Theory]
    [InlineData("{ products(first: 3) { nodes { id name } } }", 1 + 1 + 3 * 2)]
    [InlineData("{ products { nodes { id } } }", 1 + 1 + 20 * 1)] // the argument's default in the schema
    [InlineData("{ products(first: 2) { edges { cursor node { id } } pageInfo { hasNextPage } } }", 1 + (1 + 2 * (1 + 1 + 1)) + (1 + 1))]
    [InlineData("{ top { id } }", 1 + 5 * 1)]
    [InlineData("{ top(first: 2) { images { url } } }", 1 + 2 * (1 + 10 * 1))] // images has no size of its own
    [InlineData("{ tags }", 1)]
    public void List_sizes_come_from_arguments_defaults_and_connections(string query, int expected) => Assert.Equal(expected, Cost(query));

    [Fact]
    public void Variables_give_the_size_and_leaves_can_be_free()
    {
        Assert.Equal(1 + 1 + 50 * 1, Cost("query ($n: Int) { products(first: $n) { nodes { id } } }", variables: """{ "n": 50 }"""));
        var objectsOnly = new LimitOptions { LeafCost = 0 };
        Assert.Equal(1 + 1 + 20 * (1 + 1), Cost("{ products(first: 20) { nodes { id name price { amount } images { url } } } }", objectsOnly));
        Assert.Equal(0, Cost("{ tags }", objectsOnly));
    }
}
