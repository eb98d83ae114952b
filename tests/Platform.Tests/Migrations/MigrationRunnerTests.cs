using MachCommerce.Hosting.Migrations;

namespace MachCommerce.Platform.Tests.Migrations;

/// <summary>Against a real PostgreSQL; each test in a database of its own.</summary>
public sealed class MigrationRunnerTests : IAsyncLifetime
{
    private string _connectionString = "";
    private NpgsqlDataSource _dataSource = null!;

    public async Task InitializeAsync()
    {
        _connectionString = await TestServers.CreateDatabaseAsync("migrations");
        _dataSource = NpgsqlDataSource.Create(_connectionString);
    }

    public async Task DisposeAsync()
    {
        await _dataSource.DisposeAsync();
        await TestServers.DropDatabaseAsync(_connectionString);
    }

    private static Migration Script(int version, string sql) => new(version, $"step_{version}", sql);

    private async Task<T?> Scalar<T>(string sql)
    {
        await using var command = _dataSource.CreateCommand(sql);
        var value = await command.ExecuteScalarAsync();
        return value is DBNull or null ? default : (T)value;
    }

    [Fact]
    public async Task Scripts_run_in_version_order_whatever_order_they_are_given_in()
    {
        // 2 and 3 depend on 1 and 2: any other order fails.
        var scripts = new[]
        {
            Script(3, "INSERT INTO log (step) VALUES (3);"),
            Script(1, "CREATE TABLE log (seq serial PRIMARY KEY, step int NOT NULL);"),
            Script(2, "INSERT INTO log (step) VALUES (2);"),
        };

        var applied = await new MigrationRunner(_dataSource, "ordering", scripts).ApplyAsync();

        Assert.Equal([1, 2, 3], applied);
        Assert.Equal("2,3", await Scalar<string>("SELECT string_agg(step::text, ',' ORDER BY seq) FROM ordering.log"));
    }

    [Fact]
    public async Task Applying_twice_changes_nothing_the_second_time()
    {
        var scripts = Migration.FromAssembly(typeof(MigrationRunnerTests).Assembly);
        var runner = new MigrationRunner(_dataSource, "notes", scripts);

        Assert.Equal([1, 2, 10], await runner.ApplyAsync());
        Assert.Empty(await runner.ApplyAsync());
        Assert.Equal(3L, await Scalar<long>("SELECT count(*) FROM notes.schema_migrations"));
        Assert.True(await Scalar<bool>("SELECT EXISTS (SELECT 1 FROM pg_indexes WHERE schemaname = 'notes' AND indexname = 'notes_tenant')"));
    }

    [Fact]
    public async Task A_later_build_applies_only_its_new_scripts()
    {
        await new MigrationRunner(_dataSource, "growing", [Script(1, "CREATE TABLE t (a int);")]).ApplyAsync();

        var applied = await new MigrationRunner(_dataSource, "growing", [Script(1, "CREATE TABLE t (a int);"), Script(2, "ALTER TABLE t ADD COLUMN b int;")]).ApplyAsync();

        Assert.Equal([2], applied);
    }

    [Fact]
    public async Task Replicas_starting_at_once_apply_each_script_exactly_once()
    {
        // Not idempotent on purpose: a second run of any script would fail or double the row count.
        var scripts = new[]
        {
            Script(1, "CREATE TABLE counter (n int NOT NULL); SELECT pg_sleep(0.2);"),
            Script(2, "INSERT INTO counter VALUES (1);"),
            Script(3, "INSERT INTO counter VALUES (1);"),
        };

        var results = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => Task.Run(() => new MigrationRunner(_dataSource, "racing", scripts).ApplyAsync())));

        Assert.Equal(3, results.Sum(applied => applied.Count));
        Assert.Single(results, applied => applied.Count == 3);
        Assert.Equal(2L, await Scalar<long>("SELECT count(*) FROM racing.counter"));
    }

    [Fact]
    public async Task A_script_changed_after_it_was_applied_stops_the_service_with_its_name()
    {
        await new MigrationRunner(_dataSource, "edited", [Script(1, "CREATE TABLE t (a int);")]).ApplyAsync();

        var failure = await Assert.ThrowsAsync<MigrationException>(() =>
            new MigrationRunner(_dataSource, "edited", [Script(1, "CREATE TABLE t (a bigint);"), Script(2, "CREATE TABLE u (a int);")]).ApplyAsync());

        Assert.Contains("0001_step_1", failure.Message, StringComparison.Ordinal);
        Assert.Contains("changed after it was applied", failure.Message, StringComparison.Ordinal);
        Assert.False(await Scalar<bool>("SELECT EXISTS (SELECT 1 FROM pg_tables WHERE schemaname = 'edited' AND tablename = 'u')"));
    }

    [Fact]
    public async Task A_script_edited_as_it_allows_by_naming_its_earlier_checksum_is_the_same_script_and_its_new_checksum_is_recorded()
    {
        var original = Script(1, "CREATE TABLE t (a int);\nCREATE TABLE u (a int);\n");
        await new MigrationRunner(_dataSource, "declared", [original]).ApplyAsync();

        // u is made elsewhere now (as the services' roles moved into the runner); the edit names what the script was.
        var edited = Script(1, $"CREATE TABLE t (a int);\n-- earlier checksum: {original.Checksum}\n");
        Assert.Equal([original.Checksum], edited.EarlierChecksums);
        Assert.Equal([2], await new MigrationRunner(_dataSource, "declared", [edited, Script(2, "CREATE TABLE v (a int);")]).ApplyAsync());
        Assert.Equal(edited.Checksum, await Scalar<string>("SELECT checksum FROM declared.schema_migrations WHERE version = 1"));
        Assert.Empty(await new MigrationRunner(_dataSource, "declared", [edited, Script(2, "CREATE TABLE v (a int);")]).ApplyAsync());

        // Naming a checksum the applied script never had changes nothing: the edit stops the service as any other.
        var unrelated = Script(1, $"CREATE TABLE t (a bigint);\n-- earlier checksum: {new string('0', 64)}\n");
        var failure = await Assert.ThrowsAsync<MigrationException>(() => new MigrationRunner(_dataSource, "declared", [unrelated]).ApplyAsync());
        Assert.Contains("changed after it was applied", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Only_line_endings_changing_is_not_a_change()
    {
        await new MigrationRunner(_dataSource, "crlf", [Script(1, "CREATE TABLE t (a int);\nCREATE TABLE u (a int);\n")]).ApplyAsync();

        Assert.Empty(await new MigrationRunner(_dataSource, "crlf", [Script(1, "CREATE TABLE t (a int);\r\nCREATE TABLE u (a int);\r\n")]).ApplyAsync());
    }

    [Fact]
    public async Task A_failing_script_leaves_nothing_of_itself_and_keeps_the_ones_before()
    {
        var scripts = new[]
        {
            Script(1, "CREATE TABLE kept (a int);"),
            Script(2, "CREATE TABLE half (a int); INSERT INTO no_such_table VALUES (1);"),
        };

        var failure = await Assert.ThrowsAsync<MigrationException>(() => new MigrationRunner(_dataSource, "failing", scripts).ApplyAsync());

        Assert.Contains("0002_step_2", failure.Message, StringComparison.Ordinal);
        Assert.Contains("no_such_table", failure.Message, StringComparison.Ordinal);
        Assert.True(await Scalar<bool>("SELECT EXISTS (SELECT 1 FROM pg_tables WHERE schemaname = 'failing' AND tablename = 'kept')"));
        Assert.False(await Scalar<bool>("SELECT EXISTS (SELECT 1 FROM pg_tables WHERE schemaname = 'failing' AND tablename = 'half')"));
        Assert.Equal(1L, await Scalar<long>("SELECT count(*) FROM failing.schema_migrations"));
    }

    [Fact]
    public async Task The_lock_is_released_after_a_failure_so_a_fixed_build_can_proceed()
    {
        await Assert.ThrowsAsync<MigrationException>(() => new MigrationRunner(_dataSource, "retry", [Script(1, "SELECT broken syntax here;")]).ApplyAsync());

        Assert.Equal([1], await new MigrationRunner(_dataSource, "retry", [Script(1, "CREATE TABLE t (a int);")]).ApplyAsync());
    }

    [Fact]
    public void Two_scripts_with_one_version_are_refused()
    {
        var failure = Assert.Throws<MigrationException>(() => Migration.Ordered([Script(1, "SELECT 1;"), new Migration(1, "other", "SELECT 2;")]));

        Assert.Contains("version 1", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Two_schemas_migrate_independently_in_one_database()
    {
        var scripts = Migration.FromAssembly(typeof(MigrationRunnerTests).Assembly);

        await Task.WhenAll(
            new MigrationRunner(_dataSource, "shop_one", scripts).ApplyAsync(),
            new MigrationRunner(_dataSource, "shop_two", scripts).ApplyAsync());

        Assert.Equal(2L, await Scalar<long>("SELECT count(*) FROM pg_tables WHERE tablename = 'notes' AND schemaname IN ('shop_one', 'shop_two')"));
    }
}
