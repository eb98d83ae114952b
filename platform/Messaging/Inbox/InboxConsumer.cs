using MassTransit;

namespace MachCommerce.Messaging;

/// <summary>
/// A consumer's effect, applied in a transaction the inbox opened. Write through <see cref="InboxContext.Transaction"/>:
/// the message counts as handled exactly when those writes commit. Throwing rolls everything back and lets the
/// retry policy (and after it the error queue) take over.
/// </summary>
public interface IInboxHandler<in TEvent> where TEvent : class
{
    Task HandleAsync(TEvent message, InboxContext context, CancellationToken cancellationToken);
}

public sealed record InboxContext(NpgsqlTransaction Transaction, Guid MessageId, string? TenantId, IEventOutbox Outbox)
{
    private List<Action>? _afterCommit;

    public NpgsqlConnection Connection => Transaction.Connection!;

    /// <summary>
    /// Runs <paramref name="action"/> once the handler's writes are committed (e.g. waking an in-process worker that
    /// reads them). Cheaper than a NOTIFY in the transaction, which makes PostgreSQL commit such transactions one at a time.
    /// </summary>
    public void AfterCommit(Action action) => (_afterCommit ??= []).Add(action);

    internal void Committed()
    {
        foreach (var action in _afterCommit ?? [])
        {
            action();
        }
    }
}

/// <summary>
/// Wraps a handler so that the message id is recorded in the same transaction as the handler's writes. A
/// redelivered or republished message finds its row and is acknowledged without effect. Two deliveries of one
/// message at once serialise on the inbox row's key: the second waits, then sees the first's commit.
/// </summary>
internal sealed class InboxConsumer<TEvent, THandler>(NpgsqlDataSource dataSource, OutboxTable table, THandler handler, IEventOutbox outbox, MessagingMetrics metrics)
    : IConsumer<TEvent>
    where TEvent : class
    where THandler : class, IInboxHandler<TEvent>
{
    private static readonly string ConsumerName = typeof(THandler).FullName!;

    public async Task Consume(ConsumeContext<TEvent> context)
    {
        var messageId = context.MessageId
            ?? throw new InvalidOperationException($"{typeof(TEvent).Name} arrived without a message id; the inbox cannot tell a redelivery from a new message.");
        var cancellationToken = context.CancellationToken;

        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await using (var record = new NpgsqlCommand($"INSERT INTO {table.Inbox} (message_id, consumer) VALUES ($1, $2) ON CONFLICT DO NOTHING", connection, transaction))
        {
            record.Parameters.Add(new() { Value = messageId });
            record.Parameters.Add(new() { Value = ConsumerName });
            if (await record.ExecuteNonQueryAsync(cancellationToken) == 0)
            {
                metrics.DuplicateDropped();
                return; // applied before: acknowledge, change nothing
            }
        }

        var tenantId = context.Headers.Get<string>(MessageHeaders.TenantId);
        var inbox = new InboxContext(transaction, messageId, tenantId, outbox);
        await handler.HandleAsync(context.Message, inbox, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        inbox.Committed();
    }
}
