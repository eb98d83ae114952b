using RabbitMQ.Client;

namespace MachCommerce.LocalInfrastructure;

/// <summary>
/// A RabbitMQ broker for this machine: either the one a URI names (nothing is started), or a private node
/// started from Debian's rabbitmq-server script with every path, port and its own epmd inside
/// <see cref="LocalRabbitMqOptions.DataDirectory"/>, so it shares nothing with a system broker or another test run.
/// </summary>
public sealed class LocalRabbitMq : IAsyncDisposable
{
    private const string User = "mach";

    /// <summary>The file in the data folder that holds the running node's amqp:// URI.</summary>
    public const string UriFile = "amqp-uri";

    private readonly string? _root;
    private readonly int _epmdPort;
    private readonly IReadOnlyDictionary<string, string>? _environment;
    private readonly string? _script;

    private LocalRabbitMq(Uri uri, bool started, string? root, int epmdPort, IReadOnlyDictionary<string, string>? environment = null, string? script = null)
    {
        Uri = uri;
        StartedHere = started;
        _root = root;
        _epmdPort = epmdPort;
        _environment = environment;
        _script = script;
    }

    /// <summary>amqp://user:password@127.0.0.1:port/ of the broker.</summary>
    public Uri Uri { get; }

    public bool StartedHere { get; }

    public int Port => Uri.Port;

    public static async Task<LocalRabbitMq> StartAsync(LocalRabbitMqOptions options, CancellationToken cancellationToken = default)
    {
        if (options.ExistingUri is { } existingUri)
        {
            var existing = new LocalRabbitMq(existingUri, started: false, null, 0);
            await existing.WaitUntilReadyAsync(null, TimeSpan.FromSeconds(30), cancellationToken);
            return existing;
        }

        await DebianPackages.EnsureInstalledAsync("rabbitmq-server", () => FindServerScript() is not null, cancellationToken);
        var script = FindServerScript()!;
        var root = Path.GetFullPath(options.DataDirectory);
        Directory.CreateDirectory(root);
        await StopLeftoverAsync(root);

        var passwordFile = Path.Combine(root, "password");
        if (!File.Exists(passwordFile))
        {
            await File.WriteAllTextAsync(passwordFile, Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16)), cancellationToken);
        }

        var password = (await File.ReadAllTextAsync(passwordFile, cancellationToken)).Trim();
        return await FreePort.RetryWhenTakenAsync(attempt => StartNodeAsync(options, script, root, password, attempt == 1 ? options.PreferredPort : null, cancellationToken));
    }

    private static async Task<LocalRabbitMq> StartNodeAsync(LocalRabbitMqOptions options, string script, string root, string password, int? preferredPort,
        CancellationToken cancellationToken)
    {
        var port = FreePort.Pick(preferredPort);
        var distributionPort = FreePort.Pick();
        var epmdPort = FreePort.Pick();
        var home = Path.Combine(root, "home");
        Directory.CreateDirectory(home);
        Directory.CreateDirectory(Path.Combine(root, "log"));

        // default_user only takes effect when the node's database is new; the password file keeps them in step.
        await File.WriteAllTextAsync(Path.Combine(root, "rabbitmq.conf"), $"""
            listeners.tcp.1 = 127.0.0.1:{port}
            default_user = {User}
            default_pass = {password}
            loopback_users = none
            log.console = false
            log.file.level = warning
            disk_free_limit.absolute = 50MB
            """, cancellationToken);
        await File.WriteAllTextAsync(Path.Combine(root, "enabled_plugins"), "[].", cancellationToken);

        var environment = new Dictionary<string, string>
        {
            ["HOME"] = home,
            ["RABBITMQ_NODENAME"] = "mach@localhost",
            ["RABBITMQ_NODE_IP_ADDRESS"] = "127.0.0.1",
            ["RABBITMQ_NODE_PORT"] = port.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["RABBITMQ_DIST_PORT"] = distributionPort.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["RABBITMQ_MNESIA_BASE"] = Path.Combine(root, "mnesia"),
            ["RABBITMQ_MNESIA_DIR"] = Path.Combine(root, "mnesia", "mach"),
            ["RABBITMQ_LOG_BASE"] = Path.Combine(root, "log"),
            ["RABBITMQ_CONFIG_FILE"] = Path.Combine(root, "rabbitmq.conf"),
            ["RABBITMQ_ENABLED_PLUGINS_FILE"] = Path.Combine(root, "enabled_plugins"),
            ["RABBITMQ_PID_FILE"] = Path.Combine(root, "rabbitmq.pid"),
            ["RABBITMQ_SERVER_ADDITIONAL_ERL_ARGS"] = "-kernel inet_dist_use_interface {127,0,0,1}",
            // A private epmd on its own port: the node never touches a system-wide epmd on 4369, and stopping
            // it afterwards leaves no port of ours behind.
            ["ERL_EPMD_PORT"] = epmdPort.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["ERL_EPMD_ADDRESS"] = "127.0.0.1",
        };

        var logFile = Path.Combine(root, "log", "server.out");
        File.Delete(logFile); // this start's output only: a failure is judged by what this node wrote
        var start = new ProcessStartInfo("setsid")
        {
            UseShellExecute = false,
            RedirectStandardInput = true,
            RedirectStandardOutput = false,
            RedirectStandardError = false,
        };
        // The node logs through a shell redirect to a file, not a pipe to us, so it never blocks on or dies with our output.
        foreach (var argument in new[] { "/bin/sh", "-c", "exec \"$0\" >>\"$1\" 2>&1", script, logFile })
        {
            start.ArgumentList.Add(argument);
        }

        foreach (var (key, value) in environment)
        {
            start.Environment[key] = value;
        }

        await File.WriteAllTextAsync(Path.Combine(root, "epmd.port"), environment["ERL_EPMD_PORT"], cancellationToken);
        options.Log?.Invoke($"starting RabbitMQ on 127.0.0.1:{port}");
        using (var process = Process.Start(start) ?? throw new InfrastructureException("Could not start rabbitmq-server."))
        {
            process.StandardInput.Close();
        }

        var broker = new LocalRabbitMq(new Uri($"amqp://{User}:{password}@127.0.0.1:{port}/"), started: true, root, epmdPort, environment, script);
        try
        {
            await broker.WaitUntilReadyAsync(logFile, TimeSpan.FromSeconds(90), cancellationToken);
        }
        catch
        {
            await broker.StopAsync();
            throw;
        }

        // Tools that act on the running broker (the launcher's `requeue`) find it here.
        await File.WriteAllTextAsync(Path.Combine(root, UriFile), broker.Uri.ToString(), cancellationToken);
        options.Log?.Invoke($"RabbitMQ listens on 127.0.0.1:{port}");
        return broker;
    }

    /// <summary>
    /// A virtual host of its own for one test (or one tenant of a demo): queues and exchanges of the same names
    /// in two virtual hosts never meet. Only on a node started here, where rabbitmqctl can reach it.
    /// </summary>
    /// <returns>The broker URI with the virtual host as its path.</returns>
    public async Task<Uri> CreateVirtualHostAsync(string name, CancellationToken cancellationToken = default)
    {
        if (!StartedHere || _environment is null || _script is null)
        {
            throw new InvalidOperationException("Virtual hosts can only be created on a broker started here.");
        }

        var control = Path.Combine(Path.GetDirectoryName(_script)!, "rabbitmqctl");
        foreach (var arguments in new[] { new[] { "add_vhost", name }, ["set_permissions", "-p", name, User, ".*", ".*", ".*"] })
        {
            (await ProcessRunner.RunAsync(control, ["-n", _environment["RABBITMQ_NODENAME"], "-q", .. arguments], _environment, TimeSpan.FromSeconds(60), cancellationToken))
                .ThrowIfFailed($"rabbitmqctl {arguments[0]}");
        }

        return new UriBuilder(Uri) { Path = "/" + Uri.EscapeDataString(name) }.Uri;
    }

    /// <summary>Stops a node started here: SIGTERM (RabbitMQ shuts down cleanly on it), then its private epmd.</summary>
    public async Task StopAsync()
    {
        if (!StartedHere || _root is null)
        {
            return;
        }

        await StopNodeAsync(_root);
        await StopEpmdAsync(_epmdPort);
    }

    public async ValueTask DisposeAsync() => await StopAsync();

    private static async Task StopNodeAsync(string root)
    {
        var pidFile = Path.Combine(root, "rabbitmq.pid");
        if (!File.Exists(pidFile) || !int.TryParse((await File.ReadAllTextAsync(pidFile)).Trim(), out var pid))
        {
            return;
        }

        try
        {
            using var process = Process.GetProcessById(pid);
            if (!ProcessRunner.CommandLine(pid).Contains(root, StringComparison.Ordinal))
            {
                return; // the pid was reused by an unrelated process
            }

            await ProcessRunner.RunAsync("kill", ["-TERM", pid.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
            using var wait = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            try
            {
                await process.WaitForExitAsync(wait.Token);
            }
            catch (OperationCanceledException)
            {
                process.Kill(entireProcessTree: true);
                await process.WaitForExitAsync();
            }
        }
        catch (ArgumentException)
        {
            // already gone
        }
        finally
        {
            File.Delete(pidFile);
        }
    }

    private static async Task StopEpmdAsync(int epmdPort)
    {
        if (epmdPort > 0 && FreePort.IsListening(epmdPort))
        {
            await ProcessRunner.RunAsync("epmd", ["-kill"], new Dictionary<string, string>
            {
                ["ERL_EPMD_PORT"] = epmdPort.ToString(System.Globalization.CultureInfo.InvariantCulture),
            }, TimeSpan.FromSeconds(10));
        }
    }

    /// <summary>A node left running by a process that was killed: stop it (and its epmd) before starting anew.</summary>
    public static async Task StopLeftoverAsync(string dataDirectory)
    {
        var root = Path.GetFullPath(dataDirectory);
        await StopNodeAsync(root);
        var epmdFile = Path.Combine(root, "epmd.port");
        if (File.Exists(epmdFile) && int.TryParse(await File.ReadAllTextAsync(epmdFile), out var epmdPort))
        {
            await StopEpmdAsync(epmdPort);
        }
    }


    private async Task WaitUntilReadyAsync(string? logFile, TimeSpan timeout, CancellationToken cancellationToken)
    {
        // Ready means an AMQP login succeeds, not merely an open port: the listener opens before users exist.
        var factory = new ConnectionFactory { Uri = Uri, RequestedConnectionTimeout = TimeSpan.FromSeconds(2), ClientProvidedName = "mach-commerce-readiness" };
        var deadline = DateTime.UtcNow + timeout;
        Exception? last = null;
        while (DateTime.UtcNow < deadline)
        {
            try
            {
                await using var connection = await factory.CreateConnectionAsync(cancellationToken);
                return;
            }
            catch (Exception exception) when (exception is not OperationCanceledException)
            {
                last = exception;
                if (logFile is not null && File.Exists(logFile) && (await File.ReadAllTextAsync(logFile, cancellationToken)).Contains("eaddrinuse", StringComparison.OrdinalIgnoreCase))
                {
                    // Another process took one of our ports after we picked it: no point waiting for this node.
                    throw new InfrastructureException($"RabbitMQ could not listen: a port picked for it was taken meanwhile (eaddrinuse); see {logFile}.", exception);
                }

                await Task.Delay(250, cancellationToken);
            }
        }

        var log = logFile is not null && File.Exists(logFile) ? "\n" + ProcessRunner.Tail(await File.ReadAllTextAsync(logFile, cancellationToken)) : "";
        throw new InfrastructureException($"RabbitMQ at 127.0.0.1:{Port} did not accept a login: {last?.Message}{log}", last);
    }

    /// <summary>The package's own server script (not /usr/sbin's wrapper, which switches to the rabbitmq user).</summary>
    private static string? FindServerScript()
    {
        const string lib = "/usr/lib/rabbitmq/lib";
        return Directory.Exists(lib)
            ? Directory.GetDirectories(lib, "rabbitmq_server-*")
                .Select(folder => Path.Combine(folder, "sbin", "rabbitmq-server"))
                .Where(File.Exists)
                .OrderByDescending(path => path, StringComparer.Ordinal)
                .FirstOrDefault()
            : null;
    }
}

public sealed record LocalRabbitMqOptions
{
    /// <summary>Folder for the node's database, logs, config and generated password; created when missing.</summary>
    public required string DataDirectory { get; init; }

    /// <summary>Use this broker instead of starting one (e.g. <c>MACH_RABBITMQ</c>).</summary>
    public Uri? ExistingUri { get; init; }

    public int? PreferredPort { get; init; }

    public Action<string>? Log { get; init; }
}
