namespace MachCommerce.Launcher.Seeding;

/// <summary>A demo partner client (OAuth client credentials) of a member shop, as the launcher prints it.</summary>
internal sealed record DemoClient(string TenantId, string ClientId, string ClientSecret);

/// <summary>
/// A partner client for each member shop ("Demo-Warenwirtschaft": the shop's ERP, reading and writing the catalog,
/// reading customers), made through the identity service's API as the shop's owner would. Its secret is shown once,
/// so it is kept in the data folder (readable by this user only) for the launcher to print.
/// </summary>
internal sealed class IdentitySeedStep : ISeedStep
{
    public string Name => "identity";

    public string Service => "identity";

    public static string ClientsFile(string dataDirectory) => Path.Combine(dataDirectory, "demo-clients.json");

    public static IReadOnlyList<DemoClient> ReadClients(string dataDirectory) =>
        File.Exists(ClientsFile(dataDirectory)) ? JsonSerializer.Deserialize<List<DemoClient>>(File.ReadAllText(ClientsFile(dataDirectory))) ?? [] : [];

    public async Task RunAsync(SeedContext context, CancellationToken cancellationToken)
    {
        var clients = new List<DemoClient>();
        foreach (var shop in DemoCooperative.Shops)
        {
            var identity = context.ClientFor("identity", shop);
            var response = await identity.PostAsJsonAsync("/clients", new
            {
                name = "Demo-Warenwirtschaft",
                scopes = new[] { Scopes.CatalogRead, Scopes.CatalogWrite, Scopes.ProfilesRead },
            }, cancellationToken);
            response.EnsureSuccessStatusCode();
            var body = await response.Content.ReadFromJsonAsync<JsonElement>(cancellationToken);
            clients.Add(new DemoClient(shop.TenantId, body.GetProperty("clientId").GetString()!, body.GetProperty("clientSecret").GetString()!));
        }

        await SeedContext.WritePrivateAsync(ClientsFile(context.DataDirectory), clients, cancellationToken);
    }
}
