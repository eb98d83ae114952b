using MachCommerce.Launcher;

var options = LauncherOptions.Parse(args, out var error);
if (error is not null)
{
    await Console.Error.WriteLineAsync(error);
    return 2;
}

if (options.Help)
{
    Console.WriteLine(LauncherOptions.Usage);
    return 0;
}

if (options.RequeueEndpoint is { } endpoint)
{
    return await Requeue.RunAsync(endpoint, options.Broker);
}

using var stop = new StopSignal();
return await new Launcher(options).RunAsync(stop.Token);
