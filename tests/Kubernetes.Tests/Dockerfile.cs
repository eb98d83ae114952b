using System.Text.RegularExpressions;

namespace MachCommerce.Kubernetes.Tests;

/// <summary>What the tests need to know of a deployable's Dockerfile: its stages, the project it publishes, what it runs, as whom, on which port.</summary>
internal sealed partial record Dockerfile(IReadOnlyList<string> Stages, string PublishedProject, string EntryPointAssembly, string? User, int Port)
{
    public static Dockerfile Read(string folder)
    {
        var path = Path.Combine(RenderedOverlay.Root, folder, "Dockerfile");
        Assert.True(File.Exists(path), $"{folder} has no Dockerfile");
        var text = File.ReadAllText(path);
        var stages = From().Matches(text).Select(m => m.Groups[1].Value).ToList();
        var publish = Publish().Match(text);
        var entry = EntryPoint().Match(text);
        var user = UserLine().Matches(text).LastOrDefault()?.Groups[1].Value;
        var exposed = Expose().Match(text);
        var httpPorts = HttpPorts().Match(text);
        Assert.True(stages.Count >= 2 && publish.Success && entry.Success && exposed.Success, $"{path} is not the multi-stage publish the tests expect");
        var port = int.Parse(exposed.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
        Assert.True(!httpPorts.Success || httpPorts.Groups[1].Value == exposed.Groups[1].Value, $"{path}: ASPNETCORE_HTTP_PORTS and EXPOSE disagree");
        return new Dockerfile(stages, publish.Groups[1].Value, entry.Groups[1].Value, user, port);
    }

    [GeneratedRegex(@"^FROM\s+(\S+)", RegexOptions.Multiline)]
    private static partial Regex From();

    [GeneratedRegex(@"dotnet publish\s+(\S+\.csproj)")]
    private static partial Regex Publish();

    [GeneratedRegex(@"^ENTRYPOINT\s+\[""dotnet"",\s*""([^""]+)""\]", RegexOptions.Multiline)]
    private static partial Regex EntryPoint();

    [GeneratedRegex(@"^USER\s+(\S+)", RegexOptions.Multiline)]
    private static partial Regex UserLine();

    [GeneratedRegex(@"^EXPOSE\s+(\d+)", RegexOptions.Multiline)]
    private static partial Regex Expose();

    [GeneratedRegex(@"ASPNETCORE_HTTP_PORTS=(\d+)")]
    private static partial Regex HttpPorts();
}
