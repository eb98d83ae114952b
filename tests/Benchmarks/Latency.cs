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

    /// <summary>One measured request: a GET that must succeed, its whole body received.</summary>
    public static Task GetAsync(HttpClient client, string path) => SendAsync(client, new HttpRequestMessage(HttpMethod.Get, path));

    /// <summary>One measured request: a JSON POST that must succeed, its whole body received.</summary>
    public static Task PostAsync(HttpClient client, string path, object body) =>
        SendAsync(client, new HttpRequestMessage(HttpMethod.Post, path) { Content = System.Net.Http.Json.JsonContent.Create(body) });

    /// <summary>
    /// Reads the body to its last byte through a pooled copy buffer rather than into a new array per response: the
    /// services run in the benchmark's process, and a 100 KiB body buffered per request lands on the large object
    /// heap, whose collections (every ~20 requests) then paused the service under test, not just the client.
    /// </summary>
    private static async Task SendAsync(HttpClient client, HttpRequestMessage request)
    {
        using (request)
        using (var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead))
        {
            response.EnsureSuccessStatusCode();
            await response.Content.CopyToAsync(Stream.Null);
        }
    }

    /// <summary>The nearest-rank percentile of sorted samples (NaN when there are none).</summary>
    public static double Percentile(double[] sorted, double fraction) =>
        sorted.Length == 0 ? double.NaN : sorted[Math.Min(sorted.Length - 1, (int)Math.Ceiling(fraction * sorted.Length) - 1)];
}
