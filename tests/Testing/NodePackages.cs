namespace MachCommerce.Testing;

/// <summary>
/// npm packages a test runs with the machine's Node.js (graphql-js, Kubernetes schemas): restored once per folder
/// with <c>npm ci</c> from the committed package-lock.json, so every machine runs the same versions.
/// </summary>
public static class NodePackages
{
    private static readonly SemaphoreSlim Restore = new(1, 1);

    /// <summary>Runs <c>npm ci</c> in <paramref name="folder"/> unless each of <paramref name="packages"/> is installed there already.</summary>
    public static async Task EnsureRestoredAsync(string folder, params string[] packages)
    {
        await Restore.WaitAsync();
        try
        {
            if (packages.Any(package => !Directory.Exists(Path.Combine(folder, "node_modules", package))))
            {
                (await ProcessRunner.RunAsync("npm", ["ci", "--no-audit", "--no-fund", "--prefix", folder], timeout: TimeSpan.FromMinutes(5)))
                    .ThrowIfFailed($"npm ci in {folder}");
            }
        }
        finally
        {
            Restore.Release();
        }
    }

    /// <summary>Runs a script of <paramref name="folder"/> with node and returns what it printed.</summary>
    public static async Task<string> RunAsync(string folder, string script, params string[] arguments)
    {
        var result = await ProcessRunner.RunAsync("node", [Path.Combine(folder, script), .. arguments], timeout: TimeSpan.FromMinutes(2));
        return result.ThrowIfFailed($"node {script}").Output;
    }
}
