using System.Text.Json;
using Npgsql;

namespace MachCommerce.Catalog.Products;

/// <summary>A product row with its variants, read in one query, and how it is shown to a caller.</summary>
internal sealed record ProductRecord(
    Guid Id, string Sku, string Slug, string Status, string? Brand,
    Dictionary<string, string> Name, Dictionary<string, string> Description, Guid[] CategoryIds, Guid[] CategoryPath,
    JsonElement Attributes, List<ImageView> Images, decimal MinPriceGross, bool Available, int Version,
    DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt, List<VariantRecord> Variants)
{
    /// <summary>
    /// The columns <see cref="Read"/> expects, with variants as JSON and each variant's price in the caller's
    /// customer-group price list (parameter <paramref name="groupParameter"/>, null for none).
    /// </summary>
    public static string Columns(string groupParameter) =>
        $"""
        p.id, p.sku, p.slug, p.status, p.brand, p.name::text, p.description::text, p.category_ids, p.category_path,
        p.attributes::text, p.images::text, p.min_price_gross, p.available, p.version, p.created_at, p.updated_at,
        (SELECT coalesce(json_agg(json_build_object(
                 'sku', v.sku, 'options', v.options, 'priceNet', v.price_net, 'taxRate', v.tax_rate, 'compareAtNet', v.compare_at_net,
                 'stockQuantity', v.stock_quantity, 'backorderable', v.backorderable, 'listPriceNet', e.price_net, 'priceList', l.customer_group)
                 ORDER BY v.position), '[]')::text
           FROM variants v
           LEFT JOIN price_lists l ON l.tenant_id = v.tenant_id AND l.customer_group = {groupParameter}
           LEFT JOIN price_list_entries e ON e.price_list_id = l.id AND e.variant_sku = v.sku
          WHERE v.product_id = p.id)
        """;

    public static ProductRecord Read(NpgsqlDataReader reader) => new(
        reader.GetGuid(0), reader.GetString(1), reader.GetString(2), reader.GetString(3), reader.IsDBNull(4) ? null : reader.GetString(4),
        JsonSerializer.Deserialize<Dictionary<string, string>>(reader.GetString(5))!,
        JsonSerializer.Deserialize<Dictionary<string, string>>(reader.GetString(6))!,
        reader.GetFieldValue<Guid[]>(7), reader.GetFieldValue<Guid[]>(8),
        JsonDocument.Parse(reader.GetString(9)).RootElement.Clone(),
        JsonSerializer.Deserialize<List<ImageView>>(reader.GetString(10), Json)!,
        reader.GetDecimal(11), reader.GetBoolean(12), reader.GetInt32(13),
        reader.GetFieldValue<DateTimeOffset>(14), reader.GetFieldValue<DateTimeOffset>(15),
        JsonSerializer.Deserialize<List<VariantRecord>>(reader.GetString(16), Json)!);

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public ProductView ToView(string language, string defaultLanguage, bool businessCustomer)
    {
        var variants = Variants.Select(v => v.ToView(businessCustomer)).ToList();
        return new ProductView
        {
            Id = Id,
            Sku = Sku,
            Slug = Slug,
            Status = Status,
            Brand = Brand,
            Name = Name,
            Description = Description,
            DisplayName = Name.GetValueOrDefault(language) ?? Name.GetValueOrDefault(defaultLanguage) ?? Name.Values.FirstOrDefault() ?? Sku,
            CategoryIds = CategoryIds,
            Attributes = Attributes,
            Images = Images,
            Variants = variants,
            MinPriceGross = variants.Count == 0 ? MinPriceGross : variants.Min(v => v.Price.Gross), // the caller's own prices
            Available = Available,
            Version = Version,
            CreatedAt = CreatedAt,
            UpdatedAt = UpdatedAt,
        };
    }

    public string ETag => $"\"v{Version}\"";
}

internal sealed record VariantRecord(
    string Sku, Dictionary<string, string> Options, decimal PriceNet, decimal TaxRate, decimal? CompareAtNet,
    int StockQuantity, bool Backorderable, decimal? ListPriceNet, string? PriceList)
{
    public VariantView ToView(bool businessCustomer)
    {
        // The customer-group price replaces the list price; the list price is then what it is compared against.
        var net = ListPriceNet ?? PriceNet;
        var compareAt = ListPriceNet is not null && ListPriceNet < PriceNet ? PriceNet : CompareAtNet;
        var price = new PriceView(
            Math.Round(net, 2, MidpointRounding.AwayFromZero), Money.Gross(net, TaxRate), TaxRate, "EUR",
            compareAt is { } c ? Math.Round(c, 2, MidpointRounding.AwayFromZero) : null,
            compareAt is { } g ? Money.Gross(g, TaxRate) : null,
            ListPriceNet is null ? null : PriceList,
            DisplayGross: !businessCustomer);
        return new VariantView(Sku, Options, price, StockQuantity, Backorderable, StockQuantity > 0 || Backorderable);
    }
}
