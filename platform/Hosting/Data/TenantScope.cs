namespace MachCommerce.Hosting.Data;

/// <summary>
/// A transaction that works for one tenant only: the service's queries filter by tenant themselves, and inside
/// this transaction PostgreSQL's row-level security is a second wall. The transaction switches to the service's
/// unprivileged application role (so RLS applies even when the login is the database owner or a superuser) and
/// sets <c>app.tenant_id</c>, which the tables' policies compare every row against.
/// </summary>
public sealed class TenantScope : IAsyncDisposable
{
    private TenantScope(NpgsqlConnection connection, NpgsqlTransaction transaction, string tenantId)
    {
        Connection = connection;
        Transaction = transaction;
        TenantId = tenantId;
    }

    public NpgsqlConnection Connection { get; }

    public NpgsqlTransaction Transaction { get; }

    public string TenantId { get; }

    /// <param name="role">
    /// The NOLOGIN role the service's migrations created and granted to its login (e.g. catalog_app); null keeps
    /// the login's own role, for which row-level security does not apply (read-only queries that filter by tenant themselves).
    /// </param>
    /// <param name="schema">The service's schema, where unqualified table names resolve.</param>
    public static async Task<TenantScope> BeginAsync(NpgsqlDataSource dataSource, string tenantId, string? role, string schema, CancellationToken cancellationToken = default)
    {
        var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        try
        {
            var transaction = await connection.BeginTransactionAsync(cancellationToken);
            await EnterAsync(transaction, tenantId, role, schema, cancellationToken);
            return new TenantScope(connection, transaction, tenantId);
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }

    /// <summary>
    /// Makes an open transaction work for one tenant from here on (e.g. a message consumer's inbox transaction).
    /// set_config(..., true) is SET LOCAL: it ends with the transaction, so a pooled connection carries nothing over.
    /// </summary>
    public static async Task EnterAsync(NpgsqlTransaction transaction, string tenantId, string? role, string schema, CancellationToken cancellationToken = default)
    {
        await using var batch = new NpgsqlBatch(transaction.Connection, transaction) { BatchCommands = { Settings(tenantId, role, schema) } };
        await batch.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>
    /// One read-only statement for one tenant in a single round trip, without BEGIN or ROLLBACK: the settings of
    /// <see cref="EnterAsync"/> and the query travel as one batch, which PostgreSQL runs as one implicit transaction
    /// (up to the batch's Sync), so the settings, row-level security included, hold for the query and end with it.
    /// Both statements are prepared once per pooled connection. The query is parsed before the settings run, so its
    /// table names must name their schema.
    /// </summary>
    public static async Task<T> ReadAsync<T>(NpgsqlDataSource dataSource, string tenantId, string? role, string schema, NpgsqlBatchCommand query,
        Func<NpgsqlDataReader, CancellationToken, Task<T>> read, CancellationToken cancellationToken = default)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var batch = new NpgsqlBatch(connection) { BatchCommands = { Settings(tenantId, role, schema), query } };
        await batch.PrepareAsync(cancellationToken);
        await using var reader = await batch.ExecuteReaderAsync(cancellationToken);
        await reader.NextResultAsync(cancellationToken); // past the settings' row
        return await read(reader, cancellationToken);
    }

    /// <summary>One read-only statement inside this scope's transaction, prepared once per pooled connection (see the static <see cref="ReadAsync{T}(NpgsqlDataSource, string, string?, string, NpgsqlBatchCommand, Func{NpgsqlDataReader, CancellationToken, Task{T}}, CancellationToken)"/>).</summary>
    public async Task<T> ReadAsync<T>(NpgsqlBatchCommand query, Func<NpgsqlDataReader, CancellationToken, Task<T>> read, CancellationToken cancellationToken = default)
    {
        await using var batch = new NpgsqlBatch(Connection, Transaction) { BatchCommands = { query } };
        await batch.PrepareAsync(cancellationToken);
        await using var reader = await batch.ExecuteReaderAsync(cancellationToken);
        return await read(reader, cancellationToken);
    }

    private static NpgsqlBatchCommand Settings(string tenantId, string? role, string schema)
    {
        var command = new NpgsqlBatchCommand(
            "SELECT set_config('app.tenant_id', $1, true), set_config('search_path', $2, true)" + (role is null ? "" : ", set_config('role', $3, true)"));
        command.Parameters.Add(new() { Value = tenantId });
        command.Parameters.Add(new() { Value = $"\"{schema}\", public" });
        if (role is not null)
        {
            command.Parameters.Add(new() { Value = role });
        }

        return command;
    }

    public NpgsqlCommand Command(string sql) => new(sql, Connection, Transaction);

    public Task CommitAsync(CancellationToken cancellationToken = default) => Transaction.CommitAsync(cancellationToken);

    public async ValueTask DisposeAsync()
    {
        await Transaction.DisposeAsync();
        await Connection.DisposeAsync();
    }
}
