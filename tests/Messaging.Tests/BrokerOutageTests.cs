using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using MachCommerce.Testing.Messaging;

namespace MachCommerce.Messaging.Tests;

/// <summary>A broker of its own, so that stopping it does not disturb the other tests.</summary>
public sealed class BrokerOutageTests
{
    [Fact]
    public async Task Writes_go_on_while_RabbitMQ_is_down_and_every_event_arrives_after_it_restarts()
    {
        const int changes = 1_000;
        var database = await TestServers.CreateDatabaseAsync("outage");
        await using var broker = await OwnBroker.StartAsync("outage");
        try
        {
            await using var audit = await TestService.StartAsync("audit", database, broker.Uri, consumes: true);
            await using var notes = await TestService.StartAsync("notes", database, broker.Uri, consumes: false);
            await notes.Client.PostAsJsonAsync("/notes", new TestService.AddNotesRequest("warm-up", 1, "hello"));
            Assert.Equal(1, await audit.WaitForCountAsync("SELECT count(*) FROM audit.received", 1));

            await broker.StopAsync();

            // N separate changes, eight at a time, each its own transaction with its event.
            using var gate = new SemaphoreSlim(8);
            var statuses = await Task.WhenAll(Enumerable.Range(0, changes).Select(async i =>
            {
                await gate.WaitAsync();
                try
                {
                    return (await notes.Client.PostAsJsonAsync("/notes", new TestService.AddNotesRequest($"key-{i % 50}", 1, "during outage"))).StatusCode;
                }
                finally
                {
                    gate.Release();
                }
            }));
            Assert.All(statuses, status => Assert.Equal(HttpStatusCode.Created, status));
            Assert.Equal(changes, await notes.CountAsync("SELECT count(*) FROM notes.outbox WHERE sent_at IS NULL"));

            // Still ready (the outbox holds the events), but degraded, with the broker named as the reason.
            var ready = await notes.Client.GetAsync("/health/ready");
            var report = await ready.Content.ReadFromJsonAsync<JsonElement>();
            Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
            Assert.Equal("Degraded", report.GetProperty("checks").GetProperty("rabbitmq").GetProperty("status").GetString());
            // A service that only publishes has a bus with no queue to fault: its bus check must still see the broker gone.
            Assert.Equal("Degraded", report.GetProperty("checks").GetProperty("masstransit").GetProperty("status").GetString());

            await broker.RestartAsync();

            Assert.Equal(changes + 1, await audit.WaitForCountAsync("SELECT count(DISTINCT note_id) FROM audit.received", changes + 1, TimeSpan.FromSeconds(90)));
            Assert.Equal(changes + 1, await audit.CountAsync("SELECT count(*) FROM audit.received"));
            Assert.Equal(0, await notes.WaitForCountAsync("SELECT count(*) FROM notes.outbox WHERE sent_at IS NULL", 0));
        }
        finally
        {
            await TestServers.DropDatabaseAsync(database);
        }
    }
}
