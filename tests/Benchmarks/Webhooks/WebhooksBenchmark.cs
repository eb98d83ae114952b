using System.Collections.Concurrent;
using MachCommerce.Contracts.Catalog.V1;
using MachCommerce.Webhooks;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using RabbitMQ.Client;

namespace MachCommerce.Benchmarks.Webhooks;

/// <summary>
/// The webhooks service (its real Program on Kestrel, durable PostgreSQL and RabbitMQ) delivering to receivers on
/// loopback (minimal Kestrel apps in this process): how many deliveries a second it sends, and how long an event
/// takes from its publication to the receiver at a steady 500 events/s, with and without a dead receiver (one that
/// accepts the connection and never answers) subscribed to the same events, side by side in one run.
/// </summary>
internal static class WebhooksBenchmark
{
    private const string Tenant = "bench-shop";

    public static async Task<string> RunAsync(string[] args)
    {
        var seconds = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 20;
        await using var servers = await BenchmarkServers.StartAsync();
        var (database, broker) = await servers.FreshAsync("webhooks");
        await using var webhooks = ServiceUnderTest.Start<WebhooksDatabase>("services/webhooks", database, broker, environment: "Benchmark", settings: new Dictionary<string, string?>
        {
            ["Webhooks:AllowLoopbackTargets"] = "true",
            ["Webhooks:AllowHttpTargets"] = "true",
            ["Webhooks:AttemptTimeout"] = "00:00:05",
        });
        await webhooks.AnonymousClient().WaitUntilBusHealthyAsync();
        var owner = webhooks.Client(Tenant);

        var received = new Receiver();
        var (live, liveAddress) = await LoopbackServer.StartAsync(app => app.MapPost("/hooks", (Delegate)received.TakeAsync));
        var (dead, deadAddress) = await LoopbackServer.StartAsync(app => app.MapPost("/hooks", async (HttpContext http) =>
            await Task.Delay(Timeout.InfiniteTimeSpan, http.RequestAborted).ContinueWith(_ => Results.StatusCode(504), TaskScheduler.Default)));
        await using var connection = await new ConnectionFactory { Uri = broker }.CreateConnectionAsync();
        await using var channel = await connection.CreateChannelAsync();

        // 1. Throughput: events kept while the subscription is paused, then all of them redelivered at once.
        var backlog = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 20_000;
        var paused = await SubscribeAsync(owner, liveAddress, active: false);
        var since = DateTimeOffset.UtcNow.AddSeconds(-1);
        var publishing = Stopwatch.StartNew();
        for (var i = 0; i < backlog; i++)
        {
            await channel.PublishEventAsync(Event(i));
        }

        await WaitAsync(async () => await Sql.ScalarAsync<long>(database, "SELECT count(*) FROM webhooks.events") >= backlog, TimeSpan.FromMinutes(5));
        var ingest = backlog / publishing.Elapsed.TotalSeconds;
        (await owner.PutAsJsonAsync($"/subscriptions/{paused}", new { url = new Uri(liveAddress, "hooks").ToString(), eventTypes = new[] { "product.changed" }, active = true }))
            .EnsureSuccessStatusCode();
        received.Reset();
        var draining = Stopwatch.StartNew();
        (await owner.PostAsJsonAsync($"/subscriptions/{paused}/redeliver", new { since, onlyFailed = false })).EnsureSuccessStatusCode();
        var redeliverRequest = draining.Elapsed;
        await WaitAsync(() => Task.FromResult(received.Count >= backlog), TimeSpan.FromMinutes(10));
        var drained = draining.Elapsed;
        var throughput = backlog / drained.TotalSeconds;
        var sending = received.FirstToLast;
        var sendRate = (backlog - 1) / sending.TotalSeconds;
        (await owner.DeleteAsync($"/subscriptions/{paused}")).EnsureSuccessStatusCode();

        // 2. Latency at a steady rate: publication to receipt, alone and beside a dead receiver on the same events.
        var rows = new List<string>();
        var liveSubscription = await SubscribeAsync(owner, liveAddress, active: true);
        foreach (var withDead in new[] { false, true, false, true })
        {
            Guid? deadSubscription = withDead ? await SubscribeAsync(owner, deadAddress, active: true) : null;
            await SteadyAsync(channel, 500, TimeSpan.FromSeconds(3), offset: 1_000_000); // warm-up
            await Task.Delay(1000);
            received.Reset();
            var sent = await SteadyAsync(channel, 500, TimeSpan.FromSeconds(seconds), offset: 2_000_000);
            await WaitAsync(() => Task.FromResult(received.Count >= sent), TimeSpan.FromMinutes(2));
            var latencies = received.Latencies();
            var pending = deadSubscription is { } id ? await Sql.ScalarAsync<long>(database,
                "SELECT count(*) FROM webhooks.deliveries WHERE subscription_id = $1 AND status = 'pending'", id) : 0;
            rows.Add(string.Create(CultureInfo.InvariantCulture,
                $"| {(withDead ? "with a dead receiver subscribed too" : "alone")} | {sent:N0} | {Latency.Percentile(latencies, 0.5):0.0} | {Latency.Percentile(latencies, 0.99):0.0} | {latencies[^1]:0.0} | {(withDead ? $"{pending:N0} deliveries to the dead receiver pending (it holds at most 8 connections)" : "")} |"));
            if (deadSubscription is { } subscription)
            {
                (await owner.DeleteAsync($"/subscriptions/{subscription}")).EnsureSuccessStatusCode();
            }
        }

        await live.DisposeAsync();
        await dead.DisposeAsync();
        return Report.Start("Webhooks: deliveries per second, and publication-to-delivery latency",
                "one run: the webhooks service (its real Program on Kestrel, durable PostgreSQL and RabbitMQ) and the receivers (minimal Kestrel apps answering 200) in one process on the same cores; "
                + "events published to RabbitMQ as the catalog's outbox relay would. Every delivery is signed (HMAC-SHA256) and logged (attempt row, delivery state).",
                "webhooks [seconds] [backlog]")
            .AppendLine("## Deliveries per second (goal ≥ 2,000/s)")
            .AppendLine()
            .AppendLine(CultureInfo.InvariantCulture, $"{backlog:N0} events of {backlog:N0} products kept while the subscription was paused (taken in at {ingest:N0} events/s), then redelivered at once:")
            .AppendLine(CultureInfo.InvariantCulture, $"**{sendRate:N0} deliveries/s** from the first delivery's arrival to the last's ({sending.TotalSeconds:0.0} s), one subscription, at most 8 in flight to it;")
            .AppendLine(CultureInfo.InvariantCulture, $"{throughput:N0}/s counting from the redelivery request ({drained.TotalSeconds:0.0} s for all; the request, which makes the {backlog:N0} deliveries, took {redeliverRequest.TotalSeconds:0.0} s).")
            .AppendLine()
            .AppendLine(CultureInfo.InvariantCulture, $"## Publication to delivery at 500 events/s for {seconds} s (goal p99 < 1 s)")
            .AppendLine()
            .AppendLine("From the event's time (set when published) to its arrival at the live receiver; the rows alternate, so the machine's drift")
            .AppendLine("shows in both. The dead receiver is a second subscription to the same events whose endpoint accepts connections and never answers (5 s timeout).")
            .AppendLine()
            .AppendTable(["live subscription", "events", "p50 ms", "p99 ms", "max ms", "note"], rows)
            .ToString();
    }

    private static ProductChanged Event(int i) => new()
    {
        TenantId = Tenant,
        OccurredAt = DateTimeOffset.UtcNow,
        Product = new ProductSnapshot
        {
            ProductId = new Guid(i, 0, 0, new byte[8]), Sku = $"SKU-{i}", Slug = $"p-{i}", Status = "published", Brand = "Gardena",
            Name = new Dictionary<string, string> { ["de"] = $"Produkt {i}" }, CategoryIds = [], CategoryIdsWithAncestors = [],
            Attributes = new Dictionary<string, IReadOnlyList<string>>(), MinPriceGross = 9.99m, Currency = "EUR", Available = true, Version = 1,
        },
    };

    private static async Task<int> SteadyAsync(IChannel channel, int perSecond, TimeSpan duration, int offset)
    {
        var clock = Stopwatch.StartNew();
        var sent = 0;
        while (clock.Elapsed < duration)
        {
            var due = (int)(clock.Elapsed.TotalSeconds * perSecond);
            while (sent < due)
            {
                await channel.PublishEventAsync(Event(offset + sent));
                sent++;
            }

            await Task.Delay(2);
        }

        return sent;
    }

    private static async Task<Guid> SubscribeAsync(HttpClient owner, Uri receiver, bool active)
    {
        using var response = await owner.PostAsJsonAsync("/subscriptions", new { url = new Uri(receiver, "hooks").ToString(), eventTypes = new[] { "product.changed" }, active });
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("subscription").GetProperty("id").GetGuid();
    }

    private static async Task WaitAsync(Func<Task<bool>> condition, TimeSpan timeout)
    {
        var deadline = Stopwatch.StartNew();
        while (!await condition())
        {
            if (deadline.Elapsed > timeout)
            {
                throw new TimeoutException("The benchmark's deliveries did not all arrive in time.");
            }

            await Task.Delay(20);
        }
    }


    /// <summary>Counts deliveries and how long after its event's time each arrived.</summary>
    private sealed class Receiver
    {
        private ConcurrentQueue<double> _latencies = new();
        private int _count;
        private long _first;
        private long _last;

        public int Count => Volatile.Read(ref _count);

        /// <summary>From the first arrival since the reset to the last.</summary>
        public TimeSpan FirstToLast => Stopwatch.GetElapsedTime(Interlocked.Read(ref _first), Interlocked.Read(ref _last));

        public void Reset()
        {
            _latencies = new ConcurrentQueue<double>();
            Interlocked.Exchange(ref _count, 0);
            Interlocked.Exchange(ref _first, 0);
        }

        public double[] Latencies()
        {
            var sorted = _latencies.ToArray();
            Array.Sort(sorted);
            return sorted;
        }

        public async Task<IResult> TakeAsync(HttpContext http)
        {
            using var body = await JsonDocument.ParseAsync(http.Request.Body);
            var at = body.RootElement.GetProperty("timestamp").GetDateTimeOffset();
            _latencies.Enqueue((DateTimeOffset.UtcNow - at).TotalMilliseconds);
            var now = Stopwatch.GetTimestamp();
            Interlocked.CompareExchange(ref _first, now, 0);
            Interlocked.Exchange(ref _last, now);
            Interlocked.Increment(ref _count);
            return Results.Ok();
        }
    }
}
