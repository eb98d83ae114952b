namespace MachCommerce.Launcher.Seeding;

/// <summary>
/// The demo cooperative with the member shops as its members, each with its address and product pages (for joint
/// search), through the gateway's admin API with the platform key. A step of its own, so a data folder seeded before
/// cooperatives existed gets it on its next start.
/// </summary>
internal sealed class CooperativeSeedStep : ISeedStep
{
    public string Name => "cooperative";

    public static object Location(DemoShop shop) => new
    {
        street = shop.Street, postcode = shop.Postcode, city = shop.City, latitude = shop.Latitude, longitude = shop.Longitude, productUrl = shop.ProductUrl,
    };

    public string Service => "gateway";

    public async Task RunAsync(SeedContext context, CancellationToken cancellationToken)
    {
        var client = context.PlatformClient();
        var created = await client.PostAsJsonAsync("/api/admin/cooperatives", new { id = DemoCooperative.Id, name = DemoCooperative.Name }, cancellationToken);
        if (created.StatusCode != HttpStatusCode.Conflict)
        {
            created.EnsureSuccessStatusCode();
        }

        foreach (var shop in DemoCooperative.Shops)
        {
            (await client.PutAsJsonAsync($"/api/admin/cooperatives/{DemoCooperative.Id}/members/{shop.TenantId}", Location(shop), cancellationToken)).EnsureSuccessStatusCode();
        }
    }
}

/// <summary>The member shops' addresses for a data folder whose cooperative was seeded before shops had them.</summary>
internal sealed class MemberLocationsSeedStep : ISeedStep
{
    public string Name => "member-locations";

    public string Service => "gateway";

    public async Task RunAsync(SeedContext context, CancellationToken cancellationToken)
    {
        var client = context.PlatformClient();
        foreach (var shop in DemoCooperative.Shops)
        {
            (await client.PutAsJsonAsync($"/api/admin/cooperatives/{DemoCooperative.Id}/members/{shop.TenantId}", CooperativeSeedStep.Location(shop), cancellationToken))
                .EnsureSuccessStatusCode();
        }
    }
}

/// <summary>
/// The demo cooperative's own storefront key, for a joint storefront of all its members (the joint search, the
/// central assortment), bound to the same local origins as the shops' keys; kept in the data folder like theirs.
/// </summary>
internal sealed class CooperativeKeySeedStep : ISeedStep
{
    public string Name => "cooperative-key";

    public string Service => "gateway";

    public static string KeyFile(string dataDirectory) => Path.Combine(dataDirectory, "demo-cooperative-key.json");

    public static string? ReadKey(string dataDirectory) =>
        File.Exists(KeyFile(dataDirectory)) ? System.Text.Json.JsonSerializer.Deserialize<string>(File.ReadAllText(KeyFile(dataDirectory))) : null;

    public async Task RunAsync(SeedContext context, CancellationToken cancellationToken)
    {
        var client = context.PlatformClient();
        var response = await client.PostAsJsonAsync($"/api/admin/cooperatives/{DemoCooperative.Id}/keys",
            new { kind = "storefront", name = "Verbund-Storefront", allowedOrigins = GatewaySeedStep.DemoOrigins(client.BaseAddress!) }, cancellationToken);
        response.EnsureSuccessStatusCode();
        var key = (await response.Content.ReadFromJsonAsync<System.Text.Json.JsonElement>(cancellationToken)).GetProperty("key").GetString()!;
        await SeedContext.WritePrivateAsync(KeyFile(context.DataDirectory), key, cancellationToken);
    }
}
