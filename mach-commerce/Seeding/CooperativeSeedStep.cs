using System.Net;
using System.Net.Http.Json;

namespace MachCommerce.Launcher.Seeding;

/// <summary>
/// The demo cooperative with the member shops as its members, through the gateway's admin API with the platform
/// key. A step of its own, so a data folder seeded before cooperatives existed gets it on its next start.
/// </summary>
internal sealed class CooperativeSeedStep : ISeedStep
{
    public string Name => "cooperative";

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
            (await client.PutAsync($"/api/admin/cooperatives/{DemoCooperative.Id}/members/{shop.TenantId}", null, cancellationToken)).EnsureSuccessStatusCode();
        }
    }
}
