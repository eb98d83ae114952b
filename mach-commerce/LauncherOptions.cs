namespace MachCommerce.Launcher;

/// <summary>The launcher's command line.</summary>
internal sealed record LauncherOptions(bool Help, bool Reset, bool Seed, string? RequeueEndpoint = null, Uri? Broker = null, bool Debug = false)
{
    /// <summary>The build the services run: Release (what users run) unless a developer asks for Debug.</summary>
    public string Configuration => Debug ? "Debug" : "Release";

    public const string Usage = """
        mach-commerce: runs the whole MACH Commerce platform on this machine.

        Usage: dotnet run --project mach-commerce [-- options]
               dotnet run --project mach-commerce -- requeue ENDPOINT [--broker amqp://...]

        Starts a private PostgreSQL and RabbitMQ (data in .data/local, git-ignored), builds and starts every
        service and the gateway as separate processes, waits until each is ready, seeds demo data once, and
        prints the URLs. Ctrl-C (or SIGTERM) stops everything it started.

        Options:
          --help       show this text
          --reset      delete the local data (databases, broker, keys) before starting
          --no-seed    do not load the demo data set
          --debug      build and run the services and the gateway in Debug instead of Release

        requeue ENDPOINT
                       move the messages that failed every retry on a consumer's queue (ENDPOINT_error) back to
                       ENDPOINT, once the cause is fixed; e.g. `requeue personalization-product-read-model`.
                       The broker is the local one, or --broker, or MACH_RABBITMQ.

        Environment:
          MACH_POSTGRES   connection string of an existing PostgreSQL superuser login: start none
          MACH_RABBITMQ   amqp:// URI of an existing RabbitMQ: start none
        """;

    public static LauncherOptions Parse(string[] args, out string? error)
    {
        error = null;
        if (args.FirstOrDefault() == "requeue")
        {
            var broker = args.SkipWhile(a => a != "--broker").Skip(1).FirstOrDefault();
            var endpoint = args.Skip(1).FirstOrDefault(a => !a.StartsWith("--", StringComparison.Ordinal) && a != broker);
            if (endpoint is null)
            {
                error = "requeue needs the consumer's endpoint (queue) name. Try --help.";
            }

            return new LauncherOptions(false, false, false, endpoint, broker is null ? null : new Uri(broker));
        }

        var unknown = args.Except(["--help", "-h", "--reset", "--no-seed", "--debug"]).ToList();
        if (unknown.Count > 0)
        {
            error = $"Unknown option {unknown[0]}. Try --help.";
        }

        return new LauncherOptions(
            Help: args.Contains("--help") || args.Contains("-h"),
            Reset: args.Contains("--reset"),
            Seed: !args.Contains("--no-seed"),
            Debug: args.Contains("--debug"));
    }
}
