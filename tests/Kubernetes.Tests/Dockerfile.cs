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
