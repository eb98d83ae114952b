using MachCommerce.Api.Catalog;
using MachCommerce.MerchantConsole.Localization;
using nietras.SeparatedValues;

namespace MachCommerce.MerchantConsole.Catalog;

/// <summary>A product read from the file, with the file's line of each of its variants (to say where an error is).</summary>
public sealed record CsvProduct(ProductInput Product, IReadOnlyList<int> Lines);

/// <summary>What is wrong on one line of the file, in the merchant's words (or the platform's, with its field).</summary>
public sealed record CsvLineError(int Line, string Sku, string Message);

public sealed record CsvReadResult(IReadOnlyList<CsvProduct> Products, IReadOnlyList<CsvLineError> Errors, int Lines);

/// <summary>
/// The catalog's CSV import format: one line per variant; lines with the same <c>sku</c> are one product. Excel's
/// German ";" files and "," files both read, with "12,99" or "12.99" as prices. Columns (header names, any order):
/// sku (required), name_de, name_en, description_de, description_en, brand, status (draft, published, archived),
/// categories (slugs, "|" between), variant_sku (default: sku), price_gross or price_net, tax_rate (19, 7, 0 or
/// 0.19 …), stock, backorderable (ja/nein), and option_&lt;name&gt; per option (option_size, option_colour).
/// </summary>
public static class ProductCsv
{
    public const string Template =
        "sku;name_de;name_en;brand;status;categories;variant_sku;option_size;price_gross;tax_rate;stock\n" +
        "SCHLAUCH-20;Gartenschlauch Classic 20 m;Garden hose classic 20 m;Gardena;published;garten;SCHLAUCH-20;;39,99;19;120\n" +
        "SHIRT-1;Arbeitshemd;Work shirt;Engelbert;published;;SHIRT-1-M;M;29,90;19;8\n" +
        "SHIRT-1;Arbeitshemd;Work shirt;Engelbert;published;;SHIRT-1-L;L;29,90;19;5\n";

    private static readonly string[] Known =
        ["sku", "name_de", "name_en", "description_de", "description_en", "brand", "status", "categories", "variant_sku", "price_gross", "price_net", "tax_rate", "stock", "backorderable"];

    /// <param name="categoriesBySlug">The shop's category ids by slug (the file names categories by slug).</param>
    /// <param name="L">The reader's language, for the errors.</param>
    public static CsvReadResult Read(Stream file, IReadOnlyDictionary<string, Guid> categoriesBySlug, IStringLocalizer<ConsoleTexts> L, CancellationToken cancellationToken)
    {
        var errors = new List<CsvLineError>();
        using var reader = Sep.Reader(o => o with { Unescape = true, Trim = SepTrim.All, DisableColCountCheck = true }).From(file);
        var columns = reader.Header.ColNames.Select(name => name.Trim().TrimStart('\uFEFF').ToLowerInvariant()).ToList();
        if (columns.Count == 0 || columns.All(c => c.Length == 0))
        {
            return new CsvReadResult([], [new CsvLineError(1, "", L["Die Datei ist leer: die erste Zeile muss die Spaltennamen nennen (mindestens sku)."])], 0);
        }

        if (!columns.Contains("sku"))
        {
            return new CsvReadResult([], [new CsvLineError(1, "", L["Die Spalte „sku“ fehlt. Gelesene Spalten: {0}.", string.Join(", ", columns)])], 0);
        }

        var unknown = columns.Where(c => c.Length > 0 && !Known.Contains(c) && !c.StartsWith("option_", StringComparison.Ordinal)).ToList();
        if (unknown.Count > 0)
        {
            errors.Add(new CsvLineError(1, "", L["Unbekannte Spalten werden nicht gelesen: {0}.", string.Join(", ", unknown)]));
        }

        var products = new Dictionary<string, (ProductInput Product, List<int> Lines, List<VariantInput> Variants)>(StringComparer.OrdinalIgnoreCase);
        var failed = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        var lines = 0;
        foreach (var row in reader)
        {
            cancellationToken.ThrowIfCancellationRequested();
            lines++;
            var line = row.LineNumberFrom;
            var values = new Dictionary<string, string>(StringComparer.Ordinal);
            for (var i = 0; i < Math.Min(row.ColCount, columns.Count); i++)
            {
                if (row[i].ToString() is { Length: > 0 } value)
                {
                    values[columns[i]] = value;
                }
            }

            string? Field(string name) => values.GetValueOrDefault(name);
            var sku = Field("sku");
            if (sku is null)
            {
                if (values.Count > 0)
                {
                    errors.Add(new CsvLineError(line, "", L["sku fehlt."]));
                }

                continue;
            }

            var lineErrors = new List<string>();
            var variant = new VariantInput
            {
                Sku = Field("variant_sku") ?? sku,
                Options = values.Where(v => v.Key.StartsWith("option_", StringComparison.Ordinal)).ToDictionary(v => v.Key["option_".Length..], v => v.Value),
                PriceGross = Decimal(Field("price_gross"), "price_gross", lineErrors, L),
                PriceNet = Decimal(Field("price_net"), "price_net", lineErrors, L),
                TaxRate = TaxRate(Field("tax_rate"), lineErrors, L),
                StockQuantity = Whole(Field("stock"), "stock", lineErrors, L),
                Backorderable = Field("backorderable")?.ToLowerInvariant() is "ja" or "yes" or "true" or "1",
            };
            var categoryIds = new List<Guid>();
            foreach (var slug in (Field("categories") ?? "").Split('|', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            {
                if (categoriesBySlug.TryGetValue(slug, out var id))
                {
                    categoryIds.Add(id);
                }
                else
                {
                    lineErrors.Add(L["categories: Kategorie „{0}“ gibt es in diesem Shop nicht.", slug]);
                }
            }

            if (lineErrors.Count > 0)
            {
                errors.Add(new CsvLineError(line, sku, string.Join(" ", lineErrors)));
                failed.Add(sku); // nothing half-read reaches the catalog: not even the product's other variants
                continue;
            }

            if (!products.TryGetValue(sku, out var product))
            {
                product = (new ProductInput
                {
                    Sku = sku, Brand = Field("brand"), Status = Field("status") ?? "draft",
                    Name = CatalogTexts.ByLanguage(("de", Field("name_de")), ("en", Field("name_en"))),
                    Description = CatalogTexts.ByLanguage(("de", Field("description_de")), ("en", Field("description_en"))),
                    CategoryIds = categoryIds,
                }, [], []);
                products[sku] = product;
            }

            product.Lines.Add(line);
            product.Variants.Add(variant);
        }

        foreach (var (sku, product) in products.Where(p => failed.Contains(p.Key)))
        {
            errors.AddRange(product.Lines.Select(line => new CsvLineError(line, sku, L["nicht importiert: eine andere Zeile dieses Produkts ist fehlerhaft."])));
        }

        var read = products.Where(p => !failed.Contains(p.Key)).Select(p => new CsvProduct(p.Value.Product with { Variants = p.Value.Variants }, p.Value.Lines)).ToList();
        return new CsvReadResult(read, errors, lines);
    }

    /// <summary>The line a platform error is about: the variant's own line where the field names one (<c>variants[2].priceGross</c>), else the product's first.</summary>
    public static int LineOf(CsvProduct product, string field) =>
        field.StartsWith("variants[", StringComparison.Ordinal) && int.TryParse(field.AsSpan(9, Math.Max(0, field.IndexOf(']') - 9)), out var index) && index < product.Lines.Count
            ? product.Lines[index]
            : product.Lines[0];

    /// <summary>"1.299,50", "1299.50" and "12,99" are all read as a merchant means them.</summary>
    private static decimal? Decimal(string? text, string column, List<string> errors, IStringLocalizer<ConsoleTexts> L)
    {
        if (text is null)
        {
            return null;
        }

        var normalized = text.Replace("€", "", StringComparison.Ordinal).Replace("EUR", "", StringComparison.OrdinalIgnoreCase).Trim();
        if (normalized.Contains(',', StringComparison.Ordinal))
        {
            normalized = normalized.Replace(".", "", StringComparison.Ordinal).Replace(',', '.');
        }

        if (decimal.TryParse(normalized, NumberStyles.Number, CultureInfo.InvariantCulture, out var value))
        {
            return value;
        }

        errors.Add(L["{0}: „{1}“ ist keine Zahl.", column, text]);
        return null;
    }

    private static decimal? TaxRate(string? text, List<string> errors, IStringLocalizer<ConsoleTexts> L)
    {
        var rate = Decimal(text?.Replace("%", "", StringComparison.Ordinal).Trim(), "tax_rate", errors, L);
        return rate > 1 ? rate / 100 : rate; // "19" and "0,19" both mean 19 %
    }

    private static int? Whole(string? text, string column, List<string> errors, IStringLocalizer<ConsoleTexts> L)
    {
        if (text is null)
        {
            return null;
        }

        if (int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value))
        {
            return value;
        }

        errors.Add(L["{0}: „{1}“ ist keine ganze Zahl.", column, text]);
        return null;
    }
}
