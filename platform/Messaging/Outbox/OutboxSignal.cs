using MachCommerce.Hosting.Data;

namespace MachCommerce.Messaging;

/// <summary>Wakes the relay workers the moment a transaction commits outbox rows (the table's trigger NOTIFYs).</summary>
internal sealed class OutboxSignal(NpgsqlDataSource dataSource, OutboxTable table, ILogger<OutboxSignal> logger)
    : NotificationSignal(dataSource, table.Channel, logger);
