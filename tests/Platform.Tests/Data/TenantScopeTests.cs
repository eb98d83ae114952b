using MachCommerce.Hosting.Data;

namespace MachCommerce.Platform.Tests.Data;

/// <summary>
/// The one-round-trip tenant read against a real PostgreSQL, on a pool of one connection so that every call reuses
/// the same session (and its prepared statements): row-level security must hold for the query and nothing of it
/// may stay on the connection for its next user.
/// </summary>
public sealed class TenantScopeTests : IAsyncLifetime
{
    private const string Role = "tenant_scope_test_app";
    private string _connectionString = "";
    private NpgsqlDataSource _dataSource = null!;

    public async Task InitializeAsync()
    {
        _connectionString = await TestServers.CreateDatabaseAsync("tenantscope");
        _dataSource = NpgsqlDataSource.Create(new NpgsqlConnectionStringBuilder(_connectionString) { MaxPoolSize = 1 }.ConnectionString);
        await using var setup = _dataSource.CreateCommand(
            $"""
            DO $$ BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '{Role}') THEN CREATE ROLE {Role} NOLOGIN; END IF; END $$;
            CREATE SCHEMA shop;
            CREATE TABLE shop.items (tenant_id text NOT NULL, name text NOT NULL);
            ALTER TABLE shop.items ENABLE ROW LEVEL SECURITY;
            CREATE POLICY tenant_only ON shop.items TO {Role} USING (tenant_id = current_setting('app.tenant_id', true));
            GRANT USAGE ON SCHEMA shop TO {Role};
            GRANT SELECT ON shop.items TO {Role};
            INSERT INTO shop.items VALUES ('a', 'Hammer'), ('a', 'Spaten'), ('b', 'Dübel');
            """);
        await setup.ExecuteNonQueryAsync();
    }

    public async Task DisposeAsync()
    {
        await _dataSource.DisposeAsync();
        await TestServers.DropDatabaseAsync(_connectionString);
    }

    /// <summary>All names the query sees: it does not filter by tenant itself, so only row-level security can.</summary>
    private Task<List<string>> NamesAsync(string tenant, string sql = "SELECT name FROM shop.items ORDER BY name") =>
        TenantScope.ReadAsync(_dataSource, tenant, Role, "shop", new NpgsqlBatchCommand(sql), async (reader, cancellationToken) =>
        {
            var names = new List<string>();
            while (await reader.ReadAsync(cancellationToken))
            {
                names.Add(reader.GetString(0));
            }

            return names;
        });

    [Fact]
    public async Task A_read_sees_only_its_tenants_rows_also_when_tenants_take_turns_on_one_connection()
    {
        for (var round = 0; round < 8; round++) // past PostgreSQL's switch from custom to generic plans (after five)
        {
            Assert.Equal(["Hammer", "Spaten"], await NamesAsync("a"));
            Assert.Equal(["Dübel"], await NamesAsync("b"));
            Assert.Empty(await NamesAsync("c"));
        }
    }

    [Fact]
    public async Task Nothing_of_a_read_stays_on_the_connection()
    {
        await NamesAsync("a");
        await Assert.ThrowsAsync<PostgresException>(() => NamesAsync("a", "SELECT (1 / 0)::text")); // nor a failing one

        await using var command = _dataSource.CreateCommand(
            "SELECT coalesce(current_setting('app.tenant_id', true), ''), current_user = session_user, current_setting('search_path'), (SELECT count(*) FROM shop.items)");
        await using var reader = await command.ExecuteReaderAsync();
        Assert.True(await reader.ReadAsync());
        Assert.Equal("", reader.GetString(0));
        Assert.True(reader.GetBoolean(1));
        Assert.DoesNotContain("shop", reader.GetString(2), StringComparison.Ordinal);
        Assert.Equal(3, reader.GetInt64(3)); // the login again, which row-level security does not restrict here
    }
}
