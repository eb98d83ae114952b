namespace MachCommerce.Benchmarks;

/// <summary>The Markdown every results file is written in: the same head (what, when, on what, how to run it again) and tables.</summary>
internal static class Report
{
    /// <summary>
    /// A results file's title, the day and the machine it was measured on, <paramref name="setup"/> (what ran, continuing
    /// "on this machine (N cores): "), and the command that measures it again with <paramref name="arguments"/>.
    /// </summary>
    public static StringBuilder Start(string title, string setup, string arguments) => new StringBuilder()
        .AppendLine("# " + title)
        .AppendLine()
        .AppendLine(CultureInfo.InvariantCulture, $"Measured {DateTime.UtcNow:yyyy-MM-dd} on this machine ({Environment.ProcessorCount} cores): {setup}")
        .AppendLine($"Command: `dotnet run -c Release --project tests/Benchmarks -- {arguments}`.")
        .AppendLine();

    /// <summary>
    /// A table from its column names and rows (each already "| … |"), then a blank line. The first column names what was
    /// measured and the last one says something of it, so both read left-aligned; the numbers between align right.
    /// </summary>
    public static StringBuilder AppendTable(this StringBuilder report, IReadOnlyList<string> columns, IEnumerable<string> rows)
    {
        report.AppendLine("| " + string.Join(" | ", columns) + " |");
        report.AppendLine("|" + string.Join("|", columns.Select((_, i) => i == 0 || i == columns.Count - 1 ? "---" : "---:")) + "|");
        foreach (var row in rows)
        {
            report.AppendLine(row);
        }

        return report.AppendLine();
    }

    /// <summary>The table of <see cref="Latency.Result"/>s: samples, p50, p99 and max in <paramref name="unit"/>, and a last column.</summary>
    public static StringBuilder AppendLatencyTable(this StringBuilder report, string what, IEnumerable<string> rows, string last = "goal", string unit = "ms") =>
        report.AppendTable([what, "samples", $"p50 ({unit})", $"p99 ({unit})", $"max ({unit})", last], rows);
}
