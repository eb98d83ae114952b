using System.Net.Http.Headers;
using System.Text;

namespace MachCommerce.Catalog.Tests;

public sealed class ProductsApiTests(CatalogFixture catalog) : IClassFixture<CatalogFixture>
{
    private readonly string _tenant = CatalogFixture.NewTenant();

    private HttpClient Admin => catalog.Client(_tenant);

    [Fact]
    public async Task A_created_product_reads_back_by_id_sku_and_slug_with_prices_in_net_and_gross()
    {
        var created = await Admin.CreateAsync(CatalogRequests.Product("BS-100", "Akku-Bohrschrauber 18 V", priceGross: 119m, slug: "akku-bohrschrauber-18-v"));
        var id = created.GetProperty("id").GetGuid();

        foreach (var path in new[] { $"/products/{id}", "/products/by-sku/BS-100", "/products/by-slug/akku-bohrschrauber-18-v" })
        {
            var product = await Admin.GetFromJsonAsync<JsonElement>(path);
            Assert.Equal(id, product.GetProperty("id").GetGuid());
            var price = product.GetProperty("variants")[0].GetProperty("price");
            Assert.Equal(119m, price.GetProperty("gross").GetDecimal());
            Assert.Equal(100m, price.GetProperty("net").GetDecimal());
            Assert.Equal("Akku-Bohrschrauber 18 V", product.GetProperty("displayName").GetString());
        }

        var english = new HttpRequestMessage(HttpMethod.Get, $"/products/{id}");
        english.Headers.AcceptLanguage.Add(new StringWithQualityHeaderValue("en-GB"));
        var englishProduct = await (await Admin.SendAsync(english)).Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("Akku-Bohrschrauber 18 V (en)", englishProduct.GetProperty("displayName").GetString());
    }

    [Fact]
    public async Task A_missing_language_falls_back_to_the_default_language()
    {
        var created = await Admin.CreateAsync(new { sku = "ONLY-DE", name = new { de = "Spaten" }, variants = new[] { new { sku = "ONLY-DE-V", priceNet = 20m } } });

        var response = await Admin.GetFromJsonAsync<JsonElement>($"/products/{created.GetProperty("id").GetGuid()}?locale=en");
        Assert.Equal("Spaten", response.GetProperty("displayName").GetString());
    }

    [Fact]
    public async Task Reads_carry_an_etag_and_answer_304_when_it_still_matches()
    {
        var created = await Admin.CreateAsync(CatalogRequests.Product("ETAG-1", "Hammer"));
        var first = await Admin.GetAsync($"/products/{created.GetProperty("id").GetGuid()}");
        var etag = first.Headers.ETag!;

        var again = new HttpRequestMessage(HttpMethod.Get, $"/products/{created.GetProperty("id").GetGuid()}");
        again.Headers.IfNoneMatch.Add(etag);
        var response = await Admin.SendAsync(again);

        Assert.Equal(HttpStatusCode.NotModified, response.StatusCode);
    }

    [Fact]
    public async Task A_replace_needs_the_current_version_in_if_match()
    {
        var created = await Admin.CreateAsync(CatalogRequests.Product("VER-1", "Gartenschere"));
        var id = created.GetProperty("id").GetGuid();

        var withoutIfMatch = await Admin.PutAsJsonAsync($"/products/{id}", CatalogRequests.Product("VER-1", "Gartenschere Pro"));
        Assert.Equal(HttpStatusCode.PreconditionRequired, withoutIfMatch.StatusCode);

        var current = new HttpRequestMessage(HttpMethod.Put, $"/products/{id}") { Content = JsonContent.Create(CatalogRequests.Product("VER-1", "Gartenschere Pro")) };
        current.Headers.IfMatch.Add(new EntityTagHeaderValue("\"v1\""));
        var updated = await Admin.SendAsync(current);
        Assert.Equal(HttpStatusCode.OK, updated.StatusCode);
        Assert.Equal("\"v2\"", updated.Headers.ETag!.Tag);

        var stale = new HttpRequestMessage(HttpMethod.Put, $"/products/{id}") { Content = JsonContent.Create(CatalogRequests.Product("VER-1", "Gartenschere Ultra")) };
        stale.Headers.IfMatch.Add(new EntityTagHeaderValue("\"v1\""));
        Assert.Equal(HttpStatusCode.PreconditionFailed, (await Admin.SendAsync(stale)).StatusCode);

        var product = await Admin.GetFromJsonAsync<JsonElement>($"/products/{id}");
        Assert.Equal("Gartenschere Pro", product.GetProperty("name").GetProperty("de").GetString());
    }

    [Fact]
    public async Task Invalid_input_is_a_400_listing_every_bad_field_and_stores_nothing()
    {
        var response = await Admin.PostAsJsonAsync("/products", new
        {
            sku = "BAD 1",
            name = new { de = "", fr = "Marteau" },
            description = new { de = new string('x', 10_001) },
            categoryIds = new[] { Guid.NewGuid() },
            variants = new object[] { new { sku = "DUP", priceNet = -1m }, new { sku = "DUP", priceNet = 5m } },
        });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var errors = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors");
        foreach (var field in new[] { "sku", "name.fr", "description.de", "categoryIds[0]", "variants[0].priceNet", "variants[1].sku" })
        {
            Assert.True(errors.TryGetProperty(field, out _), $"no error for {field} in {errors}");
        }

        Assert.Equal(0L, await catalog.ScalarAsync<long>("SELECT count(*) FROM catalog.products WHERE tenant_id = $1", _tenant));
    }

    [Fact]
    public async Task An_empty_name_is_a_400_naming_the_field()
    {
        var response = await Admin.PostAsJsonAsync("/products", new { sku = "EMPTY", name = new { de = "  " }, variants = new[] { new { sku = "EMPTY-V", priceNet = 1m } } });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.True((await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").TryGetProperty("name", out _));
    }

    [Fact]
    public async Task Malformed_json_is_a_400_and_a_wrong_content_type_a_415()
    {
        var malformed = await Admin.PostAsync("/products", new StringContent("{\"sku\": \"X\", \"variants\": [{\"priceNet\": \"cheap\"}]}", Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.BadRequest, malformed.StatusCode);
        Assert.True((await malformed.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").TryGetProperty("$.variants[0].priceNet", out _));

        var wrongType = await Admin.PostAsync("/products", new StringContent("sku=X", Encoding.UTF8, "application/x-www-form-urlencoded"));
        Assert.Equal(HttpStatusCode.UnsupportedMediaType, wrongType.StatusCode);
    }

    [Fact]
    public async Task An_oversized_body_is_a_413()
    {
        var huge = new StringContent("{\"sku\":\"" + new string('x', 2 * 1024 * 1024) + "\"}", Encoding.UTF8, "application/json");

        var response = await Admin.PostAsync("/products", huge);

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
    }

    [Fact]
    public async Task A_taken_sku_or_slug_is_a_409_naming_the_field()
    {
        await Admin.CreateAsync(CatalogRequests.Product("TAKEN", "Rechen", slug: "rechen"));

        var sameSku = await Admin.PostAsJsonAsync("/products", CatalogRequests.Product("TAKEN", "Rechen 2", slug: "rechen-2"));
        Assert.Equal(HttpStatusCode.Conflict, sameSku.StatusCode);
        Assert.True((await sameSku.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").TryGetProperty("sku", out _));

        var sameSlug = await Admin.PostAsJsonAsync("/products", CatalogRequests.Product("OTHER", "Rechen 3", slug: "rechen"));
        Assert.Equal(HttpStatusCode.Conflict, sameSlug.StatusCode);
        Assert.True((await sameSlug.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").TryGetProperty("slug", out _));
    }

    [Fact]
    public async Task Unknown_ids_are_404_and_drafts_are_hidden_from_storefront_keys()
    {
        Assert.Equal(HttpStatusCode.NotFound, (await Admin.GetAsync($"/products/{Guid.NewGuid()}")).StatusCode);

        var draft = await Admin.CreateAsync(CatalogRequests.Product("DRAFT-1", "Entwurf", status: "draft"));
        var storefront = catalog.Client(_tenant, Scopes.CatalogRead);
        Assert.Equal(HttpStatusCode.NotFound, (await storefront.GetAsync($"/products/{draft.GetProperty("id").GetGuid()}")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await Admin.GetAsync($"/products/{draft.GetProperty("id").GetGuid()}")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await storefront.PostAsJsonAsync("/products", CatalogRequests.Product("S-1", "x"))).StatusCode);
    }

    [Fact]
    public async Task Batch_get_answers_in_the_order_asked_and_names_the_missing()
    {
        var ids = new List<Guid>();
        for (var i = 0; i < 5; i++)
        {
            ids.Add((await Admin.CreateAsync(CatalogRequests.Product($"BATCH-{i}", $"Produkt {i}"))).GetProperty("id").GetGuid());
        }

        var missing = Guid.NewGuid();
        var asked = new List<Guid> { ids[3], missing, ids[0], ids[4] };
        var response = await Admin.PostAsJsonAsync("/products/batch-get", new { ids = asked });
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();

        Assert.Equal([ids[3], ids[0], ids[4]], body.GetProperty("items").EnumerateArray().Select(p => p.GetProperty("id").GetGuid()));
        Assert.Equal(missing, body.GetProperty("missing")[0].GetGuid());

        var tooMany = await Admin.PostAsJsonAsync("/products/batch-get", new { ids = Enumerable.Range(0, 101).Select(_ => Guid.NewGuid()) });
        Assert.Equal(HttpStatusCode.BadRequest, tooMany.StatusCode);
    }

    [Fact]
    public async Task Every_read_shows_a_product_with_its_variants_in_order_and_the_callers_prices()
    {
        // Variants in an order their SKUs do not sort in; a customer-group price on the middle one; a draft without variants.
        var drill = await Admin.CreateAsync(new
        {
            sku = "ORDER-1", slug = "order-1", status = "published", name = new { de = "Bohrhammer Set" },
            variants = new[]
            {
                new { sku = "ORDER-1-Z", options = new { koffer = "ohne" }, priceGross = 119m, taxRate = 0.19m, stockQuantity = 3 },
                new { sku = "ORDER-1-A", options = new { koffer = "mit" }, priceGross = 238m, taxRate = 0.19m, stockQuantity = 0 },
                new { sku = "ORDER-1-M", options = new { koffer = "xl" }, priceGross = 357m, taxRate = 0.19m, stockQuantity = 1 },
            },
        });
        var saw = await Admin.CreateAsync(CatalogRequests.Product("ORDER-2", "Stichsäge", priceGross: 59.5m));
        var draft = await Admin.CreateAsync(new { sku = "ORDER-3", slug = "order-3", name = new { de = "Entwurf" } });
        Assert.Equal(HttpStatusCode.OK, (await Admin.PutAsJsonAsync("/price-lists/fachhandel", new { name = "Fachhandel", entries = new[] { new { sku = "ORDER-1-A", priceNet = 150m } } })).StatusCode);
        var drillId = drill.GetProperty("id").GetGuid();
        var b2b = catalog.B2BClient(_tenant, "fachhandel");

        var batch = await (await b2b.PostAsJsonAsync("/products/batch-get", new { ids = new[] { saw.GetProperty("id").GetGuid(), drillId } })).Content.ReadFromJsonAsync<JsonElement>();
        var reads = new[]
        {
            batch.GetProperty("items")[1],
            await b2b.GetFromJsonAsync<JsonElement>($"/products/{drillId}"),
            await b2b.GetFromJsonAsync<JsonElement>("/products/by-sku/ORDER-1"),
            await b2b.GetFromJsonAsync<JsonElement>("/products/by-slug/order-1"),
            (await b2b.GetFromJsonAsync<JsonElement>("/products?sort=price&limit=100")).GetProperty("items").EnumerateArray().Single(p => p.GetProperty("id").GetGuid() == drillId),
        };
        foreach (var read in reads)
        {
            var variants = read.GetProperty("variants");
            Assert.Equal(["ORDER-1-Z", "ORDER-1-A", "ORDER-1-M"], variants.EnumerateArray().Select(v => v.GetProperty("sku").GetString()));
            Assert.Equal(["ohne", "mit", "xl"], variants.EnumerateArray().Select(v => v.GetProperty("options").GetProperty("koffer").GetString()));
            Assert.Equal([100m, 150m, 300m], variants.EnumerateArray().Select(v => v.GetProperty("price").GetProperty("net").GetDecimal()));
            Assert.Equal("fachhandel", variants[1].GetProperty("price").GetProperty("priceList").GetString());
            Assert.Equal(JsonValueKind.Null, variants[0].GetProperty("price").GetProperty("priceList").ValueKind);
            Assert.Equal([true, false, true], variants.EnumerateArray().Select(v => v.GetProperty("available").GetBoolean()));
            Assert.Equal(reads[0].GetRawText(), read.GetRawText()); // the same product, whichever way it is read
        }

        var sawRead = batch.GetProperty("items")[0];
        Assert.Equal(["ORDER-2-V"], sawRead.GetProperty("variants").EnumerateArray().Select(v => v.GetProperty("sku").GetString()));
        Assert.Equal(50m, sawRead.GetProperty("variants")[0].GetProperty("price").GetProperty("net").GetDecimal());

        var draftRead = await (await Admin.PostAsJsonAsync("/products/batch-get", new { ids = new[] { draft.GetProperty("id").GetGuid() } })).Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(0, draftRead.GetProperty("items")[0].GetProperty("variants").GetArrayLength());
        Assert.Equal("Entwurf", draftRead.GetProperty("items")[0].GetProperty("displayName").GetString());
    }

    [Fact]
    public async Task Bulk_upsert_stores_the_valid_items_and_reports_each_one()
    {
        await Admin.CreateAsync(CatalogRequests.Product("BULK-TAKEN-SLUG", "Besetzt", slug: "besetzt"));
        var items = new object[]
        {
            CatalogRequests.Product("BULK-1", "Eins"),
            CatalogRequests.Product("BULK-2", "Zwei"),
            new { sku = "BULK-3", name = new { de = "" } },
            CatalogRequests.Product("BULK-1", "Eins doppelt"),
            CatalogRequests.Product("BULK-4", "Vier", slug: "besetzt"),
        };

        var response = await Admin.PostAsJsonAsync("/products/bulk", new { items });
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(2, body.GetProperty("created").GetInt32());
        Assert.Equal(3, body.GetProperty("failed").GetInt32());
        var statuses = body.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("status").GetString()!).ToArray();
        Assert.Equal(["created", "created", "invalid", "invalid", "conflict"], statuses);

        var again = await (await Admin.PostAsJsonAsync("/products/bulk", new { items = new[] { CatalogRequests.Product("BULK-1", "Eins neu", priceGross: 10m) } }))
            .Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(1, again.GetProperty("updated").GetInt32());
        Assert.Equal(2L, await catalog.ScalarAsync<long>("SELECT count(*) FROM catalog.products WHERE tenant_id = $1 AND sku LIKE 'BULK-%' AND sku <> 'BULK-TAKEN-SLUG'", _tenant));
        Assert.Equal(HttpStatusCode.BadRequest, (await Admin.PostAsJsonAsync("/products/bulk", new { items = Array.Empty<object>() })).StatusCode);
    }

    [Fact]
    public async Task Archive_and_delete()
    {
        var product = await Admin.CreateAsync(CatalogRequests.Product("GONE-1", "Weg"));
        var id = product.GetProperty("id").GetGuid();

        Assert.Equal(HttpStatusCode.NoContent, (await Admin.PostAsync($"/products/{id}/archive", null)).StatusCode);
        Assert.Equal("archived", (await Admin.GetFromJsonAsync<JsonElement>($"/products/{id}")).GetProperty("status").GetString());
        Assert.Equal(HttpStatusCode.NotFound, (await catalog.Client(_tenant, Scopes.CatalogRead).GetAsync($"/products/{id}")).StatusCode);

        Assert.Equal(HttpStatusCode.NoContent, (await Admin.DeleteAsync($"/products/{id}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await Admin.GetAsync($"/products/{id}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await Admin.DeleteAsync($"/products/{id}")).StatusCode);
    }

    [Fact]
    public async Task Variant_options_are_shown_in_the_callers_language_and_labels_are_checked()
    {
        var product = new
        {
            sku = "OPT-1", slug = "handschuh-opt-1", status = "published", name = new { de = "Arbeitshandschuh", en = "Work glove" },
            variants = new object[]
            {
                new { sku = "OPT-1-R", options = new { farbe = "rot", groesse = "M" }, optionLabels = new { en = new { farbe = "red" } }, priceGross = 9.99m, taxRate = 0.19m, stockQuantity = 3 },
            },
        };
        var created = await Admin.CreateAsync(product);
        var id = created.GetProperty("id").GetString();

        var english = (await Admin.GetFromJsonAsync<JsonElement>($"/products/{id}?locale=en")).GetProperty("variants")[0];
        Assert.Equal("red", english.GetProperty("displayOptions").GetProperty("farbe").GetString());
        Assert.Equal("M", english.GetProperty("displayOptions").GetProperty("groesse").GetString()); // no label: the value itself
        Assert.Equal("rot", english.GetProperty("options").GetProperty("farbe").GetString());
        var german = (await Admin.GetFromJsonAsync<JsonElement>($"/products/{id}?locale=de")).GetProperty("variants")[0];
        Assert.Equal("rot", german.GetProperty("displayOptions").GetProperty("farbe").GetString());

        var badLabels = await Admin.PostAsJsonAsync("/products", new
        {
            sku = "OPT-2", name = new { de = "Handschuh" },
            variants = new object[] { new { sku = "OPT-2-R", options = new { farbe = "rot" }, optionLabels = new { fr = new { farbe = "rouge" }, en = new { size = "M" } }, priceGross = 9.99m, taxRate = 0.19m } },
        });
        Assert.Equal(HttpStatusCode.BadRequest, badLabels.StatusCode);
        var errors = (await badLabels.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors");
        Assert.True(errors.TryGetProperty("variants[0].optionLabels", out _), errors.ToString());
        Assert.True(errors.TryGetProperty("variants[0].optionLabels.en", out _), errors.ToString());
    }
}
