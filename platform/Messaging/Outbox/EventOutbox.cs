using System.Diagnostics;
using MachCommerce.Contracts;
using NpgsqlTypes;

namespace MachCommerce.Messaging;

/// <summary>
/// Adds integration events to the outbox inside the caller's transaction: the event exists exactly when the
/// state change it describes was committed, whatever the broker is doing at that moment.
/// </summary>
public interface IEventOutbox
{
    /// <param name="transaction">The open transaction of the state change.</param>
    /// <param name="orderingKey">Events with the same key are published in the order they were added (e.g. a product id).</param>
    Task AddAsync<TEvent>(NpgsqlTransaction transaction, TEvent integrationEvent, string? orderingKey = null, CancellationToken cancellationToken = default)
        where TEvent : class;

    /// <summary>
    /// Like <see cref="AddAsync{TEvent}"/>, for an event that must not outlive its delivery (it names an erased
    /// person): the row is deleted as soon as the broker confirmed it, not kept as a sent row.
    /// </summary>
    Task AddTransientAsync<TEvent>(NpgsqlTransaction transaction, TEvent integrationEvent, string? orderingKey = null, CancellationToken cancellationToken = default)
        where TEvent : class;

    /// <summary>Deletes every outbox row, sent or not, whose event mentions <paramref name="text"/> (an erased profile's id).</summary>
    Task<int> ForgetAsync(NpgsqlTransaction transaction, string text, CancellationToken cancellationToken = default);
}

internal sealed class EventOutbox(OutboxTable table) : IEventOutbox
{
    public Task AddAsync<TEvent>(NpgsqlTransaction transaction, TEvent integrationEvent, string? orderingKey = null, CancellationToken cancellationToken = default)
        where TEvent : class => Add(transaction, integrationEvent, orderingKey, deleteWhenSent: false, cancellationToken);

    public Task AddTransientAsync<TEvent>(NpgsqlTransaction transaction, TEvent integrationEvent, string? orderingKey = null, CancellationToken cancellationToken = default)
        where TEvent : class => Add(transaction, integrationEvent, orderingKey, deleteWhenSent: true, cancellationToken);

    public async Task<int> ForgetAsync(NpgsqlTransaction transaction, string text, CancellationToken cancellationToken = default)
    {
        await using var command = new NpgsqlCommand($"DELETE FROM {table.Outbox} WHERE strpos(payload::text, $1) > 0", transaction.Connection, transaction);
        command.Parameters.Add(new() { Value = text });
        return await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private async Task Add<TEvent>(NpgsqlTransaction transaction, TEvent integrationEvent, string? orderingKey, bool deleteWhenSent, CancellationToken cancellationToken)
        where TEvent : class
    {
        ArgumentNullException.ThrowIfNull(transaction);
        ArgumentNullException.ThrowIfNull(integrationEvent);
        var messageId = Guid.CreateVersion7();
        var payload = System.Text.Json.JsonSerializer.Serialize(integrationEvent, integrationEvent.GetType(), OutboxMessageTypes.Json);

        // The table's trigger NOTIFYs the relays; PostgreSQL delivers that only at commit, exactly when they may publish.
        await using var command = new NpgsqlCommand(table.InsertSql, transaction.Connection, transaction);
        command.Parameters.Add(new() { Value = messageId });
        command.Parameters.Add(new() { Value = OutboxPartitions.Of(orderingKey ?? messageId.ToString()) });
        command.Parameters.Add(new() { Value = (object?)orderingKey ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Text });
        command.Parameters.Add(new() { Value = (object?)(integrationEvent as IIntegrationEvent)?.TenantId ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Text });
        command.Parameters.Add(new() { Value = OutboxMessageTypes.NameOf(integrationEvent.GetType()) });
        command.Parameters.Add(new() { Value = payload, NpgsqlDbType = NpgsqlDbType.Jsonb });
        command.Parameters.Add(new() { Value = (object?)Activity.Current?.TraceId.ToString() ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Text });
        command.Parameters.Add(new() { Value = deleteWhenSent });
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}

/// <summary>The SQL of one service's outbox, inbox and notification channel, quoted once.</summary>
internal sealed class OutboxTable(string schema)
{
    public string Schema { get; } = schema;

    public string Outbox { get; } = $"{Quote(schema)}.outbox";

    public string Inbox { get; } = $"{Quote(schema)}.inbox";

    /// <summary>The NOTIFY channel of the outbox trigger (see the migration); one per schema.</summary>
    public string Channel { get; } = $"mach_outbox_{schema}";

    public string InsertSql =>
        $"""
        INSERT INTO {Outbox} (message_id, partition, ordering_key, tenant_id, message_type, payload, correlation_id, delete_when_sent)
        VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
        """;

    private static string Quote(string identifier) => "\"" + identifier.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";
}
