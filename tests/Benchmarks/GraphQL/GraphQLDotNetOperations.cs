using BenchmarkDotNet.Attributes;
using GraphQL;
using GraphQL.Types;
using MachCommerce.GraphQL.Execution;

namespace MachCommerce.Benchmarks.GraphQL;

/// <summary>
/// GraphQL.NET, the .NET engine a project would otherwise take, on the same schema (schema first, from the same
/// SDL), root data and documents: parsing, and the whole pipeline (parse, validate, execute) through its
/// DocumentExecuter. Its validation and execution are not separable through its public API the way ours and
/// graphql-js's are, so those two rows have no GraphQL.NET column.
/// </summary>
[MemoryDiagnoser]
public class GraphQLDotNetOperations
{
    private ISchema _schema = null!;
    private object? _root;
    private string _query = "";
    private readonly DocumentExecuter _executer = new();

    [Params("introspection", "three fields", "storefront, 50 items")]
    public string Workload { get; set; } = "";

    [GlobalSetup]
    public void Setup()
    {
        _schema = Schema.For(GraphQLWorkload.Sdl);
        _schema.Initialize();
        // The same plain dictionaries and lists our engine gets; GraphQL.NET's default resolver reads dictionary keys.
        _root = JsonValues.ToObject(System.Text.Json.JsonDocument.Parse(GraphQLWorkload.RootJson()).RootElement);
        _query = GraphQLWorkload.Queries[Workload];
        var check = Pipeline().GetAwaiter().GetResult();
        if (check.Errors is { Count: > 0 } errors)
        {
            throw new InvalidOperationException($"GraphQL.NET failed {Workload}: {errors[0].Message}");
        }
    }

    [Benchmark]
    public GraphQLParser.AST.GraphQLDocument Parse() => GraphQLParser.Parser.Parse(_query);

    [Benchmark]
    public Task<ExecutionResult> Pipeline() => _executer.ExecuteAsync(new ExecutionOptions { Schema = _schema, Query = _query, Root = _root });
}
