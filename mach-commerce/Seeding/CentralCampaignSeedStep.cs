using MachCommerce.Launcher.DemoData;

namespace MachCommerce.Launcher.Seeding;

/// <summary>
/// The demo cooperative's central campaign: "Verbund-Aktionswochen" in the cart, kept once by the cooperative, taken
/// by all three member shops (Eisenwaren Berger at 15 % instead of the cooperative's 10 %, up to its 20 % maximum),
/// measured in each shop by an experiment of its own, with 60 days of its past written for each (no API records the
/// past), so the cooperative reads each shop's uplift and the pooled one at first start.
/// </summary>
internal sealed class CentralCampaignSeedStep : ISeedStep
{
    public const string CampaignName = "Verbund-Aktionswochen";
    public const string Placement = "cart";

    /// <summary>The texts are the cooperative's; the shops may raise the discount.</summary>
    private static readonly string[] LockedFields = ["content"];

    /// <summary>Each shop's conversion in the cart without and with the offer: it helps everywhere, a little more in the hardware store.</summary>
    private static readonly IReadOnlyDictionary<string, (double Without, double With)> Conversion = new Dictionary<string, (double, double)>
    {
        ["eisen-berger"] = (0.080, 0.095),
        ["garten-lindner"] = (0.080, 0.092),
        ["haushalt-kraus"] = (0.080, 0.090),
    };

    public string Name => "central-campaign";

    public string Service => "personalization";

    public async Task RunAsync(SeedContext context, CancellationToken cancellationToken)
    {
        var central = context.ClientFor(Service, CooperativeTenants.CentralTenant(DemoCooperative.Id), DemoCooperative.Id);
        var created = await central.PostAsJsonAsync("/central/campaigns", new
        {
            name = CampaignName,
            offer = new
            {
                placements = new[] { Placement },
                content = new
                {
                    de = new { headline = "Verbund-Aktionswochen: 10 % auf Ihren Einkauf", text = "Nur bei den Fachhändlern der EinkaufsVerbund Süd eG.", callToAction = "Rabatt sichern" },
                    en = new { headline = "Cooperative weeks: 10% off your purchase", text = "Only at the dealers of EinkaufsVerbund Süd eG.", callToAction = "Get the discount" },
                },
                incentive = new { type = "percent", value = 10, code = "VERBUND10" },
                priority = 60,
                frequencyCap = new { max = 3, perHours = 24 },
            },
            limits = new { maxIncentive = 20, locked = LockedFields },
            measure = true,
        }, cancellationToken);
        var campaign = await ReadAsync(created, "creating the central campaign", cancellationToken);
        var id = campaign.GetProperty("id").GetGuid();
        await ReadAsync(await central.PostAsync($"/central/campaigns/{id}/publish", null, cancellationToken), "publishing the central campaign", cancellationToken);

        var now = DateTimeOffset.UtcNow;
        foreach (var (shop, index) in DemoCooperative.Shops.Select((s, i) => (s, i)))
        {
            var member = context.ClientFor(Service, shop.TenantId, DemoCooperative.Id);
            object adjustments = shop.TenantId == "eisen-berger" ? new { incentive = new { value = 15 } } : new { };
            var joined = await ReadAsync(await member.PutAsJsonAsync($"/central/campaigns/{id}/participation", adjustments, cancellationToken),
                $"{shop.TenantId} joining the central campaign", cancellationToken);
            var (without, with) = Conversion[shop.TenantId];
            await DemoExperimentHistory.WriteCampaignAsync(context.DatabaseOf(Service), shop.TenantId, joined.GetProperty("experimentId").GetGuid(), Placement, without, with,
                days: 60, visitorsPerDay: 400, DemoCooperative.RandomSeed + 10 + index, now, cancellationToken);
        }
    }

    private static async Task<JsonElement> ReadAsync(HttpResponseMessage response, string what, CancellationToken cancellationToken)
    {
        var body = await response.Content.ReadFromJsonAsync<JsonElement>(cancellationToken);
        return response.IsSuccessStatusCode ? body : throw new InvalidOperationException($"{what}: {(int)response.StatusCode} {body}");
    }
}
