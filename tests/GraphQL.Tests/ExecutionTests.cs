using MachCommerce.GraphQL.Execution;
using MachCommerce.GraphQL.Language;
using MachCommerce.GraphQL.Types;

namespace MachCommerce.GraphQL.Tests;

/// <summary>What graphql-js cannot show us: code-first resolvers, concurrency, and what a failing resolver reveals.</summary>
public sealed class ExecutionTests
{
    [Fact]
    public async Task Query_fields_resolve_at_the_same_time_and_mutation_fields_one_after_another()
    {
        var bothStarted = new TaskCompletionSource();
        var started = 0;
        async ValueTask<object?> WaitForTheOther(ResolveContext _)
        {
            if (Interlocked.Increment(ref started) == 2)
            {
                bothStarted.SetResult();
            }

            await bothStarted.Task.WaitAsync(TimeSpan.FromSeconds(5));
            return 1;
        }

        var order = new List<string>();
        Func<ResolveContext, ValueTask<object?>> Step(string name) => async context =>
        {
            order.Add($"{name} start");
            await Task.Delay(20, context.CancellationToken);
            order.Add($"{name} end");
            return 1;
        };

        var query = new ObjectType("Query") { Fields = { new("a", SpecifiedScalars.Int) { Resolve = WaitForTheOther }, new("b", SpecifiedScalars.Int) { Resolve = WaitForTheOther } } };
        var mutation = new ObjectType("Mutation") { Fields = { new("first", SpecifiedScalars.Int) { Resolve = Step("first") }, new("second", SpecifiedScalars.Int) { Resolve = Step("second") } } };
        var schema = new Schema(query, mutation);

        var parallel = await Executor.ExecuteAsync(new ExecutionRequest(schema, Parser.Parse("{ a b }")));
        var serial = await Executor.ExecuteAsync(new ExecutionRequest(schema, Parser.Parse("mutation { first second }")));

        Assert.Empty(parallel.Errors);
        Assert.Equal(1, parallel.Data!["b"]);
        Assert.Empty(serial.Errors);
        Assert.Equal(["first start", "first end", "second start", "second end"], order);
    }

    [Fact]
    public async Task A_failing_resolver_becomes_a_field_error_with_its_message_only()
    {
        var query = new ObjectType("Query")
        {
            Fields =
            {
                new("broken", SpecifiedScalars.String) { Resolve = _ => throw new InvalidOperationException("Catalog unavailable") },
                new("fine", SpecifiedScalars.String) { Resolve = context => ValueTask.FromResult<object?>($"arg={context.Arguments["x"]}") },
            },
        };
        query.Fields[1] = new OutputField("fine", SpecifiedScalars.String, [new InputValue("x", SpecifiedScalars.Int, defaultValue: new IntValue("7"))])
        {
            Resolve = context => ValueTask.FromResult<object?>($"arg={context.Arguments["x"]}"),
        };

        var result = await Executor.ExecuteAsync(new ExecutionRequest(new Schema(query), Parser.Parse("{ broken fine }")));

        var error = Assert.Single(result.Errors);
        Assert.Equal("Catalog unavailable", error.Message);
        Assert.Equal(["broken"], error.Path!);
        Assert.Null(result.Data!["broken"]);
        Assert.Equal("arg=7", result.Data["fine"]);
    }
}
