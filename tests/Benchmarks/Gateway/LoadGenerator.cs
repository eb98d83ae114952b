namespace MachCommerce.Benchmarks.Gateway;

/// <summary>
/// HTTP load on loopback, bounded in time: closed loop (a fixed number of clients, each sending its next request
/// when the last answered: throughput) and open loop (requests started on a fixed schedule whatever the answers
/// do, latency counted from the scheduled start, so a slow server cannot hide its queue: latency at a given rate).
/// </summary>
internal static class LoadGenerator
{
    public sealed record Result(string Name, int Requests, int Failures, double Seconds, double P50, double P99, double Max, IReadOnlyDictionary<string, int> Why)
    {
        public double PerSecond => Requests / Seconds;

        /// <summary>The failures by reason, most frequent first, so a table says why and not only how many.</summary>
        public string Reasons => string.Join("; ", Why.OrderByDescending(pair => pair.Value).Take(3).Select(pair => $"{pair.Value:N0}× {pair.Key}"));

        /// <summary>The columns of <see cref="Row"/>, first named <paramref name="what"/>.</summary>
        public static string[] Columns(string what = "load") => [what, "requests", "per second", "p50 ms", "p99 ms", "max ms", "failures", "note"];

        public string Row(string note) => string.Create(CultureInfo.InvariantCulture,
            $"| {Name} | {Requests:N0} | {PerSecond:N0} | {P50:0.00} | {P99:0.00} | {Max:0.00} | {Failures} | {note}{(Failures > 0 ? $" (failures: {Reasons})" : "")} |");
    }

    private static void Count(System.Collections.Concurrent.ConcurrentDictionary<string, int> why, Exception failure)
    {
        var reason = failure is TaskCanceledException ? "timed out" : failure.Message.Split('\n')[0];
        why.AddOrUpdate(reason.Length > 120 ? reason[..120] : reason, 1, (_, n) => n + 1);
    }

    public static async Task<Result> ClosedAsync(string name, int clients, TimeSpan duration, Func<int, Task> request)
    {
        var timings = new List<double>[clients];
        var failures = 0;
        var why = new System.Collections.Concurrent.ConcurrentDictionary<string, int>();
        var started = Stopwatch.GetTimestamp();
        var end = started + (long)(duration.TotalSeconds * Stopwatch.Frequency);
        await Task.WhenAll(Enumerable.Range(0, clients).Select(async client =>
        {
            var mine = timings[client] = [];
            for (var i = client; Stopwatch.GetTimestamp() < end; i += clients)
            {
                var begin = Stopwatch.GetTimestamp();
                try
                {
                    await request(i);
                }
                catch (Exception e) when (e is HttpRequestException or InvalidOperationException or TaskCanceledException)
                {
                    Interlocked.Increment(ref failures);
                    Count(why, e);
                }

                mine.Add(Stopwatch.GetElapsedTime(begin).TotalMilliseconds);
            }
        }));
        var seconds = Stopwatch.GetElapsedTime(started).TotalSeconds;
        return Summarize(name, [.. timings.SelectMany(t => t)], failures, why, seconds);
    }

    public static async Task<Result> OpenAsync(string name, int perSecond, TimeSpan duration, Func<int, Task> request)
    {
        var total = (int)(perSecond * duration.TotalSeconds);
        var latencies = new double[total];
        var failures = 0;
        var why = new System.Collections.Concurrent.ConcurrentDictionary<string, int>();
        var tasks = new List<Task>(total);
        var started = Stopwatch.GetTimestamp();
        var next = 0;
        while (next < total)
        {
            // Start every request whose time has come, then sleep a millisecond: no core is burnt spinning.
            var now = Stopwatch.GetTimestamp();
            while (next < total && started + (long)(next * (double)Stopwatch.Frequency / perSecond) <= now)
            {
                var index = next++;
                var scheduled = started + (long)(index * (double)Stopwatch.Frequency / perSecond);
                tasks.Add(Task.Run(async () =>
                {
                    try
                    {
                        await request(index);
                    }
                    catch (Exception e) when (e is HttpRequestException or InvalidOperationException or TaskCanceledException)
                    {
                        Interlocked.Increment(ref failures);
                        Count(why, e);
                    }

                    latencies[index] = (Stopwatch.GetTimestamp() - scheduled) * 1000.0 / Stopwatch.Frequency;
                }));
            }

            await Task.Delay(1);
        }

        await Task.WhenAll(tasks);
        return Summarize(name, latencies, failures, why, Stopwatch.GetElapsedTime(started).TotalSeconds);
    }

    private static Result Summarize(string name, double[] latencies, int failures, IReadOnlyDictionary<string, int> why, double seconds)
    {
        Array.Sort(latencies);
        return new Result(name, latencies.Length, failures, seconds, Latency.Percentile(latencies, 0.50), Latency.Percentile(latencies, 0.99),
            latencies.Length == 0 ? double.NaN : latencies[^1], why);
    }
}
