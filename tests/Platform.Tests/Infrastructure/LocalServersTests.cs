using MachCommerce.LocalInfrastructure;
using RabbitMQ.Client;

namespace MachCommerce.Platform.Tests.Infrastructure;

public sealed class LocalServersTests
{
    [Fact]
    public async Task The_started_servers_accept_real_work()
    {
        var servers = await TestServers.GetAsync();

        await using (var connection = new NpgsqlConnection(servers.Postgres.ConnectionString))
        {
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand("SHOW listen_addresses", connection);
            Assert.Equal("127.0.0.1", await command.ExecuteScalarAsync());
        }

        var factory = new ConnectionFactory { Uri = servers.RabbitMq.Uri };
        await using var broker = await factory.CreateConnectionAsync();
        await using var channel = await broker.CreateChannelAsync();
        var queue = (await channel.QueueDeclareAsync(exclusive: true)).QueueName;
        await channel.BasicPublishAsync("", queue, "hello"u8.ToArray());
        var message = await channel.NextMessageAsync(queue);
        Assert.Equal("hello", System.Text.Encoding.UTF8.GetString(message));
    }

    [Fact]
    public async Task A_configured_server_is_used_and_nothing_is_started_or_stopped()
    {
        var shared = await TestServers.GetAsync();
        var folder = TempFolder();

        await using (var postgres = await LocalPostgres.StartAsync(new LocalPostgresOptions { DataDirectory = Path.Combine(folder, "pg"), ExistingConnectionString = shared.Postgres.ConnectionString }))
        await using (var rabbit = await LocalRabbitMq.StartAsync(new LocalRabbitMqOptions { DataDirectory = Path.Combine(folder, "mq"), ExistingUri = shared.RabbitMq.Uri }))
        {
            Assert.False(postgres.StartedHere);
            Assert.False(rabbit.StartedHere);
            Assert.Equal(shared.Postgres.Port, postgres.Port);
            Assert.Equal(shared.RabbitMq.Port, rabbit.Port);
        }

        Assert.False(Directory.Exists(folder)); // no cluster initialised, no broker data written
        Assert.True(FreePort.IsListening(shared.Postgres.Port)); // disposing left the configured servers running
        Assert.True(FreePort.IsListening(shared.RabbitMq.Port));
    }

    [Fact]
    public async Task A_configured_server_that_does_not_answer_fails_with_its_address()
    {
        var closed = FreePort.Pick();

        var failure = await Assert.ThrowsAsync<InfrastructureException>(() => LocalPostgres.StartAsync(new LocalPostgresOptions
        {
            DataDirectory = TempFolder(),
            ExistingConnectionString = $"Host=127.0.0.1;Port={closed};Username=x;Password=y;Timeout=1",
            ExistingServerTimeout = TimeSpan.FromSeconds(2),
        }));

        Assert.Contains($"127.0.0.1:{closed}", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Stopping_leaves_no_process_and_no_port_and_a_restart_keeps_the_data()
    {
        var folder = TempFolder();
        var first = await LocalServers.StartAsync(folder, durable: true);
        var ports = new[] { first.Postgres.Port, first.RabbitMq.Port };
        await Execute(first.Postgres.ConnectionString, "CREATE TABLE survives (a int); INSERT INTO survives VALUES (42);");

        await first.StopAsync();

        Assert.Empty(ProcessesMentioning(folder));
        Assert.All(ports, port => Assert.False(FreePort.IsListening(port), $"port {port} still listens"));
        Assert.False(FreePort.IsListening(int.Parse(await File.ReadAllTextAsync(Path.Combine(folder, "rabbitmq", "epmd.port")), System.Globalization.CultureInfo.InvariantCulture)));

        var second = await LocalServers.StartAsync(folder, durable: true);
        try
        {
            await using var connection = new NpgsqlConnection(second.Postgres.ConnectionString);
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand("SELECT a FROM survives", connection);
            Assert.Equal(42, await command.ExecuteScalarAsync());
        }
        finally
        {
            await second.StopAsync();
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public async Task Servers_left_running_by_a_killed_launcher_are_stopped_before_a_new_start()
    {
        var folder = TempFolder();
        var orphaned = await LocalServers.StartAsync(folder, durable: false);
        var orphanedPorts = new[] { orphaned.Postgres.Port, orphaned.RabbitMq.Port };

        // The launcher died without stopping anything; the next one starts in the same folder.
        var next = await LocalServers.StartAsync(folder, durable: false);
        try
        {
            Assert.All(orphanedPorts.Except([next.Postgres.Port, next.RabbitMq.Port]), port => Assert.False(FreePort.IsListening(port)));
            await Execute(next.Postgres.ConnectionString, "SELECT 1");
        }
        finally
        {
            await next.StopAsync();
        }

        Assert.Empty(ProcessesMentioning(folder));
        Directory.Delete(folder, recursive: true);
    }

    [Fact]
    public async Task Two_launchers_starting_at_once_with_the_same_preferred_ports_both_come_up()
    {
        // Both see the preferred ports free; the slower server finds them taken when it binds, and starts on others.
        var (first, second) = (TempFolder(), TempFolder());
        var preferredPostgres = FreePort.Pick();
        var preferredRabbit = FreePort.Pick();
        var starts = new[] { first, second }.Select(folder => LocalServers.StartAsync(folder, durable: false, preferredPostgres, preferredRabbit)).ToList();
        try
        {
            var servers = await Task.WhenAll(starts);
            Assert.Equal(2, servers.Select(s => s.Postgres.Port).Distinct().Count());
            Assert.Equal(2, servers.Select(s => s.RabbitMq.Port).Distinct().Count());
            foreach (var server in servers)
            {
                await Execute(server.Postgres.ConnectionString, "SELECT 1");
            }
        }
        finally
        {
            foreach (var start in starts.Where(s => s.IsCompletedSuccessfully))
            {
                await (await start).StopAsync();
            }
        }

        Assert.Empty(ProcessesMentioning(first).Concat(ProcessesMentioning(second)));
        Directory.Delete(first, recursive: true);
        Directory.Delete(second, recursive: true);
    }

    private static string TempFolder() => Path.Combine(RepositoryPaths.DataRoot(), "tests", "scratch", Guid.NewGuid().ToString("N")[..12]);

    private static async Task Execute(string connectionString, string sql)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }

    /// <summary>What `pgrep -f FOLDER` would find: live processes whose command line names the folder.</summary>
    private static List<string> ProcessesMentioning(string folder) =>
        [.. Directory.GetDirectories("/proc")
            .Where(path => int.TryParse(Path.GetFileName(path), out _))
            .Select(path => ProcessRunner.CommandLine(int.Parse(Path.GetFileName(path), System.Globalization.CultureInfo.InvariantCulture)))
            .Where(commandLine => commandLine.Contains(folder, StringComparison.Ordinal))];
}

public sealed class DebianPackagesTests
{
    [Fact]
    public async Task Missing_binaries_without_root_fail_with_one_line_naming_the_package()
    {
        var failure = await Assert.ThrowsAsync<InfrastructureException>(() =>
            DebianPackages.EnsureInstalledAsync("rabbitmq-server", () => false, canInstall: false, CancellationToken.None));

        Assert.DoesNotContain('\n', failure.Message);
        Assert.Contains("apt-get install -y rabbitmq-server", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Present_binaries_need_nothing()
    {
        await DebianPackages.EnsureInstalledAsync("postgresql", () => true, canInstall: false, CancellationToken.None);
    }
}
