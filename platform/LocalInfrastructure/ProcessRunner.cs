using System.Text;

namespace MachCommerce.LocalInfrastructure;

/// <summary>Runs short-lived commands (initdb, pg_ctl, apt-get) and answers their exit code and output.</summary>
public static class ProcessRunner
{
    public sealed record Result(int ExitCode, string Output)
    {
        public Result ThrowIfFailed(string what) =>
            ExitCode == 0 ? this : throw new InfrastructureException($"{what} failed with exit code {ExitCode}: {Tail(Output)}");
    }

    public static async Task<Result> RunAsync(string fileName, IEnumerable<string> arguments, IReadOnlyDictionary<string, string>? environment = null,
        TimeSpan? timeout = null, CancellationToken cancellationToken = default)
    {
        var start = new ProcessStartInfo(fileName)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        foreach (var (key, value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[key] = value;
        }

        using var process = Process.Start(start) ?? throw new InfrastructureException($"Could not start {fileName}.");
        process.StandardInput.Close();
        var output = new StringBuilder();
        var lockObject = new object();
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) { lock (lockObject) { output.AppendLine(e.Data); } } };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) { lock (lockObject) { output.AppendLine(e.Data); } } };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        limit.CancelAfter(timeout ?? TimeSpan.FromMinutes(5));
        try
        {
            await process.WaitForExitAsync(limit.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new InfrastructureException($"{fileName} {string.Join(' ', start.ArgumentList)} did not finish in time.");
        }

        lock (lockObject)
        {
            return new Result(process.ExitCode, output.ToString());
        }
    }

    /// <summary>The command line that runs <paramref name="fileName"/> as <paramref name="user"/> when we are root, as is otherwise.</summary>
    public static (string FileName, List<string> Arguments) AsUser(string? user, string fileName, IEnumerable<string> arguments) =>
        user is null ? (fileName, arguments.ToList()) : ("runuser", ["-u", user, "--", fileName, .. arguments]);

    public static bool IsRoot => Environment.UserName == "root" || Environment.GetEnvironmentVariable("USER") == "root" || GetEuid() == 0;

    [System.Runtime.InteropServices.DllImport("libc", EntryPoint = "geteuid")]
    private static extern uint GetEuid();

    /// <summary>A process's command line from /proc ("" when it is gone), to tell our processes from a reused pid.</summary>
    public static string CommandLine(int pid)
    {
        try
        {
            return File.ReadAllText($"/proc/{pid}/cmdline").Replace('\0', ' ');
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            return "";
        }
    }

    public static string Tail(string text, int lines = 15) =>
        string.Join('\n', text.Split('\n', StringSplitOptions.RemoveEmptyEntries).TakeLast(lines));
}

public sealed class InfrastructureException(string message, Exception? inner = null) : Exception(message, inner);
