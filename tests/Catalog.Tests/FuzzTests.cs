using System.Text;
using System.Text.Json.Nodes;
using FsCheck;
using FsCheck.Fluent;

namespace MachCommerce.Catalog.Tests;

/// <summary>
/// Generated payloads, most of them wrong in some way, against every write endpoint: no answer is a 500, every
/// refusal is ProblemDetails, and what was stored is exactly what was reported as stored.
/// </summary>
public sealed class FuzzTests(CatalogFixture catalog) : IClassFixture<CatalogFixture>
{
    private static readonly Gen<JsonNode?> AnyScalar = Gen.OneOf(
        Gen.Constant<JsonNode?>(null),
        Gen.Choose(-1_000_000, 1_000_000).Select(n => (JsonNode?)JsonValue.Create(n)),
        Gen.Elements(-0.001m, 0m, 19.99m, 1e9m, 79228162514264337593543950335m).Select(n => (JsonNode?)JsonValue.Create(n)),
        Gen.Elements(true, false).Select(b => (JsonNode?)JsonValue.Create(b)),
        Gen.Elements("", " ", "x", "Rasenmäher", "ÄÖÜß€😀", "a-b/c.d_e", "'; DROP TABLE products; --", "\u0000", new string('z', 20_000))
            .Select(s => (JsonNode?)JsonValue.Create(s)));

    private static readonly Gen<JsonNode?> AnyValue = Gen.OneOf(
        AnyScalar,
        AnyScalar.ListOf().Select(list => (JsonNode?)new JsonArray([.. list])),
        Gen.Constant<JsonNode?>(new JsonObject { ["de"] = "Name", ["xx"] = 1 }));

    private static readonly Gen<JsonNode?> Sku = Gen.OneOf(
        Gen.Choose(0, 30).Select(n => (JsonNode?)JsonValue.Create($"FZ-{n}")),
        AnyValue);

    private static readonly Gen<JsonNode?> Variant = Gen.OneOf(
        from sku in Sku
        from price in Gen.OneOf(Gen.Choose(-5, 500).Select(n => (JsonNode?)JsonValue.Create((decimal)n)), AnyValue)
        from taxRate in Gen.OneOf(Gen.Constant<JsonNode?>(JsonValue.Create(0.19m)), AnyValue)
        select (JsonNode?)new JsonObject { ["sku"] = sku?.DeepClone(), ["priceNet"] = price?.DeepClone(), ["taxRate"] = taxRate?.DeepClone() },
        AnyValue);

    private static readonly Gen<JsonObject> Product =
        from sku in Sku
        from name in Gen.OneOf(Gen.Constant<JsonNode?>(new JsonObject { ["de"] = "Hammer" }), AnyValue)
        from status in Gen.OneOf(Gen.Constant<JsonNode?>(JsonValue.Create("published")), AnyValue)
        from variants in Variant.ListOf()
        from attributes in AnyValue
        from categoryIds in AnyValue
        select Build(sku, name, status, variants, attributes, categoryIds);

    private static JsonObject Build(JsonNode? sku, JsonNode? name, JsonNode? status, IEnumerable<JsonNode?> variants, JsonNode? attributes, JsonNode? categoryIds)
    {
        var product = new JsonObject
        {
            ["sku"] = sku?.DeepClone(),
            ["name"] = name?.DeepClone(),
            ["status"] = status?.DeepClone(),
            ["variants"] = new JsonArray([.. variants.Select(v => v?.DeepClone())]),
        };

        // Now and then a field that should be an object or a list is something else entirely.
        if (attributes is not null)
        {
            product["attributes"] = attributes.DeepClone();
        }

        if (categoryIds is not null)
        {
            product["categoryIds"] = categoryIds.DeepClone();
        }

        return product;
    }

    [Fact]
    public async Task Generated_payloads_never_cause_a_500_and_the_stored_state_matches_the_answers()
    {
        var tenant = CatalogFixture.NewTenant();
        var admin = catalog.Client(tenant);
        // Generated payloads, plus a few known-good ones so that the stored-state check always has something to compare.
        var payloads = Product.Sample(150, 200)
            .Concat(Enumerable.Range(0, 5).Select(i => JsonSerializer.SerializeToNode(CatalogRequests.Product($"FZ-GOOD-{i}", $"Gut {i}"))!.AsObject()))
            .ToArray();
        var reportedStored = new HashSet<string>();

        foreach (var payload in payloads)
        {
            var response = await admin.PostAsync("/products", new StringContent(payload.ToJsonString(), Encoding.UTF8, "application/json"));
            await ProblemAssertions.NotServerErrorAsync(response, payload);
            if (response.StatusCode == HttpStatusCode.Created)
            {
                reportedStored.Add((await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("sku").GetString()!);
            }
        }

        foreach (var chunk in payloads.Chunk(25))
        {
            var body = new JsonObject { ["items"] = new JsonArray([.. chunk.Select(p => p.DeepClone())]) };
            var response = await admin.PostAsync("/products/bulk", new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json"));
            await ProblemAssertions.NotServerErrorAsync(response, body);
            if (response.StatusCode == HttpStatusCode.OK)
            {
                foreach (var item in (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("items").EnumerateArray())
                {
                    if (item.GetProperty("status").GetString() is "created" or "updated")
                    {
                        reportedStored.Add(item.GetProperty("sku").GetString()!);
                    }
                }
            }
        }

        // Garbage that is not even JSON, and JSON of the wrong shape.
        foreach (var raw in new[] { "{", "[]", "null", "\"text\"", "{\"variants\": {}}", "{\"name\": [1,2]}", new string('[', 5000) })
        {
            await ProblemAssertions.NotServerErrorAsync(await admin.PostAsync("/products", new StringContent(raw, Encoding.UTF8, "application/json")), raw);
            await ProblemAssertions.NotServerErrorAsync(await admin.PostAsync("/products/bulk", new StringContent(raw, Encoding.UTF8, "application/json")), raw);
        }

        Assert.True(reportedStored.Count >= 5, $"only {reportedStored.Count} stored");
        var stored = await catalog.ScalarAsync<string[]>("SELECT coalesce(array_agg(sku), '{}') FROM catalog.products WHERE tenant_id = $1", tenant);
        Assert.Equal(reportedStored.Order(), stored!.Order());
        Assert.Equal(0L, await catalog.ScalarAsync<long>(
            "SELECT count(*) FROM catalog.products p WHERE p.tenant_id = $1 AND (p.name = '{}' OR (p.status = 'published' AND NOT EXISTS (SELECT 1 FROM catalog.variants v WHERE v.product_id = p.id)))", tenant));
    }
}
