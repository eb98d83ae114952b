using System.Collections.Concurrent;
using System.Text.Json;
using MachCommerce.LocalInfrastructure;
using MachCommerce.Testing;

namespace MachCommerce.Kubernetes.Tests;

/// <summary>An overlay as <c>kubectl kustomize</c> renders it, parsed, with what the schema check found.</summary>
public sealed record RenderedOverlay(string Name, IReadOnlyList<JsonElement> Objects, IReadOnlyList<JsonElement> Problems)
{
    private static readonly ConcurrentDictionary<string, Lazy<Task<RenderedOverlay>>> Cache = new();

    public static readonly string[] Names = ["dev", "prod"];

    public static string Root => RepositoryPaths.FindRoot();

    private static string Validation => Path.Combine(Root, "tests", "Kubernetes.Tests", "Validation");

    public static Task<RenderedOverlay> GetAsync(string overlay) => Cache.GetOrAdd(overlay, name => new Lazy<Task<RenderedOverlay>>(() => RenderAsync(name))).Value;

    private static async Task<RenderedOverlay> RenderAsync(string overlay)
    {
        var rendered = (await ProcessRunner.RunAsync("kubectl", ["kustomize", Path.Combine(Root, "k8s", "overlays", overlay)], timeout: TimeSpan.FromMinutes(1)))
            .ThrowIfFailed($"kubectl kustomize k8s/overlays/{overlay}");
        var file = Path.Combine(Path.GetTempPath(), $"mach-k8s-{overlay}-{Guid.NewGuid():N}.yaml");
        await File.WriteAllTextAsync(file, rendered.Output);
        try
        {
            await NodePackages.EnsureRestoredAsync(Validation, "kubernetes-models", "ajv", "yaml");
            using var result = JsonDocument.Parse(await NodePackages.RunAsync(Validation, "validate.mjs", file));
            var root = result.RootElement.Clone();
            return new RenderedOverlay(overlay, [.. root.GetProperty("documents").EnumerateArray()], [.. root.GetProperty("problems").EnumerateArray()]);
        }
        finally
        {
            File.Delete(file);
        }
    }

    public IEnumerable<JsonElement> OfKind(string kind) => Objects.Where(o => o.GetProperty("kind").GetString() == kind);

    public JsonElement Named(string kind, string name) => OfKind(kind).Single(o => o.Name() == name);

    public IEnumerable<JsonElement> Deployments => OfKind("Deployment");
}

public static class ManifestJson
{
    public static string Name(this JsonElement o) => o.GetProperty("metadata").GetProperty("name").GetString()!;

    public static JsonElement? At(this JsonElement o, params string[] path)
    {
        var current = o;
        foreach (var step in path)
        {
            if (current.ValueKind != JsonValueKind.Object || !current.TryGetProperty(step, out current))
            {
                return null;
            }
        }

        return current;
    }

    public static IEnumerable<JsonElement> Items(this JsonElement? array) =>
        array is { ValueKind: JsonValueKind.Array } a ? a.EnumerateArray() : [];

    public static Dictionary<string, string> Labels(this JsonElement? map) =>
        map is { ValueKind: JsonValueKind.Object } m ? m.EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetString()!) : [];

    public static IEnumerable<JsonElement> Containers(this JsonElement deployment) =>
        deployment.At("spec", "template", "spec", "containers").Items();
}
