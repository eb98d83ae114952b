using Npgsql;

namespace MachCommerce.LocalInfrastructure;

/// <summary>
/// A PostgreSQL server for this machine: either the one a connection string names (nothing is started), or a
/// private one started with initdb + pg_ctl in <see cref="LocalPostgresOptions.DataDirectory"/>, listening on
/// loopback only, with a generated superuser password kept in that folder.
/// </summary>
public sealed class LocalPostgres : IAsyncDisposable
{
    public const string SuperUser = "mach";

    private readonly string? _binDirectory;
    private readonly string? _clusterDirectory;
    private readonly string? _runAs;

    private LocalPostgres(string connectionString, bool started, string? binDirectory, string? clusterDirectory, string? runAs)
    {
        ConnectionString = connectionString;
        StartedHere = started;
        _binDirectory = binDirectory;
        _clusterDirectory = clusterDirectory;
        _runAs = runAs;
    }

    /// <summary>Superuser connection to the <c>postgres</c> database.</summary>
    public string ConnectionString { get; }

    /// <summary>False when a configured server is used: then stopping leaves it alone.</summary>
    public bool StartedHere { get; }

    public int Port => new NpgsqlConnectionStringBuilder(ConnectionString).Port;

    public static async Task<LocalPostgres> StartAsync(LocalPostgresOptions options, CancellationToken cancellationToken = default)
    {
        if (!string.IsNullOrWhiteSpace(options.ExistingConnectionString))
        {
            var existing = new LocalPostgres(options.ExistingConnectionString, started: false, null, null, null);
            await existing.WaitUntilReadyAsync(null, options.ExistingServerTimeout, cancellationToken);
            return existing;
        }

        await DebianPackages.EnsureInstalledAsync("postgresql", () => FindBinDirectory() is not null, cancellationToken);
        var binDirectory = FindBinDirectory()!;
        var runAs = ProcessRunner.IsRoot ? "postgres" : null; // PostgreSQL refuses to run as root.
        var root = Path.GetFullPath(options.DataDirectory);
        var cluster = Path.Combine(root, "cluster");
        var passwordFile = Path.Combine(root, "superuser-password");
        Directory.CreateDirectory(root);

        if (!File.Exists(Path.Combine(cluster, "PG_VERSION")))
        {
            options.Log?.Invoke($"initialising a PostgreSQL cluster in {cluster}");
            await InitialiseAsync(binDirectory, cluster, passwordFile, runAs, cancellationToken);
        }

        var password = (await File.ReadAllTextAsync(passwordFile, cancellationToken)).Trim();
        var server = new LocalPostgres("", started: true, binDirectory, cluster, runAs);
        await server.StopOrphanAsync(cancellationToken);

        return await FreePort.RetryWhenTakenAsync(attempt => StartServerAsync(options, binDirectory, cluster, runAs, password, attempt == 1 ? options.PreferredPort : null, cancellationToken));
    }

    private static async Task<LocalPostgres> StartServerAsync(LocalPostgresOptions options, string binDirectory, string cluster, string? runAs, string password, int? preferredPort,
        CancellationToken cancellationToken)
    {
        var root = Path.GetDirectoryName(cluster)!;
        var port = FreePort.Pick(preferredPort);
        var settings = new List<string>
        {
            $"-p {port}",
            "-c listen_addresses=127.0.0.1",
            "-c unix_socket_directories=''",
            "-c max_connections=300",
        };
        if (!options.Durable)
        {
            // Test data is thrown away anyway; skipping fsync makes a suite several times faster.
            settings.AddRange(["-c fsync=off", "-c synchronous_commit=off", "-c full_page_writes=off"]);
        }
        else
        {
            // PostgreSQL's defaults (128 MB of buffers, a checkpoint every GB of WAL) fit a small VM from long ago; a
            // platform that ingests a million events would spend its time writing full-page images after forced
            // checkpoints. Still modest for a developer machine or a benchmark.
            settings.AddRange(["-c shared_buffers=512MB", "-c max_wal_size=4GB"]);
        }

        var logFile = Path.Combine(root, "postgres.log");
        var logBefore = File.Exists(logFile) ? new FileInfo(logFile).Length : 0; // a failure is judged by what this start wrote
        var (file, arguments) = ProcessRunner.AsUser(runAs, Path.Combine(binDirectory, "pg_ctl"),
            ["start", "-D", cluster, "-l", logFile, "-w", "-t", "60", "-o", string.Join(' ', settings)]);
        // setsid: a Ctrl-C in the launcher's terminal must not reach the server; the launcher stops it in order.
        var result = await ProcessRunner.RunAsync("setsid", [file, .. arguments], timeout: TimeSpan.FromSeconds(90), cancellationToken: cancellationToken);
        if (result.ExitCode != 0)
        {
            var text = File.Exists(logFile) ? await File.ReadAllTextAsync(logFile, cancellationToken) : "";
            var log = ProcessRunner.Tail(text[(int)Math.Min(logBefore, text.Length)..]);
            throw new InfrastructureException($"PostgreSQL did not start (pg_ctl exit {result.ExitCode}): {ProcessRunner.Tail(result.Output)}\n{log}");
        }

        var connectionString = new NpgsqlConnectionStringBuilder
        {
            Host = "127.0.0.1",
            Port = port,
            Username = SuperUser,
            Password = password,
            Database = "postgres",
        }.ConnectionString;
        var started = new LocalPostgres(connectionString, started: true, binDirectory, cluster, runAs);
        await started.WaitUntilReadyAsync(logFile, TimeSpan.FromSeconds(30), cancellationToken);
        options.Log?.Invoke($"PostgreSQL listens on 127.0.0.1:{port}");
        return started;
    }

    /// <summary>Creates the database when missing and answers a connection string to it.</summary>
    public async Task<string> EnsureDatabaseAsync(string database, CancellationToken cancellationToken = default)
    {
        await using var connection = new NpgsqlConnection(ConnectionString);
        await connection.OpenAsync(cancellationToken);
        await using (var exists = new NpgsqlCommand("SELECT 1 FROM pg_database WHERE datname = $1", connection))
        {
            exists.Parameters.Add(new() { Value = database });
            if (await exists.ExecuteScalarAsync(cancellationToken) is null)
            {
                await using var create = new NpgsqlCommand($"CREATE DATABASE \"{database.Replace("\"", "\"\"", StringComparison.Ordinal)}\"", connection);
                try
                {
                    await create.ExecuteNonQueryAsync(cancellationToken);
                }
                catch (PostgresException exception) when (exception.SqlState is PostgresErrorCodes.DuplicateDatabase or PostgresErrorCodes.UniqueViolation)
                {
                    // Two callers raced to create it; either way it exists now.
                }
            }
        }

        return ConnectionStringFor(database);
    }

    public string ConnectionStringFor(string database) => new NpgsqlConnectionStringBuilder(ConnectionString) { Database = database }.ConnectionString;

    /// <summary>Stops a server started here (fast shutdown: sessions are ended, data is safe); a configured one is left running.</summary>
    public async Task StopAsync()
    {
        if (!StartedHere || _clusterDirectory is null || !File.Exists(Path.Combine(_clusterDirectory, "postmaster.pid")))
        {
            return;
        }

        NpgsqlConnection.ClearAllPools();
        var fast = await PgCtlAsync(["stop", "-D", _clusterDirectory, "-m", "fast", "-w", "-t", "30"], TimeSpan.FromSeconds(45));
        if (fast.ExitCode != 0 && File.Exists(Path.Combine(_clusterDirectory, "postmaster.pid")))
        {
            await PgCtlAsync(["stop", "-D", _clusterDirectory, "-m", "immediate", "-w"], TimeSpan.FromSeconds(30));
        }
    }

    private Task<ProcessRunner.Result> PgCtlAsync(IEnumerable<string> arguments, TimeSpan timeout)
    {
        var (file, fullArguments) = ProcessRunner.AsUser(_runAs, Path.Combine(_binDirectory!, "pg_ctl"), arguments);
        return ProcessRunner.RunAsync(file, fullArguments, timeout: timeout);
    }

    public async ValueTask DisposeAsync() => await StopAsync();

    /// <summary>Stops a server a killed process left running in <paramref name="dataDirectory"/>, if any.</summary>
    public static async Task StopLeftoverAsync(string dataDirectory)
    {
        var binDirectory = FindBinDirectory();
        var cluster = Path.Combine(Path.GetFullPath(dataDirectory), "cluster");
        if (binDirectory is not null && Directory.Exists(cluster))
        {
            await new LocalPostgres("", started: true, binDirectory, cluster, ProcessRunner.IsRoot ? "postgres" : null).StopOrphanAsync(CancellationToken.None);
        }
    }

    /// <summary>A server left running by a launcher that was killed: stop it before starting on a fresh port.</summary>
    private async Task StopOrphanAsync(CancellationToken cancellationToken)
    {
        var pidFile = Path.Combine(_clusterDirectory!, "postmaster.pid");
        if (!File.Exists(pidFile))
        {
            return;
        }

        var firstLine = (await File.ReadAllLinesAsync(pidFile, cancellationToken)).FirstOrDefault();
        if (int.TryParse(firstLine, out var pid) && IsAlive(pid))
        {
            await StopAsync();
        }
    }

    private static bool IsAlive(int pid)
    {
        try
        {
            using var process = Process.GetProcessById(pid);
            return !process.HasExited;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }

    private async Task WaitUntilReadyAsync(string? logFile, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            try
            {
                await using var connection = new NpgsqlConnection(ConnectionString);
                await connection.OpenAsync(cancellationToken);
                return;
            }
            catch (Exception exception) when (exception is NpgsqlException or TimeoutException && DateTime.UtcNow < deadline)
            {
                await Task.Delay(200, cancellationToken);
            }
            catch (Exception exception) when (exception is NpgsqlException or TimeoutException)
            {
                var log = logFile is not null && File.Exists(logFile) ? "\n" + ProcessRunner.Tail(await File.ReadAllTextAsync(logFile, cancellationToken)) : "";
                throw new InfrastructureException($"PostgreSQL at {new NpgsqlConnectionStringBuilder(ConnectionString).Host}:{Port} does not accept connections: {exception.Message}{log}", exception);
            }
        }
    }

    private static async Task InitialiseAsync(string binDirectory, string cluster, string passwordFile, string? runAs, CancellationToken cancellationToken)
    {
        var root = Path.GetDirectoryName(cluster)!;
        if (!File.Exists(passwordFile))
        {
            await File.WriteAllTextAsync(passwordFile, Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16)), cancellationToken);
        }

        // initdb reads the password from a file the server's user can read; it is removed right after.
        var initPasswordFile = Path.Combine(root, ".initdb-password");
        File.Copy(passwordFile, initPasswordFile, overwrite: true);
        if (Directory.Exists(cluster))
        {
            Directory.Delete(cluster, recursive: true); // a half-made cluster from an interrupted initdb
        }

        Directory.CreateDirectory(cluster);
        if (runAs is not null)
        {
            (await ProcessRunner.RunAsync("chown", ["-R", $"{runAs}:", root], cancellationToken: cancellationToken)).ThrowIfFailed("chown of the data folder");
        }

        try
        {
            var (file, arguments) = ProcessRunner.AsUser(runAs, Path.Combine(binDirectory, "initdb"),
                ["-D", cluster, "-U", SuperUser, "--pwfile", initPasswordFile, "--auth-host=scram-sha-256", "--auth-local=scram-sha-256",
                 "--encoding=UTF8", "--locale=C.UTF-8", "--no-instructions"]);
            (await ProcessRunner.RunAsync(file, arguments, timeout: TimeSpan.FromMinutes(2), cancellationToken: cancellationToken)).ThrowIfFailed("initdb");
        }
        finally
        {
            File.Delete(initPasswordFile);
        }
    }

    /// <summary>The server binaries' folder: the newest /usr/lib/postgresql/N/bin (Debian's layout).</summary>
    private static string? FindBinDirectory()
    {
        var candidates = Directory.Exists("/usr/lib/postgresql")
            ? Directory.GetDirectories("/usr/lib/postgresql")
                .Select(version => Path.Combine(version, "bin"))
                .OrderByDescending(path => int.TryParse(Path.GetFileName(Path.GetDirectoryName(path)), out var v) ? v : 0)
            : Enumerable.Empty<string>();
        return candidates.FirstOrDefault(path => File.Exists(Path.Combine(path, "initdb")) && File.Exists(Path.Combine(path, "pg_ctl")));
    }
}

public sealed record LocalPostgresOptions
{
    /// <summary>Folder for the cluster, its log and its generated password; created when missing.</summary>
    public required string DataDirectory { get; init; }

    /// <summary>Use this server instead of starting one (e.g. <c>MACH_POSTGRES</c>).</summary>
    public string? ExistingConnectionString { get; init; }

    /// <summary>How long a configured server may take to answer before start-up gives up on it.</summary>
    public TimeSpan ExistingServerTimeout { get; init; } = TimeSpan.FromSeconds(30);

    public int? PreferredPort { get; init; }

    /// <summary>False for throw-away test servers: turns off fsync for speed.</summary>
    public bool Durable { get; init; } = true;

    public Action<string>? Log { get; init; }
}
