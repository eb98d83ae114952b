using System.Diagnostics;
using System.Globalization;

namespace MachCommerce.Benchmarks;

/// <summary>Runs an operation repeatedly, one at a time, and reports its latency percentiles in milliseconds.</summary>
internal static class Latency
{
    public sealed record Result(string Name, int Samples, double P50, double P99, double Max)
    {
        public string Row(string goal) => string.Create(CultureInfo.InvariantCulture, $"| {Name} | {Samples} | {P50:0.00} | {P99:0.00} | {Max:0.00} | {goal} |");
    }

    public static async Task<Result> MeasureAsync(string name, int samples, Func<int, Task> operation, int warmUp = 20)
    {
        for (var i = 0; i < warmUp; i++)
        {
            await operation(i);
        }

        var timings = new double[samples];
        for (var i = 0; i < samples; i++)
        {
            var started = Stopwatch.GetTimestamp();
            await operation(i);
            timings[i] = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
        }

        Array.Sort(timings);
        return new Result(name, samples, Percentile(timings, 0.50), Percentile(timings, 0.99), timings[^1]);
    }

    /// <summary>One measured request: a GET that must succeed.</summary>
    public static async Task GetAsync(HttpClient client, string path) => (await client.GetAsync(path)).EnsureSuccessStatusCode();

    /// <summary>One measured request: a JSON POST that must succeed.</summary>
    public static async Task PostAsync(HttpClient client, string path, object body) =>
        (await System.Net.Http.Json.HttpClientJsonExtensions.PostAsJsonAsync(client, path, body)).EnsureSuccessStatusCode();

    private static double Percentile(double[] sorted, double fraction) => sorted[Math.Min(sorted.Length - 1, (int)Math.Ceiling(fraction * sorted.Length) - 1)];
}
