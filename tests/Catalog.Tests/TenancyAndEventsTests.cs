using System.Net.Http.Headers;
using Npgsql;
using RabbitMQ.Client;

namespace MachCommerce.Catalog.Tests;

public sealed class TenancyAndEventsTests(CatalogFixture catalog) : IClassFixture<CatalogFixture>
{
    [Fact]
    public async Task Tenant_B_can_neither_read_nor_change_nor_find_tenant_As_product()
    {
        var shopA = catalog.Client(CatalogFixture.NewTenant());
        var shopB = catalog.Client(CatalogFixture.NewTenant());
        var product = await shopA.CreateAsync(CatalogRequests.Product("SECRET-1", "Geheimer Rasenmäher", slug: "geheimer-rasenmaeher"));
        var id = product.GetProperty("id").GetGuid();

        Assert.Equal(HttpStatusCode.NotFound, (await shopB.GetAsync($"/products/{id}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await shopB.GetAsync("/products/by-sku/SECRET-1")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await shopB.GetAsync("/products/by-slug/geheimer-rasenmaeher")).StatusCode);
        var batch = await (await shopB.PostAsJsonAsync("/products/batch-get", new { ids = new[] { id } })).Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(0, batch.GetProperty("items").GetArrayLength());
        var search = await shopB.GetFromJsonAsync<JsonElement>("/search?q=rasenm%C3%A4her");
        Assert.Equal(0, search.GetProperty("total").GetInt64());
        Assert.Empty((await shopB.GetFromJsonAsync<JsonElement>("/products")).GetProperty("items").EnumerateArray());

        var replace = new HttpRequestMessage(HttpMethod.Put, $"/products/{id}") { Content = JsonContent.Create(CatalogRequests.Product("SECRET-1", "Gekapert")) };
        replace.Headers.IfMatch.Add(new EntityTagHeaderValue("\"v1\""));
        Assert.Equal(HttpStatusCode.NotFound, (await shopB.SendAsync(replace)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await shopB.PostAsync($"/products/{id}/archive", null)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await shopB.DeleteAsync($"/products/{id}")).StatusCode);

        // The same SKU is free in another shop, and A's product is untouched.
        await shopB.CreateAsync(CatalogRequests.Product("SECRET-1", "Eigener Artikel", slug: "geheimer-rasenmaeher"));
        var unchanged = await shopA.GetFromJsonAsync<JsonElement>($"/products/{id}");
        Assert.Equal("Geheimer Rasenmäher", unchanged.GetProperty("name").GetProperty("de").GetString());
        Assert.Equal(1, unchanged.GetProperty("version").GetInt32());
    }

    [Fact]
    public async Task Row_level_security_hides_other_tenants_rows_even_from_a_query_that_forgets_the_filter()
    {
        var tenantA = CatalogFixture.NewTenant();
        await catalog.Client(tenantA).CreateAsync(CatalogRequests.Product("RLS-1", "Nur für A"));

        await using var connection = new NpgsqlConnection(catalog.ConnectionString);
        await connection.OpenAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        await using (var scope = new NpgsqlCommand("SELECT set_config('role', 'catalog_app', true), set_config('app.tenant_id', 'someone-else', true)", connection, transaction))
        {
            await scope.ExecuteNonQueryAsync();
        }

        await using var unfiltered = new NpgsqlCommand("SELECT count(*) FROM catalog.products WHERE sku = 'RLS-1'", connection, transaction);
        Assert.Equal(0L, await unfiltered.ExecuteScalarAsync());

        await using var smuggle = new NpgsqlCommand("UPDATE catalog.products SET tenant_id = 'someone-else' WHERE sku = 'RLS-1'", connection, transaction);
        Assert.Equal(0, await smuggle.ExecuteNonQueryAsync());
    }

    [Fact]
    public async Task Every_change_puts_its_event_in_the_outbox()
    {
        var tenant = CatalogFixture.NewTenant();
        var admin = catalog.Client(tenant);
        var product = await admin.CreateAsync(CatalogRequests.Product("EV-1", "Rasentrimmer", priceGross: 59.5m));
        var id = product.GetProperty("id").GetGuid();
        var replace = new HttpRequestMessage(HttpMethod.Put, $"/products/{id}") { Content = JsonContent.Create(CatalogRequests.Product("EV-1", "Rasentrimmer", priceGross: 49.5m)) };
        replace.Headers.IfMatch.Add(new EntityTagHeaderValue("\"v1\""));
        Assert.Equal(HttpStatusCode.OK, (await admin.SendAsync(replace)).StatusCode);
        await admin.PostAsync($"/products/{id}/archive", null);
        await admin.DeleteAsync($"/products/{id}");

        var types = new List<string>();
        await using (var connection = new NpgsqlConnection(catalog.ConnectionString))
        {
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand("SELECT message_type, payload::text FROM catalog.outbox WHERE tenant_id = $1 ORDER BY seq", connection);
            command.Parameters.Add(new() { Value = tenant });
            await using var reader = await command.ExecuteReaderAsync();
            while (await reader.ReadAsync())
            {
                types.Add(reader.GetString(0).Split(',')[0].Split('.')[^1]);
                if (types[^1] == "PriceChanged")
                {
                    var payload = JsonDocument.Parse(reader.GetString(1)).RootElement;
                    Assert.Equal(49.5m, payload.GetProperty("newPriceGross").GetDecimal());
                }

                if (types[^1] == "ProductPublished")
                {
                    var snapshot = JsonDocument.Parse(reader.GetString(1)).RootElement.GetProperty("product");
                    Assert.Equal("Makita", snapshot.GetProperty("brand").GetString());
                    Assert.True(snapshot.GetProperty("available").GetBoolean());
                    Assert.Equal(59.5m, snapshot.GetProperty("minPriceGross").GetDecimal());
                }
            }
        }

        Assert.Equal(["ProductPublished", "ProductChanged", "PriceChanged", "ProductArchived", "ProductArchived"], types);
    }

    [Fact]
    public async Task A_published_product_reaches_subscribers_through_RabbitMQ()
    {
        await using var connection = await new ConnectionFactory { Uri = catalog.Broker }.CreateConnectionAsync();
        await using var channel = await connection.CreateChannelAsync();
        var queue = await channel.ListenAsync<MachCommerce.Contracts.Catalog.V1.ProductPublished>();

        var tenant = CatalogFixture.NewTenant();
        await catalog.Client(tenant).CreateAsync(CatalogRequests.Product("WIRE-1", "Gartenschlauch"));

        // Other tests of this class publish on the same virtual host; look for ours.
        var published = await channel.NextEventAsync(queue, e => e.GetProperty("tenantId").GetString() == tenant);
        Assert.Equal("WIRE-1", published.GetProperty("product").GetProperty("sku").GetString());
    }

    [Fact]
    public async Task A_b2b_customer_sees_its_groups_net_prices_and_others_the_list_price()
    {
        var tenant = CatalogFixture.NewTenant();
        var admin = catalog.Client(tenant);
        var product = await admin.CreateAsync(CatalogRequests.Product("B2B-1", "Schlagbohrmaschine", priceGross: 119m));
        var list = await admin.PutAsJsonAsync("/price-lists/fachhandel", new { name = "Fachhandel", entries = new[] { new { sku = "B2B-1-V", priceNet = 80m } } });
        Assert.Equal(HttpStatusCode.OK, list.StatusCode);

        var b2b = await catalog.B2BClient(tenant, "fachhandel").GetFromJsonAsync<JsonElement>($"/products/{product.GetProperty("id").GetGuid()}");
        var b2bPrice = b2b.GetProperty("variants")[0].GetProperty("price");
        Assert.Equal(80m, b2bPrice.GetProperty("net").GetDecimal());
        Assert.Equal(95.2m, b2bPrice.GetProperty("gross").GetDecimal());
        Assert.False(b2bPrice.GetProperty("displayGross").GetBoolean());
        Assert.Equal("fachhandel", b2bPrice.GetProperty("priceList").GetString());
        Assert.Equal(100m, b2bPrice.GetProperty("compareAtNet").GetDecimal());

        var consumer = await catalog.Client(tenant, Scopes.CatalogRead).GetFromJsonAsync<JsonElement>($"/products/{product.GetProperty("id").GetGuid()}");
        var consumerPrice = consumer.GetProperty("variants")[0].GetProperty("price");
        Assert.Equal(119m, consumerPrice.GetProperty("gross").GetDecimal());
        Assert.True(consumerPrice.GetProperty("displayGross").GetBoolean());

        var otherGroup = await catalog.B2BClient(tenant, "grosshandel").GetFromJsonAsync<JsonElement>($"/products/{product.GetProperty("id").GetGuid()}");
        Assert.Equal(100m, otherGroup.GetProperty("variants")[0].GetProperty("price").GetProperty("net").GetDecimal());

        var invalid = await admin.PutAsJsonAsync("/price-lists/Fach Handel", new { name = "", entries = new[] { new { sku = "X", priceNet = -1m } } });
        Assert.Equal(HttpStatusCode.BadRequest, invalid.StatusCode);
    }

    [Fact]
    public async Task The_category_tree_holds_together()
    {
        var admin = catalog.Client(CatalogFixture.NewTenant());
        var garden = await admin.CategoryAsync("garten");
        var lawn = await admin.CategoryAsync("rasen", garden);
        var tools = await admin.CategoryAsync("werkzeug");
        await admin.CreateAsync(CatalogRequests.Product("CAT-1", "Rasenmäher", categories: [lawn]));

        var tree = await admin.GetFromJsonAsync<JsonElement>("/categories");
        Assert.Equal(lawn, tree.EnumerateArray().Single(c => c.GetProperty("slug").GetString() == "garten").GetProperty("children")[0].GetProperty("id").GetGuid());

        Assert.Equal(HttpStatusCode.BadRequest, (await admin.PostAsJsonAsync("/categories", new { slug = "x", name = new { de = "X" }, parentId = Guid.NewGuid() })).StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, (await admin.PostAsJsonAsync("/categories", new { slug = "garten", name = new { de = "Doppelt" } })).StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, (await admin.DeleteAsync($"/categories/{garden}")).StatusCode);

        // Moving "rasen" under "werkzeug" moves its products with it.
        var move = new HttpRequestMessage(HttpMethod.Put, $"/categories/{lawn}") { Content = JsonContent.Create(new { slug = "rasen", name = new { de = "Rasen" }, parentId = tools }) };
        move.Headers.IfMatch.Add(new EntityTagHeaderValue("\"v1\""));
        Assert.Equal(HttpStatusCode.OK, (await admin.SendAsync(move)).StatusCode);
        Assert.Empty((await admin.GetFromJsonAsync<JsonElement>($"/products?category={garden}")).GetProperty("items").EnumerateArray());
        Assert.Single((await admin.GetFromJsonAsync<JsonElement>($"/products?category={tools}")).GetProperty("items").EnumerateArray());

        var cycle = new HttpRequestMessage(HttpMethod.Put, $"/categories/{tools}") { Content = JsonContent.Create(new { slug = "werkzeug", name = new { de = "Werkzeug" }, parentId = lawn }) };
        cycle.Headers.IfMatch.Add(new EntityTagHeaderValue("\"v1\""));
        Assert.Equal(HttpStatusCode.BadRequest, (await admin.SendAsync(cycle)).StatusCode);
    }
}
