using System.Text.RegularExpressions;

namespace MachCommerce.Kubernetes.Tests;

/// <summary>
/// What the tests need to know of the repository's one Dockerfile: its stages, the build argument it publishes,
/// whether it runs the published project's own assembly, as whom, on which port.
/// </summary>
internal sealed partial record Dockerfile(IReadOnlyList<string> Stages, string PublishedProject, bool RunsTheProjectsAssembly, string? User, int Port)
{
    public static Dockerfile Read()
    {
        var path = Path.Combine(RenderedOverlay.Root, "Dockerfile");
        Assert.True(File.Exists(path), "the repository has no Dockerfile");
        var text = File.ReadAllText(path);
        var stages = From().Matches(text).Select(m => m.Groups[1].Value).ToList();
        var publish = Publish().Match(text);
        var exposed = Expose().Match(text);
        var httpPorts = HttpPorts().Match(text);
        Assert.True(stages.Count >= 2 && publish.Success && exposed.Success, $"{path} is not the multi-stage publish the tests expect");
        var port = int.Parse(exposed.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
        Assert.True(!httpPorts.Success || httpPorts.Groups[1].Value == exposed.Groups[1].Value, $"{path}: ASPNETCORE_HTTP_PORTS and EXPOSE disagree");
        // The publish step writes the project's assembly name (basename of the .csproj) where the entry point reads it.
        var runsProject = text.Contains("basename \"$PROJECT\" .csproj", StringComparison.Ordinal) && EntryPoint().IsMatch(text);
        return new Dockerfile(stages, publish.Groups[1].Value, runsProject, UserLine().Matches(text).LastOrDefault()?.Groups[1].Value, port);
    }

    [GeneratedRegex(@"^FROM\s+(\S+)", RegexOptions.Multiline)]
    private static partial Regex From();

    [GeneratedRegex(@"dotnet publish\s+(\S+)")]
    private static partial Regex Publish();

    [GeneratedRegex(@"^ENTRYPOINT\s+\[""/bin/sh"",\s*""-c"",\s*""exec dotnet \\""/app/\$\(cat /app/entry-assembly\)\\""""\]", RegexOptions.Multiline)]
    private static partial Regex EntryPoint();

    [GeneratedRegex(@"^USER\s+(\S+)", RegexOptions.Multiline)]
    private static partial Regex UserLine();

    [GeneratedRegex(@"^EXPOSE\s+(\d+)", RegexOptions.Multiline)]
    private static partial Regex Expose();

    [GeneratedRegex(@"ASPNETCORE_HTTP_PORTS=(\d+)")]
    private static partial Regex HttpPorts();
}

/// <summary>A Node.js front end's own Dockerfile: npm ci from the lock file, the build, and node running the built server.</summary>
internal sealed partial record NodeDockerfile(IReadOnlyList<string> Stages, bool RestoresFromLockFile, bool Builds, bool RunsTheServer, string? User, int Port)
{
    public static NodeDockerfile Read(string relativePath)
    {
        var path = Path.Combine(RenderedOverlay.Root, relativePath);
        Assert.True(File.Exists(path), $"{relativePath} does not exist");
        var text = File.ReadAllText(path);
        var exposed = Expose().Match(text);
        var port = PortVariable().Match(text);
        Assert.True(exposed.Success && port.Success && exposed.Groups[1].Value == port.Groups[1].Value, $"{path}: PORT and EXPOSE must name the same port");
        return new NodeDockerfile(From().Matches(text).Select(m => m.Groups[1].Value).ToList(),
            text.Contains("COPY package.json package-lock.json", StringComparison.Ordinal) && text.Contains("RUN npm ci", StringComparison.Ordinal),
            text.Contains("RUN npm run build", StringComparison.Ordinal),
            Cmd().IsMatch(text),
            UserLine().Matches(text).LastOrDefault()?.Groups[1].Value,
            int.Parse(exposed.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture));
    }

    [GeneratedRegex(@"^FROM\s+(\S+)", RegexOptions.Multiline)]
    private static partial Regex From();

    [GeneratedRegex(@"^CMD\s+\[""node"",\s*""server\.js""\]", RegexOptions.Multiline)]
    private static partial Regex Cmd();

    [GeneratedRegex(@"^USER\s+(\S+)", RegexOptions.Multiline)]
    private static partial Regex UserLine();

    [GeneratedRegex(@"^EXPOSE\s+(\d+)", RegexOptions.Multiline)]
    private static partial Regex Expose();

    [GeneratedRegex(@"\bPORT=(\d+)")]
    private static partial Regex PortVariable();
}
