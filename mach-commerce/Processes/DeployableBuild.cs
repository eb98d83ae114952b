namespace MachCommerce.Launcher.Processes;

/// <summary>
/// Builds a deployable's project for real and answers its assembly. Incremental, so a source changed since the
/// last start is compiled in and an unchanged one costs a second. <c>-getProperty</c> alone only evaluates a
/// project (on SDK 10 nothing is compiled); with <c>-t:Build</c> the build runs first.
/// </summary>
internal static class DeployableBuild
{
    public static async Task<string> RunAsync(string project, string configuration, CancellationToken cancellationToken)
    {
        var result = await ProcessRunner.RunAsync("dotnet", ["build", project, "-c", configuration, "-nologo", "-v:q", "-t:Build", "-getProperty:TargetPath"],
            timeout: TimeSpan.FromMinutes(10), cancellationToken: cancellationToken);
        var lines = result.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var targetPath = lines.LastOrDefault(line => line.EndsWith(".dll", StringComparison.Ordinal));
        if (result.ExitCode != 0 || targetPath is null || !File.Exists(targetPath))
        {
            // The compiler's own words: every error line (MSBuild repeats them in its summary), else the output's tail.
            var errors = lines.Where(line => line.Contains(": error ", StringComparison.Ordinal)).Distinct().Take(30).ToList();
            throw new LaunchException($"building {Path.GetFileNameWithoutExtension(project)} failed:\n{(errors.Count > 0 ? string.Join('\n', errors) : ProcessRunner.Tail(result.Output, 30))}");
        }

        return targetPath;
    }
}
