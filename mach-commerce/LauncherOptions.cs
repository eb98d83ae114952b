namespace MachCommerce.Launcher;

/// <summary>The launcher's command line.</summary>
internal sealed record LauncherOptions(bool Help, bool Reset, bool Seed)
{
    public const string Usage = """
        mach-commerce: runs the whole MACH Commerce platform on this machine.

        Usage: dotnet run --project mach-commerce [-- options]

        Starts a private PostgreSQL and RabbitMQ (data in .data/local, git-ignored), builds and starts every
        service and the gateway as separate processes, waits until each is ready, seeds demo data once, and
        prints the URLs. Ctrl-C (or SIGTERM) stops everything it started.

        Options:
          --help       show this text
          --reset      delete the local data (databases, broker, keys) before starting
          --no-seed    do not load the demo data set

        Environment:
          MACH_POSTGRES   connection string of an existing PostgreSQL superuser login: start none
          MACH_RABBITMQ   amqp:// URI of an existing RabbitMQ: start none
        """;

    public static LauncherOptions Parse(string[] args, out string? error)
    {
        error = null;
        var unknown = args.Except(["--help", "-h", "--reset", "--no-seed"]).ToList();
        if (unknown.Count > 0)
        {
            error = $"Unknown option {unknown[0]}. Try --help.";
        }

        return new LauncherOptions(
            Help: args.Contains("--help") || args.Contains("-h"),
            Reset: args.Contains("--reset"),
            Seed: !args.Contains("--no-seed"));
    }
}
