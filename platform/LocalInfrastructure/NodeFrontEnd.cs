using System.Text;

namespace MachCommerce.LocalInfrastructure;

/// <summary>
/// A front end in Node.js (the storefront starter): its packages restored with <c>npm ci</c> from the committed
/// package-lock.json, and built with <c>npm run build</c> into a self-contained server, each only when what it
/// depends on changed since the last time (a fingerprint kept beside the result), so an unchanged front end costs
/// a second. The launcher and the tests build it the same way.
/// </summary>
public static class NodeFrontEnd
{
    private static readonly SemaphoreSlim OneBuildAtATime = new(1, 1);
    private static readonly string[] BuildInputs = ["package.json", "package-lock.json", "next.config.ts", "tsconfig.json", "src", "public"];

    /// <summary>The server script a build leaves (Next.js standalone output): <c>node server.js</c>, with PORT and HOSTNAME.</summary>
    public static string ServerScript(string folder) => Path.Combine(folder, ".next", "standalone", "server.js");

    public static async Task<string> EnsureBuiltAsync(string folder, CancellationToken cancellationToken = default)
    {
        await OneBuildAtATime.WaitAsync(cancellationToken);
        try
        {
            var lockStamp = Path.Combine(folder, "node_modules", ".mach-lock-stamp");
            var lockHash = Fingerprint(folder, ["package-lock.json"]);
            if (!File.Exists(lockStamp) || await File.ReadAllTextAsync(lockStamp, cancellationToken) != lockHash)
            {
                (await ProcessRunner.RunAsync("npm", ["ci", "--no-audit", "--no-fund", "--prefix", folder], timeout: TimeSpan.FromMinutes(10), cancellationToken: cancellationToken))
                    .ThrowIfFailed($"npm ci in {folder}");
                await File.WriteAllTextAsync(lockStamp, lockHash, cancellationToken);
            }

            var buildStamp = Path.Combine(folder, ".next", ".mach-build-stamp");
            var buildHash = Fingerprint(folder, BuildInputs);
            if (!File.Exists(ServerScript(folder)) || !File.Exists(buildStamp) || await File.ReadAllTextAsync(buildStamp, cancellationToken) != buildHash)
            {
                var environment = new Dictionary<string, string> { ["NEXT_TELEMETRY_DISABLED"] = "1" };
                (await ProcessRunner.RunAsync("npm", ["run", "build", "--prefix", folder], environment, TimeSpan.FromMinutes(10), cancellationToken))
                    .ThrowIfFailed($"npm run build in {folder}");
                await File.WriteAllTextAsync(buildStamp, buildHash, cancellationToken);
            }

            return ServerScript(folder);
        }
        finally
        {
            OneBuildAtATime.Release();
        }
    }

    /// <summary>The environment every run of the built server gets: its address, and no telemetry leaving the machine.</summary>
    public static Dictionary<string, string> ServerEnvironment(Uri url) => new()
    {
        ["PORT"] = url.Port.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["HOSTNAME"] = url.Host,
        ["NODE_ENV"] = "production",
        ["NEXT_TELEMETRY_DISABLED"] = "1",
    };

    /// <summary>SHA-256 over the names and contents of the given files and folders (recursively, in a stable order).</summary>
    private static string Fingerprint(string folder, IEnumerable<string> inputs)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        foreach (var input in inputs)
        {
            var path = Path.Combine(folder, input);
            IEnumerable<string> files = Directory.Exists(path) ? Directory.GetFiles(path, "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal) : File.Exists(path) ? [path] : [];
            foreach (var file in files)
            {
                hash.AppendData(Encoding.UTF8.GetBytes(Path.GetRelativePath(folder, file).Replace('\\', '/') + "\n"));
                hash.AppendData(File.ReadAllBytes(file));
            }
        }

        return Convert.ToHexString(hash.GetHashAndReset());
    }
}
