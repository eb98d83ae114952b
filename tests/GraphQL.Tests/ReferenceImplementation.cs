using MachCommerce.LocalInfrastructure;
using MachCommerce.Testing;

namespace MachCommerce.GraphQL.Tests;

/// <summary>What graphql-js said about one document.</summary>
public sealed record ReferenceVerdict(bool Ok, int Line, int Column, string? Message);

public sealed record AuditResult(string Id, string Name, string Status, string? Reason);

public sealed record ReferenceIntrospection(string Query, JsonElement Result, string ClientSchema);

/// <summary>What graphql-js printed for one SDL document (printSchema(buildSchema(sdl))), or why it refused it.</summary>
public sealed record ReferenceSchema(bool Ok, string? Printed, string? Message);

/// <summary>
/// graphql-js, the reference implementation, run with the machine's Node.js from tests/GraphQL.Tests/Conformance
/// (its pinned version restored with npm ci the first time).
/// </summary>
public static class ReferenceImplementation
{
    public static string Folder => Path.Combine(RepositoryPaths.FindRoot(), "tests", "GraphQL.Tests", "Conformance");

    public static Task<List<ReferenceVerdict>> ParseAsync(IReadOnlyList<string> documents) => RunAsync<ReferenceVerdict>("parse.mjs", [.. documents]);

    public static Task<List<ReferenceSchema>> PrintSchemaAsync(IReadOnlyList<string> documents) => RunAsync<ReferenceSchema>("print-schema.mjs", [.. documents]);

    /// <summary>graphql-js's execution results, as JSON, for cases of {sdl, root, query, variables, operationName}.</summary>
    public static Task<List<JsonElement>> ExecuteAsync(IReadOnlyList<object> cases) => RunAsync<JsonElement>("execute.mjs", cases);

    /// <summary>graphql-js's validation errors for cases of {sdl, query}, with the rules our engine implements.</summary>
    public static Task<List<JsonElement>> ValidateAsync(IReadOnlyList<object> cases) => RunAsync<JsonElement>("validate.mjs", cases);

    /// <summary>For each SDL: graphql-js's full introspection query, its result, and the schema a client rebuilds from it.</summary>
    public static Task<List<ReferenceIntrospection>> IntrospectAsync(IReadOnlyList<string> schemas) => RunAsync<ReferenceIntrospection>("introspect.mjs", [.. schemas]);

    /// <summary>graphql-http's server audits against a running endpoint.</summary>
    public static async Task<List<AuditResult>> AuditAsync(Uri endpoint)
    {
        await EnsureRestoredAsync();
        var result = (await ProcessRunner.RunAsync("node", [Path.Combine(Folder, "audit.mjs"), endpoint.ToString()], timeout: TimeSpan.FromMinutes(2)))
            .ThrowIfFailed("graphql-http audits (node audit.mjs)");
        return JsonSerializer.Deserialize<List<AuditResult>>(result.Output, JsonSerializerOptions.Web)!;
    }

    private static async Task<List<T>> RunAsync<T>(string script, IReadOnlyList<object> documents)
    {
        await EnsureRestoredAsync();
        var input = Path.Combine(Path.GetTempPath(), $"graphql-conformance-{Guid.NewGuid():N}.json");
        await File.WriteAllTextAsync(input, JsonSerializer.Serialize(documents));
        try
        {
            var result = (await ProcessRunner.RunAsync("node", [Path.Combine(Folder, script), input], timeout: TimeSpan.FromMinutes(2)))
                .ThrowIfFailed($"graphql-js (node {script})");
            return JsonSerializer.Deserialize<List<T>>(result.Output, JsonSerializerOptions.Web)!;
        }
        finally
        {
            File.Delete(input);
        }
    }

    private static Task EnsureRestoredAsync() => NodePackages.EnsureRestoredAsync(Folder, "graphql", "graphql-http");
}
