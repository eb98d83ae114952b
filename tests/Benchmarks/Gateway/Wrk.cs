using System.Text.RegularExpressions;

namespace MachCommerce.Benchmarks.Gateway;

/// <summary>
/// wrk (Debian's), the load generator the proxy comparison uses: a separate process, so the measured paths do not
/// share a thread pool with the load, and the same tool for every path. Closed loop, keep-alive connections.
/// </summary>
internal static partial class Wrk
{
    public sealed record Result(string Path, double PerSecond, double P50, double P99, long Errors)
    {
        /// <summary>The columns of <see cref="Row"/>.</summary>
        public static readonly string[] Columns = ["route", "path", "requests/s", "p50 ms", "p99 ms", "errors", "note"];

        public string Row(string route, string note) => string.Create(CultureInfo.InvariantCulture,
            $"| {route} | {Path} | {PerSecond:N0} | {P50:0.00} | {P99:0.00} | {Errors} | {note} |");
    }

    public static async Task<Result> RunAsync(string path, Uri url, IReadOnlyDictionary<string, string> headers, TimeSpan duration, int connections = 16)
    {
        var start = new ProcessStartInfo("wrk") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in new[] { "-t2", $"-c{connections}", $"-d{(int)duration.TotalSeconds}s", "--latency" })
        {
            start.ArgumentList.Add(argument);
        }

        foreach (var (name, value) in headers)
        {
            start.ArgumentList.Add("-H");
            start.ArgumentList.Add($"{name}: {value}");
        }

        start.ArgumentList.Add(url.ToString());
        using var process = Process.Start(start) ?? throw new InvalidOperationException("wrk did not start (apt install wrk)");
        var output = await process.StandardOutput.ReadToEndAsync();
        await process.WaitForExitAsync();
        var perSecond = PerSecond().Match(output);
        if (process.ExitCode != 0 || !perSecond.Success)
        {
            throw new InvalidOperationException($"wrk failed on {url}: {output}{await process.StandardError.ReadToEndAsync()}");
        }

        var errors = Errors().Matches(output).Sum(m => long.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture));
        return new Result(path, double.Parse(perSecond.Groups[1].Value, CultureInfo.InvariantCulture),
            Percentile(output, "50%"), Percentile(output, "99%"), errors);
    }

    /// <summary>A latency percentile from wrk's distribution, in milliseconds (wrk prints us, ms or s).</summary>
    private static double Percentile(string output, string which)
    {
        var match = Regex.Match(output, $@"^\s+{Regex.Escape(which)}\s+([\d.]+)(us|ms|s)\s*$", RegexOptions.Multiline);
        var value = double.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture);
        return match.Groups[2].Value switch { "us" => value / 1000, "s" => value * 1000, _ => value };
    }

    [GeneratedRegex(@"Requests/sec:\s+([\d.]+)")]
    private static partial Regex PerSecond();

    /// <summary>Socket errors (connect, read, write, timeout) and answers other than 2xx or 3xx.</summary>
    [GeneratedRegex(@"(?:connect|read|write|timeout|Non-2xx or 3xx responses:) (\d+)")]
    private static partial Regex Errors();
}
