using MachCommerce.Launcher.Processes;
using MachCommerce.LocalInfrastructure;

namespace MachCommerce.Launcher.Tests;

/// <summary>
/// The run command builds what it runs: a project never built before, again after its source changed, and on a
/// compiler error it says what the compiler said (it once printed only the path of an assembly that did not exist).
/// </summary>
public sealed class DeployableBuildTests : IDisposable
{
    private readonly string _folder = Path.Combine(RepositoryPaths.DataRoot(), "tests", "scratch", "build-" + Guid.NewGuid().ToString("N")[..8]);

    public DeployableBuildTests()
    {
        Directory.CreateDirectory(_folder);
        // Outside the repository's Directory.Build.props, so the project stands alone.
        File.WriteAllText(Path.Combine(_folder, "Directory.Build.props"), "<Project />");
        File.WriteAllText(Path.Combine(_folder, "Directory.Packages.props"), "<Project />");
        File.WriteAllText(Path.Combine(_folder, "Tiny.csproj"), """
            <Project Sdk="Microsoft.NET.Sdk">
              <PropertyGroup><OutputType>Exe</OutputType><TargetFramework>net10.0</TargetFramework><Nullable>enable</Nullable></PropertyGroup>
            </Project>
            """);
    }

    private string Project => Path.Combine(_folder, "Tiny.csproj");

    private void Source(string code) => File.WriteAllText(Path.Combine(_folder, "Program.cs"), code);

    [Fact]
    public async Task A_project_is_built_for_real_rebuilt_after_a_change_and_a_compiler_error_is_shown_as_written()
    {
        Source("""System.Console.WriteLine("first");""");
        var assembly = await DeployableBuild.RunAsync(Project, "Release", CancellationToken.None);
        Assert.True(File.Exists(assembly));
        Assert.Equal("first", (await ProcessRunner.RunAsync("dotnet", [assembly])).Output.Trim());

        Source("""System.Console.WriteLine("second");""");
        assembly = await DeployableBuild.RunAsync(Project, "Release", CancellationToken.None);
        Assert.Equal("second", (await ProcessRunner.RunAsync("dotnet", [assembly])).Output.Trim());

        Source("""int broken = "text";""");
        var failure = await Assert.ThrowsAsync<LaunchException>(() => DeployableBuild.RunAsync(Project, "Release", CancellationToken.None));
        Assert.Contains("Program.cs(1,", failure.Message, StringComparison.Ordinal);
        Assert.Contains("error CS0029", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_command_line_builds_Release_unless_Debug_is_asked_for()
    {
        Assert.Equal("Release", LauncherOptions.Parse([], out _).Configuration);
        Assert.Equal("Debug", LauncherOptions.Parse(["--debug"], out var error).Configuration);
        Assert.Null(error);
        LauncherOptions.Parse(["--fast"], out error);
        Assert.Contains("--fast", error, StringComparison.Ordinal);
    }

    public void Dispose() => Directory.Delete(_folder, recursive: true);
}
