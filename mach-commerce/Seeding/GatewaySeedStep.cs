namespace MachCommerce.Launcher.Seeding;

/// <summary>The demo keys of a member shop, as the launcher prints them.</summary>
internal sealed record DemoKeys(string TenantId, string StorefrontKey, string AdminKey);

/// <summary>
/// Each member shop as a tenant of the gateway, with an admin key and a storefront key (bound to local front-end
/// origins), created through the gateway's own admin API with the platform key. The gateway shows a key once, so
/// the keys are kept in the data folder (readable by this user only) for the launcher to print on every start.
/// </summary>
internal sealed class GatewaySeedStep : ISeedStep
{
    /// <summary>Where a developer's front end usually runs; a storefront key is usable from browsers only on its bound origins.</summary>
    private static readonly string[] LocalFrontEnds = ["http://localhost:3000", "http://127.0.0.1:3000"];

    /// <summary>The local front ends and the gateway's own origin, where GraphiQL runs (a browser sends that origin with its requests).</summary>
    public static string[] DemoOrigins(Uri gateway) =>
        [.. LocalFrontEnds, gateway.GetLeftPart(UriPartial.Authority), $"http://localhost:{gateway.Port}"];

    public string Name => "gateway";

    public string Service => "gateway";

    public static string KeysFile(string dataDirectory) => Path.Combine(dataDirectory, "demo-keys.json");

    public static IReadOnlyList<DemoKeys> ReadKeys(string dataDirectory) =>
        File.Exists(KeysFile(dataDirectory)) ? JsonSerializer.Deserialize<List<DemoKeys>>(File.ReadAllText(KeysFile(dataDirectory))) ?? [] : [];

    public async Task RunAsync(SeedContext context, CancellationToken cancellationToken)
    {
        var client = context.PlatformClient();
        var origins = DemoOrigins(client.BaseAddress!);
        var keys = new List<DemoKeys>();
        foreach (var shop in DemoCooperative.Shops)
        {
            var created = await client.PostAsJsonAsync("/api/admin/tenants", new { id = shop.TenantId, name = shop.Name, defaultLanguage = shop.DefaultLanguage }, cancellationToken);
            if (created.StatusCode != HttpStatusCode.Conflict)
            {
                created.EnsureSuccessStatusCode();
            }

            var admin = await KeyAsync(client, shop, new { kind = "admin", name = "Demo admin" }, cancellationToken);
            var storefront = await KeyAsync(client, shop,
                new { kind = "storefront", name = "Demo storefront", allowedOrigins = origins }, cancellationToken);
            keys.Add(new DemoKeys(shop.TenantId, storefront, admin));
        }

        await SeedContext.WritePrivateAsync(KeysFile(context.DataDirectory), keys, cancellationToken);
    }

    private static async Task<string> KeyAsync(HttpClient client, DemoShop shop, object input, CancellationToken cancellationToken)
    {
        var response = await client.PostAsJsonAsync($"/api/admin/tenants/{shop.TenantId}/keys", input, cancellationToken);
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<JsonElement>(cancellationToken)).GetProperty("key").GetString()!;
    }
}
