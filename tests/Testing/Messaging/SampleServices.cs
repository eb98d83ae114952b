using System.Collections.Concurrent;
using MachCommerce.Hosting;
using MachCommerce.Hosting.Migrations;
using MachCommerce.Messaging;
using MachCommerce.Testing.Messaging.Contracts.V1;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using System.Net.Http.Json;

namespace MachCommerce.Testing.Messaging;

/// <summary>
/// Two small services built like real ones, each in its own process-like host on a loopback port: "notes"
/// writes notes and publishes <see cref="NoteAdded"/> through the outbox; "audit" consumes it through the inbox.
/// </summary>
public sealed class TestService : IAsyncDisposable
{
    public const string Tenant = "shop-a";

    private TestService(WebApplication app, string connectionString)
    {
        App = app;
        ConnectionString = connectionString;
        Client = AssertingClient.Create(new Uri(app.Urls.First()), TestIdentity.Audience, Tenant);
    }

    public WebApplication App { get; }

    public HttpClient Client { get; }

    public string ConnectionString { get; }

    public T Get<T>() where T : notnull => App.Services.GetRequiredService<T>();

    /// <param name="name">The service's name: its schema and its queues' prefix.</param>
    public static async Task<TestService> StartAsync(string name, string connectionString, Uri broker, bool consumes, IDictionary<string, string?>? settings = null)
    {
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { ApplicationName = name, EnvironmentName = "Testing" });
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Postgres:ConnectionString"] = connectionString,
            ["RabbitMq:Uri"] = broker.ToString(),
            ["Messaging:RetryIntervals"] = "00:00:00, 00:00:00.050, 00:00:00.100",
            ["Messaging:RelayPollInterval"] = "00:00:01",
            ["Messaging:PublishTimeout"] = "00:00:03",
            ["Logging:LogLevel:Default"] = "Warning",
        });
        builder.Configuration.AddInMemoryCollection(TestIdentity.Settings(TestIdentity.Audience));
        if (settings is not null)
        {
            builder.Configuration.AddInMemoryCollection(settings);
        }

        builder.AddServiceDefaults().AddPostgres();
        builder.Services.AddSqlMigrations(name, typeof(TestService).Assembly);
        builder.AddMessaging(name, messaging =>
        {
            if (consumes)
            {
                messaging.AddInboxConsumer<NoteAdded, NoteAuditHandler>();
            }
        });
        builder.Services.AddSingleton<ConsumerBehaviour>();

        var app = builder.Build();
        app.UseServiceDefaults();
        app.MapPost("/notes", AddNotes).RequireScope(Scopes.CatalogWrite);
        await app.StartAsync();
        var service = new TestService(app, connectionString);
        if (consumes)
        {
            // Events published before the consumer's queue is bound to its exchange are routed nowhere (that is
            // what publish/subscribe means); wait until the bus has declared and bound everything.
            await service.WaitUntilBusHealthyAsync();
        }

        return service;
    }

    public Task WaitUntilBusHealthyAsync() => Client.WaitUntilBusHealthyAsync();

    public sealed record AddNotesRequest(string OrderingKey, int Count, string Text, bool NewerBuild = false);

    /// <summary>One transaction: the notes and their events, committed together or not at all.</summary>
    private static async Task<IResult> AddNotes(AddNotesRequest request, RequestIdentity identity, NpgsqlDataSource dataSource, IEventOutbox outbox, IWebHostEnvironment environment)
    {
        await using var connection = await dataSource.OpenConnectionAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        var schema = environment.ApplicationName;
        for (var seq = 0; seq < request.Count; seq++)
        {
            var id = Guid.CreateVersion7();
            await using (var insert = new NpgsqlCommand($"INSERT INTO \"{schema}\".notes VALUES ($1, $2, $3, $4)", connection, transaction))
            {
                insert.Parameters.Add(new() { Value = id });
                insert.Parameters.Add(new() { Value = request.OrderingKey });
                insert.Parameters.Add(new() { Value = seq });
                insert.Parameters.Add(new() { Value = request.Text });
                await insert.ExecuteNonQueryAsync();
            }

            if (request.NewerBuild)
            {
                await outbox.AddAsync(transaction, new Contracts.NewerBuild.NoteAdded
                {
                    TenantId = identity.TenantId, OccurredAt = DateTimeOffset.UtcNow, NoteId = id, OrderingKey = request.OrderingKey, Seq = seq, Text = request.Text, Colour = "green",
                }, request.OrderingKey);
            }
            else
            {
                await outbox.AddAsync(transaction, new NoteAdded
                {
                    TenantId = identity.TenantId, OccurredAt = DateTimeOffset.UtcNow, NoteId = id, OrderingKey = request.OrderingKey, Seq = seq, Text = request.Text,
                }, request.OrderingKey);
            }
        }

        await transaction.CommitAsync();
        return Results.Created();
    }

    public async Task<long> CountAsync(string sql)
    {
        await using var dataSource = NpgsqlDataSource.Create(ConnectionString);
        await using var command = dataSource.CreateCommand(sql);
        return Convert.ToInt64(await command.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <summary>Polls until <paramref name="sql"/> counts <paramref name="expected"/> (or gives up and answers what it saw).</summary>
    public async Task<long> WaitForCountAsync(string sql, long expected, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(30));
        long count;
        while ((count = await CountAsync(sql)) != expected && DateTime.UtcNow < deadline)
        {
            await Task.Delay(100);
        }

        return count;
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await App.StopAsync();
        await App.DisposeAsync();
    }
}

/// <summary>How the audit consumer misbehaves in a test: crash half-way once, or reject "poison" until fixed.</summary>
public sealed class ConsumerBehaviour
{
    public ConcurrentDictionary<Guid, int> Attempts { get; } = new();

    public bool CrashHalfWayOnFirstAttempt { get; set; }

    public bool PoisonFixed { get; set; }
}

/// <summary>The audit service's handler: writes two parts and a receipt, all in the inbox's transaction.</summary>
public sealed class NoteAuditHandler(ConsumerBehaviour behaviour, Microsoft.AspNetCore.Hosting.IWebHostEnvironment environment) : IInboxHandler<NoteAdded>
{
    public async Task HandleAsync(NoteAdded message, InboxContext context, CancellationToken cancellationToken)
    {
        var schema = environment.ApplicationName;
        var attempt = behaviour.Attempts.AddOrUpdate(message.NoteId, 1, (_, n) => n + 1);
        await Insert($"INSERT INTO \"{schema}\".received_parts VALUES ($1, 1)", message.NoteId);

        if (behaviour.CrashHalfWayOnFirstAttempt && attempt == 1)
        {
            throw new InvalidOperationException("consumer crashed half-way");
        }

        if (message.Text == "poison" && !behaviour.PoisonFixed)
        {
            throw new FormatException("this note cannot be audited");
        }

        await Insert($"INSERT INTO \"{schema}\".received_parts VALUES ($1, 2)", message.NoteId);
        await using var receipt = new NpgsqlCommand($"INSERT INTO \"{schema}\".received (message_id, note_id, ordering_key, seq, occurred_at) VALUES ($1, $2, $3, $4, $5)", context.Connection, context.Transaction);
        receipt.Parameters.Add(new() { Value = context.MessageId });
        receipt.Parameters.Add(new() { Value = message.NoteId });
        receipt.Parameters.Add(new() { Value = message.OrderingKey });
        receipt.Parameters.Add(new() { Value = message.Seq });
        receipt.Parameters.Add(new() { Value = message.OccurredAt });
        await receipt.ExecuteNonQueryAsync(cancellationToken);

        async Task Insert(string sql, Guid noteId)
        {
            await using var command = new NpgsqlCommand(sql, context.Connection, context.Transaction);
            command.Parameters.Add(new() { Value = noteId });
            await command.ExecuteNonQueryAsync(cancellationToken);
        }
    }
}
