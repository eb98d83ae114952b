using System.Net.Http.Json;
using System.Text.Json;
using MachCommerce.Profiles.DemoData;

namespace MachCommerce.Launcher.Seeding;

/// <summary>Each member shop's customers (persons and trade customers) with their consents, through the profiles API.</summary>
internal sealed class ProfilesSeedStep(int customersPerShop = 300) : ISeedStep
{
    public string Name => "profiles";

    public string Service => "profiles";

    public async Task RunAsync(SeedContext context, CancellationToken cancellationToken)
    {
        foreach (var shop in DemoCooperative.Shops)
        {
            var client = context.ClientFor(Service, shop);
            foreach (var customer in DemoCustomers.For(shop.TenantId, customersPerShop, DemoCooperative.RandomSeed))
            {
                var response = await client.PostAsJsonAsync("/profiles", customer.Profile, cancellationToken);
                response.EnsureSuccessStatusCode();
                var id = (await response.Content.ReadFromJsonAsync<JsonElement>(cancellationToken)).GetProperty("id").GetGuid();
                foreach (var (purpose, granted) in customer.Consents.Where(c => c.Value))
                {
                    (await client.PutAsJsonAsync($"/profiles/{id}/consents/{purpose}", new { granted, source = "storefront", policyVersion = "2026-01" }, cancellationToken))
                        .EnsureSuccessStatusCode();
                }
            }
        }
    }
}
