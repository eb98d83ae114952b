using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using MachCommerce.LocalInfrastructure;
using MachCommerce.Testing.Messaging;
using RabbitMQ.Client;

namespace MachCommerce.Messaging.Tests;

/// <summary>The outbox, relay and inbox against a real PostgreSQL and a real RabbitMQ, each test in its own database and virtual host.</summary>
public sealed class OutboxAndInboxTests : IAsyncLifetime
{
    private readonly List<IAsyncDisposable> _cleanup = [];
    private string _database = "";
    private Uri _broker = null!;

    public async Task InitializeAsync()
    {
        var servers = await TestServers.GetAsync();
        _database = await TestServers.CreateDatabaseAsync("messaging");
        _broker = await servers.RabbitMq.CreateVirtualHostAsync("test-" + Guid.NewGuid().ToString("N")[..12]);
    }

    public async Task DisposeAsync()
    {
        foreach (var disposable in Enumerable.Reverse(_cleanup))
        {
            await disposable.DisposeAsync();
        }

        await TestServers.DropDatabaseAsync(_database);
    }

    private async Task<TestService> Start(string name, bool consumes, IDictionary<string, string?>? settings = null, Uri? broker = null)
    {
        var service = await TestService.StartAsync(name, _database, broker ?? _broker, consumes, settings);
        _cleanup.Add(service);
        return service;
    }

    private static async Task AddNotes(TestService notes, string key, int count, string text = "hello", bool newerBuild = false)
    {
        var response = await notes.Client.PostAsJsonAsync("/notes", new TestService.AddNotesRequest(key, count, text, newerBuild));
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
    }

    [Fact]
    public async Task MassTransit_sends_no_usage_telemetry()
    {
        var service = await Start("telemetry", consumes: true);

        Assert.False(service.Get<Microsoft.Extensions.Options.IOptions<MassTransit.UsageTelemetryOptions>>().Value.Enabled);
    }

    [Fact]
    public async Task Events_committed_with_the_state_change_reach_the_consumer_once_each()
    {
        var audit = await Start("audit", consumes: true);
        var notes = await Start("notes", consumes: false);

        await AddNotes(notes, "k1", 25);

        Assert.Equal(25, await audit.WaitForCountAsync("SELECT count(DISTINCT note_id) FROM audit.received", 25));
        Assert.Equal(25, await audit.CountAsync("SELECT count(*) FROM audit.received"));
        Assert.Equal(0, await notes.WaitForCountAsync("SELECT count(*) FROM notes.outbox WHERE sent_at IS NULL", 0));
    }

    [Fact]
    public async Task A_rolled_back_state_change_publishes_nothing()
    {
        var audit = await Start("audit", consumes: true);
        var notes = await Start("notes", consumes: false);

        // Two notes with one id: the second insert fails, the transaction rolls back with its outbox rows.
        var response = await notes.Client.PostAsJsonAsync("/notes", new TestService.AddNotesRequest("k1", 1, new string('x', 10)));
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        await audit.WaitForCountAsync("SELECT count(*) FROM audit.received", 1);

        await using (var connection = new Npgsql.NpgsqlConnection(notes.ConnectionString))
        {
            await connection.OpenAsync();
            await using var transaction = await connection.BeginTransactionAsync();
            await notes.Get<IEventOutbox>().AddAsync(transaction, new MachCommerce.Testing.Messaging.Contracts.V1.NoteAdded
            {
                TenantId = TestService.Tenant, OccurredAt = DateTimeOffset.UtcNow, NoteId = Guid.NewGuid(), OrderingKey = "k2", Seq = 0, Text = "never",
            });
            await transaction.RollbackAsync();
        }

        await Task.Delay(1500);
        Assert.Equal(1, await audit.CountAsync("SELECT count(*) FROM audit.received"));
        Assert.Equal(1, await notes.CountAsync("SELECT count(*) FROM notes.outbox"));
    }

    [Fact]
    public async Task A_relay_crash_between_publish_and_mark_sent_publishes_twice_and_the_inbox_applies_once()
    {
        var audit = await Start("audit", consumes: true);
        var notes = await Start("notes", consumes: false);
        var relay = notes.Get<OutboxRelay>();
        var crashes = 0;
        relay.AfterPublishBeforeMarkSent = _ => Interlocked.Increment(ref crashes) == 1
            ? throw new IOException("relay process killed")
            : Task.CompletedTask;

        await AddNotes(notes, "k1", 10);

        Assert.Equal(10, await audit.WaitForCountAsync("SELECT count(*) FROM audit.received", 10));
        // The relay tries again after a short back-off; on a busy machine that can take longer than a fixed pause.
        var deadline = DateTime.UtcNow.AddSeconds(15);
        while (Volatile.Read(ref crashes) < 2 && DateTime.UtcNow < deadline)
        {
            await Task.Delay(50);
        }

        await Task.Delay(500); // let any straggling duplicate arrive
        Assert.True(crashes >= 2, "the batch was published again after the crash");
        Assert.Equal(10, await audit.CountAsync("SELECT count(*) FROM audit.received"));
        Assert.Equal(10, await audit.CountAsync("SELECT count(DISTINCT message_id) FROM audit.received"));
        Assert.True(audit.Get<MessagingMetrics>().DuplicatesDropped >= 1, "the duplicate publish reached the inbox and was dropped");
    }

    [Fact]
    public async Task A_consumer_crash_half_way_leaves_nothing_and_the_redelivery_applies_once()
    {
        var audit = await Start("audit", consumes: true);
        audit.Get<ConsumerBehaviour>().CrashHalfWayOnFirstAttempt = true;
        var notes = await Start("notes", consumes: false);

        await AddNotes(notes, "k1", 5);

        Assert.Equal(5, await audit.WaitForCountAsync("SELECT count(*) FROM audit.received", 5));
        Assert.All(audit.Get<ConsumerBehaviour>().Attempts.Values, attempts => Assert.Equal(2, attempts));
        // Part 1 of each first attempt was rolled back with it: exactly one part 1 and one part 2 per note.
        Assert.Equal(10, await audit.CountAsync("SELECT count(*) FROM audit.received_parts"));
        Assert.Equal(5, await audit.CountAsync("SELECT count(*) FROM audit.received_parts WHERE part = 1"));
    }

    [Fact]
    public async Task A_poison_message_waits_in_the_error_queue_while_others_flow_and_is_delivered_after_requeue()
    {
        var audit = await Start("audit", consumes: true);
        var notes = await Start("notes", consumes: false);

        await AddNotes(notes, "bad", 1, "poison");
        await AddNotes(notes, "good", 20);

        Assert.Equal(20, await audit.WaitForCountAsync("SELECT count(*) FROM audit.received", 20));
        var endpoint = "audit-note-audit";
        await using var connection = await new ConnectionFactory { Uri = _broker }.CreateConnectionAsync();
        Assert.Equal(1, await WaitForDepth(connection, endpoint + ErrorQueues.Suffix, 1));
        Assert.Equal(4, audit.Get<ConsumerBehaviour>().Attempts.Values.Max()); // the first try and the three configured retries

        // Readiness says somebody should look, and still answers 200.
        var ready = await audit.Client.GetAsync("/health/ready");
        var report = await ready.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
        var messaging = report.GetProperty("checks").GetProperty("messaging");
        Assert.Equal("Degraded", messaging.GetProperty("status").GetString());
        Assert.Equal(1, messaging.GetProperty("data").GetProperty("errorQueues").GetProperty(endpoint + ErrorQueues.Suffix).GetInt32());

        audit.Get<ConsumerBehaviour>().PoisonFixed = true;
        Assert.Equal(1, await ErrorQueues.RequeueAsync(connection, endpoint));

        Assert.Equal(21, await audit.WaitForCountAsync("SELECT count(*) FROM audit.received", 21));
        Assert.Equal(0, await ErrorQueues.DepthAsync(connection, endpoint + ErrorQueues.Suffix));
    }

    [Fact]
    public async Task Events_of_one_key_arrive_in_the_order_they_were_written_with_several_relay_workers()
    {
        var audit = await Start("audit", consumes: true, new Dictionary<string, string?> { ["Messaging:ConcurrentMessageLimit"] = "1", ["Messaging:PrefetchCount"] = "1" });
        var notes = await Start("notes", consumes: false, new Dictionary<string, string?> { ["Messaging:RelayWorkers"] = "4", ["Messaging:RelayBatchSize"] = "7" });

        await Task.WhenAll(Enumerable.Range(0, 5).Select(k => AddNotes(notes, $"key-{k}", 40)));

        Assert.Equal(200, await audit.WaitForCountAsync("SELECT count(*) FROM audit.received", 200));
        Assert.Equal(0, await audit.CountAsync(
            """
            SELECT count(*) FROM (
                SELECT seq, lag(seq) OVER (PARTITION BY ordering_key ORDER BY arrival) AS previous FROM audit.received
            ) s WHERE previous IS NOT NULL AND seq <> previous + 1
            """));
    }

    [Fact]
    public async Task Two_replicas_relaying_one_outbox_publish_every_event_once()
    {
        var audit = await Start("audit", consumes: true);
        var first = await Start("notes", consumes: false, new Dictionary<string, string?> { ["Messaging:RelayWorkers"] = "3" });
        var second = await Start("notes", consumes: false, new Dictionary<string, string?> { ["Messaging:RelayWorkers"] = "3" });

        await Task.WhenAll(Enumerable.Range(0, 10).Select(k => AddNotes(k % 2 == 0 ? first : second, $"key-{k}", 50)));

        Assert.Equal(500, await audit.WaitForCountAsync("SELECT count(*) FROM audit.received", 500));
        await Task.Delay(500);
        Assert.Equal(500, await audit.CountAsync("SELECT count(*) FROM audit.received"));
        Assert.Equal(0, audit.Get<MessagingMetrics>().DuplicatesDropped);
    }

    [Fact]
    public async Task A_v1_consumer_keeps_working_when_a_newer_producer_adds_an_optional_field()
    {
        var audit = await Start("audit", consumes: true);
        var notes = await Start("notes", consumes: false);

        await AddNotes(notes, "k1", 3, newerBuild: true);

        Assert.Equal(3, await audit.WaitForCountAsync("SELECT count(*) FROM audit.received", 3));
        Assert.Equal(3, await notes.CountAsync("SELECT count(*) FROM notes.outbox WHERE payload ->> 'colour' = 'green'"));
    }

    [Fact]
    public async Task Queues_are_durable_quorum_queues_with_kebab_case_names()
    {
        await Start("audit", consumes: true);
        await using var connection = await new ConnectionFactory { Uri = _broker }.CreateConnectionAsync();
        await using var channel = await connection.CreateChannelAsync();

        // Re-declaring with the same arguments succeeds only if the queue really is a durable quorum queue.
        var declared = await channel.QueueDeclareAsync("audit-note-audit", durable: true, exclusive: false, autoDelete: false,
            arguments: new Dictionary<string, object?> { ["x-queue-type"] = "quorum" });
        Assert.Equal("audit-note-audit", declared.QueueName);
    }

    [Fact]
    public async Task Sent_events_and_old_inbox_rows_are_pruned_and_pending_ones_kept()
    {
        var audit = await Start("audit", consumes: true, new Dictionary<string, string?> { ["Messaging:InboxRetention"] = "00:00:00" });
        var notes = await Start("notes", consumes: false, new Dictionary<string, string?> { ["Messaging:SentRetention"] = "00:00:00" });
        await AddNotes(notes, "k1", 5);
        await audit.WaitForCountAsync("SELECT count(*) FROM audit.received", 5);
        await notes.WaitForCountAsync("SELECT count(*) FROM notes.outbox WHERE sent_at IS NULL", 0);
        await using (var connection = new Npgsql.NpgsqlConnection(notes.ConnectionString))
        {
            await connection.OpenAsync();
            await using var pending = new Npgsql.NpgsqlCommand("INSERT INTO notes.outbox (message_id, partition, message_type, payload) VALUES (gen_random_uuid(), 99, 'Unknown, Nowhere', '{}')", connection);
            await pending.ExecuteNonQueryAsync(); // partition 99 has no worker: stays pending
        }

        await notes.Get<MessagingStatus>().PruneAsync(CancellationToken.None);
        await audit.Get<MessagingStatus>().PruneAsync(CancellationToken.None);

        Assert.Equal(1, await notes.CountAsync("SELECT count(*) FROM notes.outbox"));
        Assert.Equal(0, await audit.CountAsync("SELECT count(*) FROM audit.inbox"));
    }

    [Fact]
    public async Task Readiness_reports_the_outbox_backlog()
    {
        var notes = await Start("notes", consumes: false);

        var ready = await notes.Client.GetAsync("/health/ready");
        var report = await ready.Content.ReadFromJsonAsync<JsonElement>();

        Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
        var data = report.GetProperty("checks").GetProperty("messaging").GetProperty("data");
        Assert.Equal(0, data.GetProperty("outboxBacklog").GetInt32());
        Assert.True(report.GetProperty("checks").TryGetProperty("masstransit", out _));
    }

    private static async Task<long> WaitForDepth(IConnection connection, string queue, long expected)
    {
        long depth = 0;
        for (var attempt = 0; attempt < 100 && (depth = await ErrorQueues.DepthAsync(connection, queue)) != expected; attempt++)
        {
            await Task.Delay(100);
        }

        return depth;
    }
}
