using MachCommerce.Testing.Messaging;

namespace MachCommerce.Benchmarks.Messaging;

/// <summary>
/// End to end, commit to consumer effect: the sample "notes" service writes notes and their events in one
/// transaction each, the relay publishes them with publisher confirms, and the "audit" service applies each
/// through the inbox in its own transaction. Measured for 1 and 4 relay workers on durable (fsync) servers.
/// </summary>
internal static class MessagingBenchmark
{
    public static async Task<string> RunAsync(string[] args)
    {
        var events = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 20_000;
        const int eventsPerCommit = 50;
        await using var servers = await BenchmarkServers.StartAsync();

        var rows = new List<string>();
        foreach (var workers in new[] { 1, 4 })
        {
            var (database, broker) = await servers.FreshAsync($"messaging_{workers}");
            await using var audit = await TestService.StartAsync("audit", database, broker, consumes: true, new Dictionary<string, string?>
            {
                ["Messaging:ConcurrentMessageLimit"] = "16",
                ["Messaging:PrefetchCount"] = "64",
            });
            await using var notes = await TestService.StartAsync("notes", database, broker, consumes: false, new Dictionary<string, string?>
            {
                ["Messaging:RelayWorkers"] = workers.ToString(CultureInfo.InvariantCulture),
            });

            await Produce(notes, "warm-up", 1_000, eventsPerCommit);
            await audit.WaitForCountAsync("SELECT count(*) FROM audit.received", 1_000, TimeSpan.FromMinutes(2));

            // Throughput: as fast as eight writers can commit; the pipeline runs saturated.
            var clock = Stopwatch.StartNew();
            await Produce(notes, "burst", events, eventsPerCommit);
            var produced = clock.Elapsed;
            await notes.WaitForCountAsync("SELECT count(*) FROM notes.outbox WHERE sent_at IS NULL", 0, TimeSpan.FromMinutes(10));
            var relayed = clock.Elapsed;
            var received = await audit.WaitForCountAsync("SELECT count(*) FROM audit.received", 1_000 + events, TimeSpan.FromMinutes(10));
            var total = clock.Elapsed;
            if (received != 1_000 + events)
            {
                throw new InvalidOperationException($"only {received - 1_000} of {events} events arrived");
            }

            // Delay: a steady 200 single-event commits per second for 10 s, well below saturation.
            await ProduceSteadily(notes, "steady", perSecond: 200, TimeSpan.FromSeconds(10));
            await audit.WaitForCountAsync("SELECT count(*) FROM audit.received", 1_000 + events + 2_000, TimeSpan.FromMinutes(2));
            var p50 = await audit.CountAsync(Percentile(0.50));
            var p99 = await audit.CountAsync(Percentile(0.99));
            rows.Add(string.Create(CultureInfo.InvariantCulture,
                $"| {workers} | {events:N0} | {events / produced.TotalSeconds:N0} | {events / relayed.TotalSeconds:N0} | {events / total.TotalSeconds:N0} | {p50} | {p99} |"));
            Console.WriteLine(rows[^1]);
        }

        return Report.Start("Messaging: outbox → RabbitMQ → inbox, end to end",
                $"one process for both sample services, PostgreSQL with fsync on, RabbitMQ quorum queues with publisher confirms, {eventsPerCommit} events per committed transaction, 8 writers. "
                + "Throughput: a burst of events as fast as the writers commit (columns: commits/s of events, relay publishes/s until the outbox is empty, events/s until the last consumer effect). "
                + "Delay: at a steady 200 single-event commits/s for 10 s, from the event's creation in the writer's transaction to the consumer's commit of its effect.",
                "messaging [events]")
            .AppendTable(["relay workers", "burst events", "committed/s", "relayed/s", "end to end events/s", "steady delay p50 (ms)", "steady delay p99 (ms)"], rows)
            .ToString();
    }

    private static string Percentile(double fraction) => string.Create(CultureInfo.InvariantCulture,
        $"SELECT round(percentile_cont({fraction}) WITHIN GROUP (ORDER BY extract(epoch FROM received_at - occurred_at) * 1000))::bigint FROM audit.received WHERE ordering_key LIKE 'steady-%'");

    /// <summary>One event per commit at a fixed rate, each request started on schedule whatever the previous one does.</summary>
    private static async Task ProduceSteadily(TestService notes, string prefix, int perSecond, TimeSpan duration)
    {
        var total = (int)(perSecond * duration.TotalSeconds);
        var clock = Stopwatch.StartNew();
        var requests = new List<Task<HttpResponseMessage>>(total);
        for (var i = 0; i < total; i++)
        {
            var due = TimeSpan.FromSeconds((double)i / perSecond);
            if (due > clock.Elapsed)
            {
                await Task.Delay(due - clock.Elapsed);
            }

            requests.Add(notes.Client.PostAsJsonAsync("/notes", new TestService.AddNotesRequest($"{prefix}-{i % 100}", 1, "steady")));
        }

        foreach (var response in await Task.WhenAll(requests))
        {
            response.EnsureSuccessStatusCode();
        }
    }

    /// <summary>Writes <paramref name="events"/> events, <paramref name="perCommit"/> per transaction, from eight concurrent writers.</summary>
    private static async Task Produce(TestService notes, string prefix, int events, int perCommit)
    {
        var commits = events / perCommit;
        var next = -1;
        await Task.WhenAll(Enumerable.Range(0, 8).Select(async _ =>
        {
            int commit;
            while ((commit = Interlocked.Increment(ref next)) < commits)
            {
                var response = await notes.Client.PostAsJsonAsync("/notes", new TestService.AddNotesRequest($"{prefix}-{commit}", perCommit, "benchmark"));
                response.EnsureSuccessStatusCode();
            }
        }));
    }
}
