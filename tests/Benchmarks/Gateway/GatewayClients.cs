namespace MachCommerce.Benchmarks.Gateway;

/// <summary>
/// The gateway as the benchmarks that run it meet it: its platform key, clients with a key on one shared handler
/// (so every load shares one connection pool), and keys made through its admin API.
/// </summary>
internal static class GatewayClients
{
    public const string PlatformKey = "mc_pl_bench-platform-key-0123456789abcdefghijklmno";

    public static HttpClient Client(HttpMessageHandler handler, Uri address, string key)
    {
        var client = new HttpClient(handler, disposeHandler: false) { BaseAddress = address };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
        return client;
    }

    /// <summary>Makes a key (a tenant's admin key with the platform key, or a shop's key with its admin key) and returns its secret.</summary>
    public static async Task<string> KeyAsync(HttpClient client, string path, object input)
    {
        using var response = await client.PostAsJsonAsync(path, input);
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("key").GetString()!;
    }
}
