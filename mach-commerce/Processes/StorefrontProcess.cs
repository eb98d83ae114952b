using MachCommerce.Launcher.Seeding;

namespace MachCommerce.Launcher.Processes;

/// <summary>
/// The storefront starter (frontends/storefront, Next.js): built with npm when its sources changed, started after
/// the seed (it needs the demo shop's storefront key) on http://localhost:3000, the origin the demo storefront keys
/// are bound to and the identity service calls customers back at.
/// </summary>
internal static class StorefrontProcess
{
    public const string Folder = "frontends/storefront";
    public const int Port = 3000;

    public static bool IsPartOf(string root) => File.Exists(Path.Combine(root, Folder, "package.json"));

    public static async Task<ServiceProcess> StartAsync(string root, Uri gateway, DemoKeys shop, string runDirectory, CancellationToken cancellationToken)
    {
        var folder = Path.Combine(root, Folder);
        var server = await NodeFrontEnd.EnsureBuiltAsync(folder, cancellationToken);
        if (!FreePort.IsFree(Port))
        {
            throw new LaunchException($"the storefront needs port {Port} (its sign-in callback and the demo keys' origin are registered for it), and something else listens there.");
        }

        var url = new Uri($"http://localhost:{Port}/");
        var environment = NodeFrontEnd.ServerEnvironment(new Uri($"http://127.0.0.1:{Port}/"));
        var name = DemoCooperative.Shops.FirstOrDefault(s => s.TenantId == shop.TenantId)?.Name ?? shop.TenantId;
        environment["MACH_PLATFORM_URL"] = gateway.ToString();
        environment["MACH_STOREFRONT_KEY"] = shop.StorefrontKey;
        environment["MACH_STOREFRONT_URL"] = url.ToString();
        environment["MACH_CUSTOMER_CLIENT_ID"] = $"storefront-{shop.TenantId}";
        environment["MACH_SHOP"] = shop.TenantId;
        environment["MACH_SHOP_NAME"] = name;
        return ServiceProcess.Start("storefront", "node", server, url, environment, runDirectory);
    }
}
