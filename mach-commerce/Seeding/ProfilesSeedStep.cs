using MachCommerce.Launcher.DemoData;

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

/// <summary>
/// About one in four of each member shop's customers consented to sharing their contact with EinkaufsVerbund Süd eG
/// (purpose "cooperative"), so the cooperative's staff have contacts to read; the rest of the shops' customers stay
/// the shops' alone.
/// </summary>
internal sealed class CooperativeContactsSeedStep : ISeedStep
{
    public string Name => "cooperative-contacts";

    public string Service => "profiles";

    public async Task RunAsync(SeedContext context, CancellationToken cancellationToken)
    {
        foreach (var shop in DemoCooperative.Shops)
        {
            var client = context.ClientFor(Service, shop.TenantId, DemoCooperative.Id);
            var page = await client.GetFromJsonAsync<JsonElement>("/profiles?limit=100", cancellationToken);
            foreach (var (customer, i) in page.GetProperty("items").EnumerateArray().Select((c, i) => (c, i)).Where(c => c.i % 4 == 1))
            {
                (await client.PutAsJsonAsync($"/profiles/{customer.GetProperty("id").GetGuid()}/consents/cooperative",
                    new { granted = true, source = "storefront", policyVersion = "2026-11" }, cancellationToken)).EnsureSuccessStatusCode();
            }
        }
    }
}
