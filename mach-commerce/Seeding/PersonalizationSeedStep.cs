using MachCommerce.Launcher.DemoData;

namespace MachCommerce.Launcher.Seeding;

/// <summary>
/// Each member shop's personalization: segments, offers for the shop's main categories plus a general one, one
/// running experiment (personalized against broadcast on the home page), a 20 % global holdout, and 60 days of
/// behaviour for every demo customer, through the personalization API; then 90 days of the experiment's and the
/// holdout's past (<see cref="DemoExperimentHistory"/>: no API records the past), so both reports give a reliable
/// verdict from the first start. Waits until personalization's read models hold the shop's catalog and customers
/// (they arrive as events), so the history builds real interests.
/// </summary>
internal sealed class PersonalizationSeedStep(int eventsPerCustomer = 40) : ISeedStep
{
    private static readonly string[] CategoryOfferPlacements = ["home-hero", "category-page", "product-detail"];
    private static readonly string[] LoyaltyOfferPlacements = ["home-hero", "cart", "account"];

    public string Name => "personalization";

    public string Service => "personalization";

    public async Task RunAsync(SeedContext context, CancellationToken cancellationToken)
    {
        foreach (var shop in DemoCooperative.Shops)
        {
            var catalog = context.ClientFor("catalog", shop);
            var profiles = context.ClientFor("profiles", shop);
            var personalization = context.ClientFor(Service, shop);
            var categories = await catalog.GetFromJsonAsync<JsonElement>("/categories", cancellationToken);
            var products = await PagesAsync(catalog, "/products?limit=100", cancellationToken);
            var customers = await PagesAsync(profiles, "/profiles?limit=100", cancellationToken);
            await WaitForReadModelsAsync(personalization, products.Count, customers.Count, cancellationToken);

            var roots = categories.EnumerateArray().Select(c => (Id: c.GetProperty("id").GetGuid(), Slug: c.GetProperty("slug").GetString()!,
                Name: c.GetProperty("name").GetProperty("de").GetString()!)).ToList();
            var experiment = await DefinitionsAsync(personalization, roots, cancellationToken);

            var demoProducts = products.Select(p => new DemoProduct(p.GetProperty("id").GetGuid(), [.. p.GetProperty("categoryIds").EnumerateArray().Select(c => c.GetGuid())],
                p.TryGetProperty("brand", out var brand) ? brand.GetString() : null, p.GetProperty("minPriceGross").GetDecimal())).ToList();
            var shoppers = customers.Select(c => ($"demo-{c.GetProperty("id").GetGuid():N}", (Guid?)c.GetProperty("id").GetGuid())).ToList();
            var events = DemoBehaviour.For(demoProducts, shoppers, eventsPerCustomer, DemoCooperative.RandomSeed, DateTimeOffset.UtcNow).SelectMany(h => h.Events);
            foreach (var batch in events.Chunk(500))
            {
                (await personalization.PostAsJsonAsync("/events", new { events = batch }, cancellationToken)).EnsureSuccessStatusCode();
            }

            await DemoExperimentHistory.WriteAsync(context.DatabaseOf(Service), shop.TenantId, experiment, DemoCooperative.RandomSeed, DateTimeOffset.UtcNow, cancellationToken);
        }
    }

    private static async Task<Guid> DefinitionsAsync(HttpClient client, List<(Guid Id, string Slug, string Name)> roots, CancellationToken cancellationToken)
    {
        // The cooperative holds back a fifth of its consenting visitors: a 5 % holdout proves an uplift only after many months.
        (await client.PutAsJsonAsync("/experiment-settings", new { holdoutShare = DemoExperimentHistory.HoldoutShare }, cancellationToken)).EnsureSuccessStatusCode();

        var regulars = await CreateAsync(client, "/segments", new
        {
            name = "Stammkunden",
            description = "Drei Bestellungen oder mehr",
            conditions = new { field = "rfm.frequency", op = "gte", value = 3 },
        }, cancellationToken);
        await CreateAsync(client, "/segments", new
        {
            name = "Fachhandel",
            description = "Gewerbliche Kunden der Preisgruppe Fachhandel",
            conditions = new { any = new object[] { new { field = "customerGroup", op = "eq", value = "fachhandel" }, new { field = "kind", op = "eq", value = "company" } } },
        }, cancellationToken);

        var priority = 30;
        foreach (var (id, slug, name) in roots)
        {
            await CreateAsync(client, "/offers", new
            {
                name = $"{name}-Wochen",
                status = "active",
                placements = CategoryOfferPlacements,
                content = new
                {
                    de = new { headline = $"{name}-Wochen: 10 % auf ausgewählte Artikel", text = "Nur für kurze Zeit.", callToAction = "Jetzt entdecken", url = $"/c/{slug}" },
                    en = new { headline = $"{name} weeks: 10% off selected items", text = "For a short time only.", callToAction = "Discover now", url = $"/c/{slug}" },
                },
                selection = new { categoryIds = new[] { id }, maxProducts = 4 },
                incentive = new { type = "percent", value = 10, code = $"{slug.ToUpperInvariant()}10" },
                priority = priority -= 5,
                frequencyCap = new { max = 5, perHours = 24 },
            }, cancellationToken);
        }

        await CreateAsync(client, "/offers", new
        {
            name = "Treue-Bonus",
            status = "active",
            placements = LoyaltyOfferPlacements,
            targeting = new { segmentIds = new[] { regulars } },
            content = new { de = new { headline = "Danke für deine Treue: Versand gratis" }, en = new { headline = "Thank you for your loyalty: free shipping" } },
            incentive = new { type = "free_shipping", code = "TREUE" },
            priority = 40,
        }, cancellationToken);

        var experiment = await CreateAsync(client, "/experiments", new
        {
            name = "Startseite: personalisiert gegen Broadcast",
            placement = "home-hero",
            variants = new object[] { new { key = "broadcast", strategy = "broadcast", weight = 50 }, new { key = "personalized", strategy = "personalized", weight = 50 } },
            controlVariant = "broadcast",
            attributionWindowHours = 168,
        }, cancellationToken);
        (await client.PostAsync($"/experiments/{experiment}/start", null, cancellationToken)).EnsureSuccessStatusCode();
        return experiment;
    }

    private static async Task<Guid> CreateAsync(HttpClient client, string path, object definition, CancellationToken cancellationToken)
    {
        var response = await client.PostAsJsonAsync(path, definition, cancellationToken);
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<JsonElement>(cancellationToken)).GetProperty("id").GetGuid();
    }

    private static async Task<List<JsonElement>> PagesAsync(HttpClient client, string path, CancellationToken cancellationToken)
    {
        var items = new List<JsonElement>();
        string? cursor = null;
        do
        {
            var page = await client.GetFromJsonAsync<JsonElement>(cursor is null ? path : $"{path}&cursor={Uri.EscapeDataString(cursor)}", cancellationToken);
            items.AddRange(page.GetProperty("items").EnumerateArray().Select(i => i.Clone()));
            cursor = page.TryGetProperty("nextCursor", out var next) && next.ValueKind == JsonValueKind.String ? next.GetString() : null;
        }
        while (cursor is not null);
        return items;
    }

    private static async Task WaitForReadModelsAsync(HttpClient client, int products, int customers, CancellationToken cancellationToken)
    {
        var deadline = DateTime.UtcNow.AddMinutes(3);
        while (true)
        {
            var status = await client.GetFromJsonAsync<JsonElement>("/read-models", cancellationToken);
            if (status.GetProperty("products").GetProperty("total").GetInt64() >= products && status.GetProperty("profiles").GetProperty("total").GetInt64() >= customers)
            {
                return;
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new InvalidOperationException($"personalization's read models did not catch up within 3 minutes ({status}). A data folder seeded before personalization existed never sent it the catalog: start once with --reset.");
            }

            await Task.Delay(500, cancellationToken);
        }
    }
}
