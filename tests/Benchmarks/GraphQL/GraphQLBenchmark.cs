using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Diagnosers;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Loggers;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;
using BenchmarkDotNet.Toolchains.InProcess.Emit;
using MachCommerce.GraphQL.Execution;
using MachCommerce.GraphQL.Language;
using MachCommerce.GraphQL.Types;
using MachCommerce.GraphQL.Validation;

namespace MachCommerce.Benchmarks.GraphQL;

/// <summary>The schema, data and documents both engines run: a small storefront.</summary>
public static class GraphQLWorkload
{
    public const string Sdl = """
        type Query { shop: Shop! products(first: Int = 10): [Product!]! }
        type Shop { name: String! currency: String! locale: String! }
        type Product { id: ID! sku: String! name: String! brand: String price: Float! currency: String! available: Boolean! rating: Int tags: [String!]! category: Category offers: [Offer!]! }
        type Category { id: ID! name: String! }
        type Offer { price: Float! label: String }
        """;

    public const string ThreeFields = "{ shop { name currency locale } }";

    public const string Storefront = "{ products(first: 50) { id sku name brand price currency available rating tags category { id name } offers { price label } } }";

    /// <summary>graphql-js's getIntrospectionQuery() with its default options, as clients send it.</summary>
    public const string Introspection = """
        query IntrospectionQuery {
          __schema {
            queryType { name }
            mutationType { name }
            subscriptionType { name }
            types { ...FullType }
            directives { name description locations args { ...InputValue } }
          }
        }
        fragment FullType on __Type {
          kind name description
          fields(includeDeprecated: true) { name description args { ...InputValue } type { ...TypeRef } isDeprecated deprecationReason }
          inputFields { ...InputValue }
          interfaces { ...TypeRef }
          enumValues(includeDeprecated: true) { name description isDeprecated deprecationReason }
          possibleTypes { ...TypeRef }
        }
        fragment InputValue on __InputValue { name description type { ...TypeRef } defaultValue }
        fragment TypeRef on __Type {
          kind name
          ofType { kind name ofType { kind name ofType { kind name ofType { kind name ofType { kind name ofType { kind name ofType { kind name ofType { kind name ofType { kind name ofType { kind name } } } } } } } } } }
        }
        """;

    public static readonly Dictionary<string, string> Queries = new()
    {
        ["introspection"] = Introspection,
        ["three fields"] = ThreeFields,
        ["storefront, 50 items"] = Storefront,
    };

    /// <summary>The root value: a shop and 50 products, each with three tags and three offers.</summary>
    public static string RootJson() => JsonSerializer.Serialize(new
    {
        shop = new { name = "Eisenwaren Berger", currency = "EUR", locale = "de-DE" },
        products = Enumerable.Range(1, 50).Select(i => new
        {
            id = $"p{i}", sku = $"SKU-{i:D5}", name = $"Akku-Bohrschrauber {i}", brand = i % 2 == 0 ? "Bosch" : "Makita", price = 49.9 + i, currency = "EUR",
            available = i % 5 != 0, rating = i % 5 + 1, tags = new[] { "akku", "werkzeug", $"serie-{i % 3}" },
            category = new { id = "c1", name = "Akkuwerkzeug" },
            offers = Enumerable.Range(1, 3).Select(o => new { price = 49.9 + i - o, label = $"Angebot {o}" }),
        }),
    });
}

[MemoryDiagnoser]
public class GraphQLOperations
{
    private Schema _schema = null!;
    private object? _root;
    private string _query = "";
    private Document _document = null!;

    [Params("introspection", "three fields", "storefront, 50 items")]
    public string Workload { get; set; } = "";

    [GlobalSetup]
    public void Setup()
    {
        _schema = SdlSchemaBuilder.Build(GraphQLWorkload.Sdl);
        // Plain .NET objects, as graphql-js gets plain JavaScript objects: the engine's cost, not JSON's.
        _root = JsonValues.ToObject(JsonDocument.Parse(GraphQLWorkload.RootJson()).RootElement);
        _query = GraphQLWorkload.Queries[Workload];
        _document = Parser.Parse(_query);
    }

    [Benchmark]
    public Document Parse() => Parser.Parse(_query);

    [Benchmark]
    public IReadOnlyList<GraphQLError> Validate() => Validator.Validate(_schema, _document);

    [Benchmark]
    public Task<ExecutionResult> Execute() => Executor.ExecuteAsync(new ExecutionRequest(_schema, _document, RootValue: _root));

    [Benchmark]
    public async Task<ExecutionResult?> Pipeline()
    {
        var document = Parser.Parse(_query);
        return Validator.Validate(_schema, document).Count == 0 ? await Executor.ExecuteAsync(new ExecutionRequest(_schema, document, RootValue: _root)) : null;
    }
}

/// <summary>
/// Our engine (BenchmarkDotNet, in process, with allocations) and graphql-js (a node script, the same schema, data
/// and documents) on this machine in one run: parse, validate, execute and the whole pipeline for the
/// introspection query, a three-field query and a storefront query of 50 items × 11 fields with nested lists.
/// </summary>
internal static class GraphQLBenchmark
{
    public static async Task<string> RunAsync(string[] args)
    {
        var config = ManualConfig.CreateEmpty()
            .AddJob(Job.ShortRun.WithToolchain(InProcessEmitToolchain.Instance))
            .AddDiagnoser(MemoryDiagnoser.Default)
            .AddLogger(ConsoleLogger.Default)
            .AddColumnProvider(DefaultColumnProviders.Instance);
        var summary = BenchmarkRunner.Run<GraphQLOperations>(config);
        var peer = BenchmarkRunner.Run<GraphQLDotNetOperations>(config);
        var dotnet = peer.Reports.ToDictionary(
            r => ((string)r.BenchmarkCase.Parameters["Workload"], r.BenchmarkCase.Descriptor.WorkloadMethod.Name.ToLowerInvariant()),
            r => 1e9 / (r.ResultStatistics?.Mean ?? double.NaN));

        var input = Path.Combine(Path.GetTempPath(), $"graphql-bench-{Guid.NewGuid():N}.json");
        await File.WriteAllTextAsync(input, JsonSerializer.Serialize(new { sdl = GraphQLWorkload.Sdl, root = JsonDocument.Parse(GraphQLWorkload.RootJson()).RootElement, queries = GraphQLWorkload.Queries }));
        var conformance = Path.Combine(RepositoryPaths.FindRoot(), "tests", "GraphQL.Tests", "Conformance");
        if (!Directory.Exists(Path.Combine(conformance, "node_modules", "graphql")))
        {
            (await ProcessRunner.RunAsync("npm", ["ci", "--no-audit", "--no-fund", "--prefix", conformance])).ThrowIfFailed("npm ci");
        }

        var script = Path.Combine(conformance, "graphql-js-bench.mjs");
        File.Copy(Path.Combine(RepositoryPaths.FindRoot(), "tests", "Benchmarks", "GraphQL", "graphql-js-bench.mjs"), script, overwrite: true);
        ProcessRunner.Result node;
        try
        {
            node = (await ProcessRunner.RunAsync("node", [script, input], timeout: TimeSpan.FromMinutes(5))).ThrowIfFailed("graphql-js benchmark");
        }
        finally
        {
            File.Delete(script);
            File.Delete(input);
        }

        var js = JsonSerializer.Deserialize<Dictionary<string, Dictionary<string, double>>>(node.Output)!;
        var rows = new List<string>();
        foreach (var report in summary.Reports)
        {
            var workload = (string)report.BenchmarkCase.Parameters["Workload"];
            var operation = report.BenchmarkCase.Descriptor.WorkloadMethod.Name.ToLowerInvariant();
            var meanNs = report.ResultStatistics?.Mean ?? double.NaN;
            var ours = 1e9 / meanNs;
            var theirs = js[workload][operation];
            var allocated = report.GcStats.GetBytesAllocatedPerOperation(report.BenchmarkCase) ?? 0;
            var peerCell = dotnet.TryGetValue((workload, operation), out var peerOps) ? $"{peerOps:N0} | **{ours / peerOps:0.0}×**" : "— | —";
            rows.Add(string.Create(CultureInfo.InvariantCulture,
                $"| {workload} | {operation} | {ours:N0} | {theirs:N0} | **{ours / theirs:0.0}×** | {peerCell} | {meanNs / 1000:N1} µs | {allocated / 1024.0:N1} KiB |"));
        }

        return Report.Start("GraphQL engine against graphql-js and GraphQL.NET",
                "one run: our engine with BenchmarkDotNet (short run, in process, allocations by its memory diagnoser), graphql-js 17.1.0 on Node.js with the same schema, root data and documents "
                + "(warm-up, then two seconds per case), and GraphQL.NET 8.8.5 in the same process with BenchmarkDotNet (schema first from the same SDL; parse, and the pipeline through its "
                + "DocumentExecuter: its validation and execution cannot be timed apart through its public API). All use their default resolvers over plain data.",
                "graphql")
            .AppendTable(["document", "operation", "ours (ops/s)", "graphql-js (ops/s)", "ours ÷ graphql-js", "GraphQL.NET (ops/s)", "ours ÷ GraphQL.NET", "our mean", "allocated per op"], rows)
            .AppendLine("Goal: at least 3× graphql-js on each.")
            .ToString();
    }
}
