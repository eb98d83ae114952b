using System.Diagnostics;

namespace MachCommerce.Launcher.Processes;

/// <summary>
/// One running deployable: started from its built assembly with its configuration in environment variables,
/// its output prefixed with its name, and its pid kept in a file so a launcher that was killed can be cleaned
/// up after by the next one.
/// </summary>
internal sealed class ServiceProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly string _pidFile;

    private ServiceProcess(string name, Process process, string pidFile, Uri url)
    {
        Name = name;
        _process = process;
        _pidFile = pidFile;
        Url = url;
    }

    public string Name { get; }

    public Uri Url { get; }

    public bool HasExited => _process.HasExited;

    public int ExitCode => _process.ExitCode;

    public static ServiceProcess Start(string name, string assemblyPath, Uri url, IReadOnlyDictionary<string, string> environment, string runDirectory) =>
        Start(name, "dotnet", assemblyPath, url, environment, runDirectory);

    /// <summary>A deployable run by another program than dotnet (a Node.js front end's server script).</summary>
    public static ServiceProcess Start(string name, string program, string entryPath, Uri url, IReadOnlyDictionary<string, string> environment, string runDirectory)
    {
        var start = new ProcessStartInfo("setsid") // own session: the terminal's Ctrl-C reaches only the launcher, which stops us in order
        {
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            WorkingDirectory = Path.GetDirectoryName(entryPath)!,
        };
        start.ArgumentList.Add(program);
        start.ArgumentList.Add(entryPath);
        foreach (var (key, value) in environment)
        {
            start.Environment[key] = value;
        }

        LogPrinter.Register(name);
        var process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start {name}.");
        process.StandardInput.Close();
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) { LogPrinter.Line(name, e.Data); } };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) { LogPrinter.Line(name, e.Data); } };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        Directory.CreateDirectory(runDirectory);
        var pidFile = Path.Combine(runDirectory, $"{name}.pid");
        File.WriteAllText(pidFile, $"{process.Id}\n{entryPath}");
        return new ServiceProcess(name, process, pidFile, url);
    }

    /// <summary>SIGTERM (graceful: in-flight requests finish), then SIGKILL after <paramref name="grace"/>.</summary>
    public async Task StopAsync(TimeSpan grace)
    {
        if (!_process.HasExited)
        {
            await ProcessRunner.RunAsync("kill", ["-TERM", _process.Id.ToString(CultureInfo.InvariantCulture)]);
            using var wait = new CancellationTokenSource(grace);
            try
            {
                await _process.WaitForExitAsync(wait.Token);
            }
            catch (OperationCanceledException)
            {
                _process.Kill(entireProcessTree: true);
                await _process.WaitForExitAsync();
            }
        }

        File.Delete(_pidFile);
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync(TimeSpan.FromSeconds(20));
        _process.Dispose();
    }

    /// <summary>Kills processes a previous launcher started and left behind (it was killed itself).</summary>
    public static void StopLeftovers(string runDirectory)
    {
        if (!Directory.Exists(runDirectory))
        {
            return;
        }

        foreach (var pidFile in Directory.GetFiles(runDirectory, "*.pid"))
        {
            var lines = File.ReadAllLines(pidFile);
            if (lines.Length >= 2 && int.TryParse(lines[0], CultureInfo.InvariantCulture, out var pid) && ProcessRunner.CommandLine(pid).Contains(lines[1], StringComparison.Ordinal))
            {
                try
                {
                    using var process = Process.GetProcessById(pid);
                    process.Kill(entireProcessTree: true);
                    process.WaitForExit(10_000);
                }
                catch (ArgumentException)
                {
                    // gone meanwhile
                }
            }

            File.Delete(pidFile);
        }
    }

}
