namespace MachCommerce.Catalog.Products;

/// <summary>A product row with its variants, read in one statement, and how it is shown to a caller.</summary>
internal sealed record ProductRecord(
    Guid Id, string Sku, string Slug, string Status, string? Brand,
    Dictionary<string, string> Name, Dictionary<string, string> Description, Guid[] CategoryIds, Guid[] CategoryPath,
    JsonElement Attributes, List<ImageView> Images, decimal MinPriceGross, bool Available, int Version,
    DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt, List<VariantRecord> Variants)
{
    /// <summary>
    /// The products of tenant $1 that <paramref name="productCondition"/> picks (alias p) with their variants, which
    /// <paramref name="variantCondition"/> (alias v) picks, in one statement and so one snapshot: rows of two shapes,
    /// a product's without a position, a variant's with its product's id, its position and its price in the caller's
    /// customer-group price list (parameter <paramref name="groupParameter"/>, null for none); read by
    /// <see cref="ReadAllAsync"/>. At 100 products, variants aggregated as JSON per product took PostgreSQL twice as
    /// long, and variants joined to a copy of their product's row a quarter longer. Tables name their schema, so the
    /// statement can be prepared before a search path is set.
    /// </summary>
    public static string Select(string productCondition, string variantCondition, string groupParameter) =>
        $"""
        SELECT p.id, NULL::int, p.sku, p.slug, p.status, p.brand, p.name::text, p.description::text, p.category_ids, p.category_path,
               p.attributes::text, p.images::text, p.min_price_gross, p.available, p.version, p.created_at, p.updated_at,
               NULL::text, NULL::numeric, NULL::numeric, NULL::numeric, NULL::int, NULL::bool, NULL::numeric, NULL::text, NULL::text
          FROM catalog.products p
         WHERE p.tenant_id = $1 AND {productCondition}
        UNION ALL
        SELECT v.product_id, v.position, v.sku, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL,
               v.options::text, v.price_net, v.tax_rate, v.compare_at_net, v.stock_quantity, v.backorderable, e.price_net, l.customer_group, v.option_labels::text
          FROM catalog.variants v
          LEFT JOIN catalog.price_lists l ON l.tenant_id = v.tenant_id AND l.customer_group = {groupParameter}
          LEFT JOIN catalog.price_list_entries e ON e.price_list_id = l.id AND e.variant_sku = v.sku
         WHERE v.tenant_id = $1 AND {variantCondition}
        """;

    /// <summary>The products of a <see cref="Select"/>, by id, each with its variants in order.</summary>
    public static async Task<Dictionary<Guid, ProductRecord>> ReadAllAsync(NpgsqlDataReader reader, CancellationToken cancellationToken)
    {
        var products = new Dictionary<Guid, ProductRecord>();
        var variants = new List<(Guid ProductId, int Position, VariantRecord Variant)>();
        while (await reader.ReadAsync(cancellationToken))
        {
            if (reader.IsDBNull(1))
            {
                var product = Read(reader);
                products.Add(product.Id, product);
            }
            else
            {
                variants.Add((reader.GetGuid(0), reader.GetInt32(1), VariantRecord.Read(reader)));
            }
        }

        foreach (var (productId, _, variant) in variants.OrderBy(v => v.Position))
        {
            if (products.TryGetValue(productId, out var product)) // always, as one statement sees one snapshot
            {
                product.Variants.Add(variant);
            }
        }

        return products;
    }

    private static ProductRecord Read(NpgsqlDataReader reader) => new(
        reader.GetGuid(0), reader.GetString(2), reader.GetString(3), reader.GetString(4), reader.IsDBNull(5) ? null : reader.GetString(5),
        JsonSerializer.Deserialize<Dictionary<string, string>>(reader.GetString(6))!,
        JsonSerializer.Deserialize<Dictionary<string, string>>(reader.GetString(7))!,
        reader.GetFieldValue<Guid[]>(8), reader.GetFieldValue<Guid[]>(9),
        JsonElement.Parse(reader.GetString(10)),
        JsonSerializer.Deserialize<List<ImageView>>(reader.GetString(11), Json)!,
        reader.GetDecimal(12), reader.GetBoolean(13), reader.GetInt32(14),
        reader.GetFieldValue<DateTimeOffset>(15), reader.GetFieldValue<DateTimeOffset>(16),
        []);

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public ProductView ToView(string language, string defaultLanguage, bool businessCustomer)
    {
        var variants = Variants.Select(v => v.ToView(businessCustomer, language)).ToList();
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
    int StockQuantity, bool Backorderable, decimal? ListPriceNet, string? PriceList, Dictionary<string, Dictionary<string, string>> OptionLabels)
{
    /// <summary>A variant's row of <see cref="ProductRecord.Select"/>.</summary>
    public static VariantRecord Read(NpgsqlDataReader reader) => new(
        reader.GetString(2), JsonSerializer.Deserialize<Dictionary<string, string>>(reader.GetString(17))!, reader.GetDecimal(18), reader.GetDecimal(19),
        reader.IsDBNull(20) ? null : reader.GetDecimal(20), reader.GetInt32(21), reader.GetBoolean(22),
        reader.IsDBNull(23) ? null : reader.GetDecimal(23), reader.IsDBNull(24) ? null : reader.GetString(24),
        JsonSerializer.Deserialize<Dictionary<string, Dictionary<string, string>>>(reader.GetString(25))!);

    public VariantView ToView(bool businessCustomer, string language)
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
        var labels = OptionLabels.GetValueOrDefault(language);
        var display = labels is null ? Options : Options.ToDictionary(o => o.Key, o => labels.GetValueOrDefault(o.Key) ?? o.Value);
        return new VariantView(Sku, Options, price, StockQuantity, Backorderable, StockQuantity > 0 || Backorderable, OptionLabels, display);
    }
}
