using System.Text;
using Microsoft.Extensions.Logging.Abstractions;

namespace MachCommerce.Hosting.Migrations;

/// <summary>
/// Applies a service's SQL migrations to its schema. Replicas starting at once serialise on a PostgreSQL advisory
/// lock, each script runs in its own transaction together with its row in <c>schema_migrations</c>, and a script
/// that changed after it was applied stops the service instead of leaving the database guessing.
/// </summary>
/// <param name="historyTable">Where applied scripts are recorded; a library that brings its own tables (the messaging
/// outbox) keeps a history of its own beside the service's, so their version numbers never clash.</param>
/// <param name="applicationRole">The NOLOGIN role the service's queries run under (row-level security applies to it):
/// created if missing and granted the schema's tables before any script runs, so a new service's scripts hold only
/// its own tables and policies.</param>
public sealed class MigrationRunner(NpgsqlDataSource dataSource, string schema, IReadOnlyList<Migration> migrations, ILogger? logger = null,
    string historyTable = "schema_migrations", string? applicationRole = null)
{
    private readonly ILogger _logger = logger ?? NullLogger.Instance;

    /// <returns>The versions this call applied (empty when the database was up to date).</returns>
    public async Task<IReadOnlyList<int>> ApplyAsync(CancellationToken cancellationToken = default)
    {
        var ordered = Migration.Ordered(migrations);
        var table = $"{Quote(schema)}.{Quote(historyTable)}";
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);

        // A session-level lock, held across all scripts, so a second replica waits and then finds nothing to do.
        await Execute(connection, "SELECT pg_advisory_lock($1)", cancellationToken, LockKey(schema, historyTable));
        try
        {
            await Execute(connection, $"""
                CREATE SCHEMA IF NOT EXISTS {Quote(schema)};
                CREATE TABLE IF NOT EXISTS {table} (
                    version integer PRIMARY KEY,
                    name text NOT NULL,
                    checksum text NOT NULL,
                    applied_at timestamptz NOT NULL DEFAULT now(),
                    duration_ms integer NOT NULL
                );
                """, cancellationToken);
            if (applicationRole is not null)
            {
                await Execute(connection, ApplicationRoleSql(schema, applicationRole), cancellationToken);
            }

            var applied = await ReadApplied(connection, table, cancellationToken);
            foreach (var (version, (name, checksum)) in applied)
            {
                var script = ordered.FirstOrDefault(m => m.Version == version);
                if (script is null)
                {
                    _logger.LogWarning("Migration {Version} ({Name}) is applied in schema {Schema} but not part of this build", version, name, schema);
                }
                else if (script.Checksum != checksum && script.EarlierChecksums.Contains(checksum))
                {
                    await RecordChecksum(connection, table, script, cancellationToken);
                    _logger.LogInformation("Migration {Version} ({Name}) in schema {Schema} was edited as its script allows (earlier checksum {Checksum}); recorded the new checksum",
                        version, name, schema, checksum[..12]);
                }
                else if (script.Checksum != checksum)
                {
                    throw new MigrationException(
                        $"Migration {version:D4}_{script.Name} was changed after it was applied to schema '{schema}' " +
                        $"(applied checksum {checksum[..12]}, now {script.Checksum[..12]}). Add a new migration instead of editing an applied one.");
                }
            }

            var newlyApplied = new List<int>();
            foreach (var migration in ordered.Where(m => !applied.ContainsKey(m.Version)))
            {
                await Apply(connection, table, migration, cancellationToken);
                newlyApplied.Add(migration.Version);
            }

            return newlyApplied;
        }
        finally
        {
            await Execute(connection, "SELECT pg_advisory_unlock($1)", CancellationToken.None, LockKey(schema, historyTable));
        }
    }

    private async Task Apply(NpgsqlConnection connection, string table, Migration migration, CancellationToken cancellationToken)
    {
        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        await using var transaction = migration.RunsInTransaction ? await connection.BeginTransactionAsync(cancellationToken) : null;
        try
        {
            // Unqualified names in a script land in the service's schema; SET LOCAL ends with the transaction.
            await Execute(connection, $"SET {(transaction is null ? "" : "LOCAL ")}search_path TO {Quote(schema)}, public", cancellationToken, transaction: transaction);
            await Execute(connection, migration.Sql, cancellationToken, transaction: transaction);
            if (transaction is null)
            {
                await Execute(connection, "RESET search_path", cancellationToken);
            }

            var elapsed = (int)System.Diagnostics.Stopwatch.GetElapsedTime(started).TotalMilliseconds;
            await using (var record = new NpgsqlCommand($"INSERT INTO {table} (version, name, checksum, duration_ms) VALUES ($1, $2, $3, $4)", connection, transaction))
            {
                record.Parameters.Add(new() { Value = migration.Version });
                record.Parameters.Add(new() { Value = migration.Name });
                record.Parameters.Add(new() { Value = migration.Checksum });
                record.Parameters.Add(new() { Value = elapsed });
                await record.ExecuteNonQueryAsync(cancellationToken);
            }

            if (transaction is not null)
            {
                await transaction.CommitAsync(cancellationToken);
            }

            _logger.LogInformation("Applied migration {Version} ({Name}) to schema {Schema} in {Elapsed} ms", migration.Version, migration.Name, schema, elapsed);
        }
        catch (PostgresException exception)
        {
            throw new MigrationException($"Migration {migration.Version:D4}_{migration.Name} failed in schema '{schema}': {exception.MessageText}", exception);
        }
    }

    private static async Task RecordChecksum(NpgsqlConnection connection, string table, Migration script, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand($"UPDATE {table} SET checksum = $1 WHERE version = $2", connection);
        command.Parameters.Add(new() { Value = script.Checksum });
        command.Parameters.Add(new() { Value = script.Version });
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private static async Task<Dictionary<int, (string Name, string Checksum)>> ReadApplied(NpgsqlConnection connection, string table, CancellationToken cancellationToken)
    {
        var applied = new Dictionary<int, (string, string)>();
        await using var command = new NpgsqlCommand($"SELECT version, name, checksum FROM {table}", connection);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            applied[reader.GetInt32(0)] = (reader.GetString(1), reader.GetString(2));
        }

        return applied;
    }

    private static async Task Execute(NpgsqlConnection connection, string sql, CancellationToken cancellationToken, long? argument = null, NpgsqlTransaction? transaction = null)
    {
        await using var command = new NpgsqlCommand(sql, connection, transaction);
        if (argument is { } value)
        {
            command.Parameters.Add(new() { Value = value });
        }

        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>A stable 64-bit lock key per schema, so two services migrating side by side do not wait on each other.</summary>
    internal static long LockKey(string schema, string historyTable) =>
        BitConverter.ToInt64(SHA256.HashData(Encoding.UTF8.GetBytes($"mach-commerce:migrations:{schema}:{historyTable}")), 0);

    private static string ApplicationRoleSql(string schema, string role) => $"""
        DO $$ BEGIN
            CREATE ROLE {Quote(role)} NOLOGIN;
        EXCEPTION WHEN duplicate_object THEN NULL;
        END $$;
        GRANT {Quote(role)} TO CURRENT_USER;
        GRANT USAGE ON SCHEMA {Quote(schema)} TO {Quote(role)};
        ALTER DEFAULT PRIVILEGES IN SCHEMA {Quote(schema)} GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO {Quote(role)};
        ALTER DEFAULT PRIVILEGES IN SCHEMA {Quote(schema)} GRANT USAGE, SELECT ON SEQUENCES TO {Quote(role)};
        """;

    private static string Quote(string identifier) => "\"" + identifier.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";
}
