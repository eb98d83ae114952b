namespace MachCommerce.LocalInfrastructure;

/// <summary>
/// Makes sure a server's binaries are on the machine: installs the Debian package when running as root (a fresh
/// CI machine or container), and otherwise stops with one line that names the package to install.
/// </summary>
public static class DebianPackages
{
    private static readonly SemaphoreSlim AptLock = new(1, 1);

    public static Task EnsureInstalledAsync(string package, Func<bool> isPresent, CancellationToken cancellationToken) =>
        EnsureInstalledAsync(package, isPresent, ProcessRunner.IsRoot && File.Exists("/usr/bin/apt-get"), cancellationToken);

    internal static async Task EnsureInstalledAsync(string package, Func<bool> isPresent, bool canInstall, CancellationToken cancellationToken)
    {
        if (isPresent())
        {
            return;
        }

        if (!canInstall)
        {
            throw new InfrastructureException($"{package} is not installed: run `sudo apt-get install -y {package}` (or configure an existing server).");
        }

        await AptLock.WaitAsync(cancellationToken);
        try
        {
            if (isPresent())
            {
                return;
            }

            var environment = new Dictionary<string, string> { ["DEBIAN_FRONTEND"] = "noninteractive" };
            await ProcessRunner.RunAsync("apt-get", ["update", "-qq"], environment, TimeSpan.FromMinutes(5), cancellationToken);
            (await ProcessRunner.RunAsync("apt-get", ["install", "-y", "-qq", package], environment, TimeSpan.FromMinutes(10), cancellationToken))
                .ThrowIfFailed($"apt-get install {package}");
            if (!isPresent())
            {
                throw new InfrastructureException($"apt-get installed {package}, but its binaries are still not where expected.");
            }
        }
        finally
        {
            AptLock.Release();
        }
    }
}
