namespace MachCommerce.Launcher;

/// <summary>A process the launcher builds and runs: a service, the gateway or a front end.</summary>
/// <param name="Name">Short name, used in log prefixes, URLs and as the service's identity audience.</param>
/// <param name="Project">Project file relative to the repository root.</param>
/// <param name="PreferredPort">Stable local port when free, so bookmarks keep working.</param>
/// <param name="Database">Its own database on the local PostgreSQL, or null when it keeps no data.</param>
internal sealed record Deployable(string Name, string Project, int PreferredPort, string? Database)
{
    /// <summary>Every deployable of the platform; the ones whose project does not exist yet are skipped.</summary>
    public static readonly IReadOnlyList<Deployable> All =
    [
        new("catalog", "services/catalog/MachCommerce.Catalog.csproj", 5101, "catalog"),
        new("profiles", "services/profiles/MachCommerce.Profiles.csproj", 5102, "profiles"),
        new("personalization", "services/personalization/MachCommerce.Personalization.csproj", 5103, "personalization"),
        new("identity", "services/identity/MachCommerce.Identity.csproj", 5104, "identity"),
        new("webhooks", "services/webhooks/MachCommerce.Webhooks.csproj", 5105, "webhooks"),
        new("gateway", "gateway/Gateway/MachCommerce.Gateway.csproj", 5100, "gateway"),
        new("console", "frontends/console/MachCommerce.MerchantConsole.csproj", 5110, null),
    ];

    public bool IsGateway => Name == "gateway";
}
