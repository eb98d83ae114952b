using MachCommerce.GraphQL.Execution;
using MachCommerce.GraphQL.Language;
using MachCommerce.GraphQL.Protection;
using MachCommerce.GraphQL.Types;
using MachCommerce.GraphQL.Validation;

namespace MachCommerce.GraphQL.Tests;

/// <summary>
/// Documents that are small to send and exponential to expand: every analysis before execution looks at each
/// fragment once, so they are answered (refused by cost) at once instead of keeping a core busy for minutes.
/// The bound in <see cref="Analyse"/> only detects a hang; it is not a timing assertion.
/// </summary>
public sealed class HostileDocumentTests
{
    private static readonly Schema Schema = SdlSchemaBuilder.Build("""
        type Query { categories: [Category!]! product(id: ID): Product node: Node }
        type Category { id: ID! name: String children: [Category!]! }
        type Product { id: ID! name: String related(first: Int): [Product!]! }
        type Node { child: Node name: String }
        """);

    /// <summary><c>{ ...F0 } fragment F0 on Query { ...F1 ...F1 } … fragment F{n} on Query { categories { id } }</c>: 2^n copies of one field.</summary>
    private static string DoublingSpreads(int levels, int spreadsPerLevel = 2)
    {
        var text = new StringBuilder("query { ...F0 }\n");
        for (var i = 0; i < levels; i++)
        {
            text.Append("fragment F").Append(i).Append(" on Query {");
            for (var s = 0; s < spreadsPerLevel; s++)
            {
                text.Append(" ...F").Append(i + 1);
            }

            text.Append(" }\n");
        }

        return text.Append("fragment F").Append(levels).Append(" on Query { categories { id name } }").ToString();
    }

    private static async Task<(IReadOnlyList<GraphQLError> Validation, RequestCost? Cost, IReadOnlyList<GraphQLError> Limits)> Analyse(string query, LimitOptions? limits = null)
    {
        using var hang = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        return await Task.Run(() =>
        {
            var document = Parser.Parse(query);
            var validation = Validator.Validate(Schema, document, hang.Token);
            if (validation.Count > 0)
            {
                return (validation, (RequestCost?)null, (IReadOnlyList<GraphQLError>)[]);
            }

            var operation = Executor.FindOperation(document, null).Operation!;
            var (cost, errors) = RequestLimits.Check(Schema, document, operation, null, limits ?? new LimitOptions(), hang.Token);
            return (validation, cost, errors);
        }, hang.Token).WaitAsync(hang.Token);
    }

    [Theory]
    [InlineData(12)]
    [InlineData(30)]
    [InlineData(62)]
    [InlineData(200)]
    public async Task A_fragment_bomb_is_valid_but_refused_by_its_cost(int levels)
    {
        var (validation, cost, limits) = await Analyse(DoublingSpreads(levels));

        Assert.Empty(validation);
        Assert.Equal(int.MaxValue, levels > 30 ? cost!.Cost : int.MaxValue); // capped, never wrapped round
        var error = Assert.Single(limits);
        Assert.Contains("estimated cost", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_cost_of_repeated_fragments_is_exact_when_each_is_analysed_once()
    {
        // 2^12 copies of categories { id name }: 4096 × (1 + 10 × 2) with the default list size of 10.
        var (_, cost, _) = await Analyse(DoublingSpreads(12));
        Assert.Equal(4096 * (1 + 10 * 2), cost!.Cost);
        Assert.Equal(2, cost.Depth);
    }

    [Fact]
    public async Task Wide_spreads_deep_nesting_inline_fragments_and_many_operations_stay_bounded()
    {
        // Ten spreads per level: 10^20 copies.
        Assert.Single((await Analyse(DoublingSpreads(20, spreadsPerLevel: 10))).Limits);

        // Inline fragments doubling inside each fragment.
        var inline = new StringBuilder("{ ...G0 }\n");
        for (var i = 0; i < 40; i++)
        {
            inline.Append("fragment G").Append(i).Append(" on Query { ... on Query { ...G").Append(i + 1).Append(" } ... { ...G").Append(i + 1).Append(" } }\n");
        }

        inline.Append("fragment G40 on Query { categories { id } }");
        Assert.Single((await Analyse(inline.ToString())).Limits);

        // Nesting through objects: each level selects the next fragment twice under an alias, 2^40 leaves, 41 deep.
        var deep = new StringBuilder("{ node { ...N0 } }\n");
        for (var i = 0; i < 40; i++)
        {
            deep.Append("fragment N").Append(i).Append(" on Node { child { ...N").Append(i + 1).Append(" } again: child { ...N").Append(i + 1).Append(" } }\n");
        }

        deep.Append("fragment N40 on Node { name }");
        var nested = await Analyse(deep.ToString());
        Assert.Contains(nested.Limits, e => e.Message.Contains("levels deep", StringComparison.Ordinal));
        Assert.Contains(nested.Limits, e => e.Message.Contains("aliases", StringComparison.Ordinal));

        // Many operations sharing the bomb: each is valid, and the one that runs is refused.
        var many = new StringBuilder(DoublingSpreads(40).Replace("query {", "query Q0 {", StringComparison.Ordinal));
        for (var i = 1; i < 200; i++)
        {
            many.Append("\nquery Q").Append(i).Append(" { ...F0 }");
        }

        var document = Parser.Parse(many.ToString());
        using var hang = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        Assert.Empty(await Task.Run(() => Validator.Validate(Schema, document, hang.Token), hang.Token).WaitAsync(hang.Token));
        var (_, errors) = RequestLimits.Check(Schema, document, Executor.FindOperation(document, "Q199").Operation!, null, new LimitOptions(), hang.Token);
        Assert.Single(errors);
    }

    [Fact]
    public void Analysis_stops_when_the_request_is_cancelled()
    {
        var document = Parser.Parse(DoublingSpreads(30));
        using var cancelled = new CancellationTokenSource();
        cancelled.Cancel();
        Assert.ThrowsAny<OperationCanceledException>(() => Validator.Validate(Schema, document, cancelled.Token));
        Assert.ThrowsAny<OperationCanceledException>(() =>
            RequestLimits.Check(Schema, document, Executor.FindOperation(document, null).Operation!, null, new LimitOptions(), cancelled.Token));
    }

    [Fact]
    public async Task Execution_of_a_repeated_fragment_runs_its_field_once()
    {
        var resolved = 0;
        var schema = SdlSchemaBuilder.Build("type Query { categories: [String!]! }");
        ((ObjectType)schema.Type("Query")!).Field("categories")!.Resolve = _ =>
        {
            Interlocked.Increment(ref resolved);
            return ValueTask.FromResult<object?>(new[] { "garden" });
        };
        var text = new StringBuilder("{ ...F0 }\n");
        for (var i = 0; i < 30; i++)
        {
            text.Append("fragment F").Append(i).Append(" on Query { ...F").Append(i + 1).Append(" ...F").Append(i + 1).Append(" }\n");
        }

        var document = Parser.Parse(text.Append("fragment F30 on Query { categories }").ToString());
        using var hang = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var result = await Executor.ExecuteAsync(new ExecutionRequest(schema, document, null, null, null, null), hang.Token);

        Assert.Empty(result.Errors);
        Assert.Equal(1, resolved);
    }
}
