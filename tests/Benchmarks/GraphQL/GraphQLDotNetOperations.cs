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
        // The same plain dictionaries and lists our engine gets. GraphQL.NET's default resolver reads properties, not
        // dictionary keys, so each field reads its key: the work our engine's and graphql-js's default resolvers do.
        var fields = MachCommerce.GraphQL.Types.SdlSchemaBuilder.Build(GraphQLWorkload.Sdl).Types.OfType<MachCommerce.GraphQL.Types.ObjectType>()
            .Where(t => !t.Name.StartsWith("__", StringComparison.Ordinal))
            .SelectMany(t => t.Fields.Select(f => (Type: t.Name, Field: f.Name)));
        _schema = Schema.For(GraphQLWorkload.Sdl, builder =>
        {
            foreach (var (type, field) in fields)
            {
                builder.Types.For(type).FieldFor(field).Resolver = new global::GraphQL.Resolvers.FuncFieldResolver<object?>(context =>
                    context.Source is IDictionary<string, object?> source && source.TryGetValue(context.FieldDefinition.Name, out var value) ? value : null);
            }
        });
        _schema.Initialize();
        _root = MachCommerce.GraphQL.Language.JsonValues.ToObject(System.Text.Json.JsonDocument.Parse(GraphQLWorkload.RootJson()).RootElement);
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
    public Task<global::GraphQL.ExecutionResult> Pipeline() => _executer.ExecuteAsync(new ExecutionOptions { Schema = _schema, Query = _query, Root = _root });
}
