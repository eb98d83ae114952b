using MachCommerce.Catalog.Search;

namespace MachCommerce.Catalog.Products;

/// <summary>A product that passed validation, with everything derived that the store needs.</summary>
internal sealed record ValidProduct(
    string Sku,
    string Slug,
    string Status,
    string? Brand,
    IReadOnlyDictionary<string, string> Name,
    IReadOnlyDictionary<string, string> Description,
    IReadOnlyList<Guid> CategoryIds,
    string AttributesJson,
    string ImagesJson,
    IReadOnlyList<ValidVariant> Variants,
    string AttributeText,
    string SearchFolded,
    string NameSort)
{
    public decimal MinPriceGross => Variants.Count == 0 ? 0 : Variants.Min(v => Money.Gross(v.PriceNet, v.TaxRate));

    public bool Available => Variants.Any(v => v.StockQuantity > 0 || v.Backorderable);
}

internal sealed record ValidVariant(string Sku, string OptionsJson, string OptionLabelsJson, decimal PriceNet, decimal TaxRate, decimal? CompareAtNet, int StockQuantity, bool Backorderable);

/// <summary>
/// Checks a <see cref="ProductInput"/> and reports every problem at once, keyed by the JSON path of the field in
/// the client's terms (<c>name.de</c>, <c>variants[2].priceNet</c>), so a client can show each next to its field.
/// </summary>
internal static partial class ProductValidator
{
    public const int MaxNameLength = 200;
    public const int MaxDescriptionLength = 10_000;
    public const int MaxVariants = 100;
    public const int MaxAttributes = 50;
    public const int MaxImages = 20;
    public const int MaxCategories = 20;
    public const decimal MaxPrice = 10_000_000m;
    public static readonly string[] Languages = ["de", "en"];
    public static readonly string[] Statuses = ["draft", "published", "archived"];

    public static ValidProduct? Validate(ProductInput input, FieldErrors errors, string prefix = "")
    {
        var before = errors.Count;
        void Fail(string field, string reason) =>
            errors[prefix + field] = errors.TryGetValue(prefix + field, out var existing) ? [.. existing, reason] : [reason];

        var sku = input.Sku?.Trim() ?? "";
        if (!SkuPattern().IsMatch(sku))
        {
            Fail("sku", "is required: 1 to 64 letters, digits, '.', '-', '_' or '/', starting with a letter or digit.");
        }

        var name = Localized(input.Name, "name", MaxNameLength, required: true, Fail);
        var description = Localized(input.Description, "description", MaxDescriptionLength, required: false, Fail);

        var slug = input.Slug?.Trim() ?? Slugs.From(name.GetValueOrDefault("de") ?? name.Values.FirstOrDefault() ?? "");
        if (!SlugPattern().IsMatch(slug) || slug.Length > 120)
        {
            Fail("slug", "must be lower-case letters and digits joined by single hyphens, at most 120 characters.");
        }

        var status = input.Status?.Trim().ToLowerInvariant() ?? "draft";
        if (!Statuses.Contains(status))
        {
            Fail("status", $"must be one of {string.Join(", ", Statuses)}.");
        }

        var brand = string.IsNullOrWhiteSpace(input.Brand) ? null : input.Brand.Trim();
        if (brand is { Length: > 100 })
        {
            Fail("brand", "must be at most 100 characters.");
        }

        var categoryIds = input.CategoryIds ?? [];
        if (categoryIds.Count > MaxCategories)
        {
            Fail("categoryIds", $"must hold at most {MaxCategories} categories.");
        }

        if (categoryIds.Distinct().Count() != categoryIds.Count)
        {
            Fail("categoryIds", "must not repeat a category.");
        }

        var attributesJson = Attributes(input.Attributes, Fail, out var attributeText);
        var imagesJson = Images(input.Images, Fail);
        var variants = Variants(input.Variants, Fail);
        if (status == "published" && variants.Count == 0)
        {
            Fail("variants", "a published product needs at least one variant with a price.");
        }

        if (errors.Count > before)
        {
            return null;
        }

        var searchable = string.Join(' ', name.Values.Append(brand ?? ""));
        return new ValidProduct(sku, slug, status, brand, name, description, [.. categoryIds], attributesJson, imagesJson, variants,
            attributeText, TextFolding.Fold(searchable), TextFolding.Fold(name.GetValueOrDefault("de") ?? name.Values.First()));
    }

    private static Dictionary<string, string> Localized(Dictionary<string, string>? texts, string field, int maxLength, bool required, Action<string, string> fail)
    {
        var result = new Dictionary<string, string>();
        if (texts is null || texts.Count == 0 || texts.Values.All(string.IsNullOrWhiteSpace))
        {
            if (required)
            {
                fail(field, "is required in at least one language (de or en).");
            }

            return result;
        }

        foreach (var (language, text) in texts)
        {
            if (!Languages.Contains(language))
            {
                fail($"{field}.{language}", $"is not a supported language; use {string.Join(" or ", Languages)}.");
            }
            else if (text is { Length: > 0 } && text.Length > maxLength)
            {
                fail($"{field}.{language}", $"must be at most {maxLength} characters.");
            }
            else if (!string.IsNullOrWhiteSpace(text))
            {
                result[language] = text.Trim();
            }
        }

        return result;
    }

    private static string Attributes(Dictionary<string, JsonElement>? attributes, Action<string, string> fail, out string text)
    {
        text = "";
        if (attributes is null || attributes.Count == 0)
        {
            return "{}";
        }

        if (attributes.Count > MaxAttributes)
        {
            fail("attributes", $"must hold at most {MaxAttributes} attributes.");
            return "{}";
        }

        var values = new List<string>();
        foreach (var (key, value) in attributes)
        {
            if (!AttributeKeyPattern().IsMatch(key))
            {
                fail($"attributes.{key}", "names must be 1 to 40 lower-case letters, digits or '_', starting with a letter.");
                continue;
            }

            var items = value.ValueKind == JsonValueKind.Array ? value.EnumerateArray().ToList() : [value];
            if (items.Count > 50)
            {
                fail($"attributes.{key}", "a list may hold at most 50 values.");
            }

            foreach (var item in items)
            {
                switch (item.ValueKind)
                {
                    case JsonValueKind.String when item.GetString()!.Length <= 500:
                        values.Add(item.GetString()!);
                        break;
                    case JsonValueKind.Number or JsonValueKind.True or JsonValueKind.False:
                        values.Add(item.GetRawText());
                        break;
                    case JsonValueKind.String:
                        fail($"attributes.{key}", "text values must be at most 500 characters.");
                        break;
                    default:
                        fail($"attributes.{key}", "must be text, a number, true/false, or a list of those.");
                        break;
                }
            }
        }

        text = string.Join(' ', values);
        return JsonSerializer.Serialize(attributes);
    }

    private static string Images(List<ImageInput>? images, Action<string, string> fail)
    {
        if (images is null || images.Count == 0)
        {
            return "[]";
        }

        if (images.Count > MaxImages)
        {
            fail("images", $"must hold at most {MaxImages} images.");
        }

        var valid = new List<object>();
        for (var i = 0; i < images.Count; i++)
        {
            var url = images[i].Url?.Trim();
            if (url is null || url.Length > 2000 || !Uri.TryCreate(url, UriKind.Absolute, out var uri) || uri.Scheme is not ("https" or "http"))
            {
                fail($"images[{i}].url", "must be an absolute http(s) URL of at most 2000 characters.");
                continue;
            }

            var alt = (images[i].Alt ?? []).Where(a => Languages.Contains(a.Key) && !string.IsNullOrWhiteSpace(a.Value))
                .ToDictionary(a => a.Key, a => a.Value.Length > 300 ? a.Value[..300] : a.Value);
            valid.Add(new { url, alt });
        }

        return JsonSerializer.Serialize(valid);
    }

    private static List<ValidVariant> Variants(List<VariantInput>? variants, Action<string, string> fail)
    {
        var result = new List<ValidVariant>();
        if (variants is null)
        {
            return result;
        }

        if (variants.Count > MaxVariants)
        {
            fail("variants", $"must hold at most {MaxVariants} variants.");
            return result;
        }

        var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        for (var i = 0; i < variants.Count; i++)
        {
            var variant = variants[i];
            var path = $"variants[{i}]";
            var ok = true;
            var sku = variant.Sku?.Trim() ?? "";
            if (!SkuPattern().IsMatch(sku))
            {
                fail($"{path}.sku", "is required: 1 to 64 letters, digits, '.', '-', '_' or '/'.");
                ok = false;
            }
            else if (!seen.Add(sku))
            {
                fail($"{path}.sku", $"repeats the SKU {sku} of another variant in this product.");
                ok = false;
            }

            var taxRate = variant.TaxRate ?? 0.19m;
            if (taxRate is < 0 or >= 1)
            {
                fail($"{path}.taxRate", "must be a fraction from 0 to below 1, e.g. 0.19.");
                ok = false;
            }

            decimal? net = variant.PriceNet ?? (variant.PriceGross is { } gross && taxRate is >= 0 and < 1 ? Math.Round(gross / (1 + taxRate), 4) : null);
            if (net is null)
            {
                fail($"{path}.priceNet", "is required (or give priceGross).");
                ok = false;
            }
            else if (net < 0 || net > MaxPrice || variant.PriceGross is < 0)
            {
                fail($"{path}.{(variant.PriceNet is null ? "priceGross" : "priceNet")}", $"must be from 0 to {MaxPrice:0} EUR.");
                ok = false;
            }

            if (variant.CompareAtNet is < 0 or > MaxPrice)
            {
                fail($"{path}.compareAtNet", $"must be from 0 to {MaxPrice:0} EUR.");
                ok = false;
            }

            if (variant.StockQuantity is < 0 or > 100_000_000)
            {
                fail($"{path}.stockQuantity", "must be from 0 to 100000000.");
                ok = false;
            }

            var options = variant.Options ?? [];
            if (options.Count > 10 || options.Any(o => o.Key.Length is 0 or > 40 || o.Value is null || o.Value.Length > 100))
            {
                fail($"{path}.options", "may hold at most 10 options, names up to 40 and values up to 100 characters.");
                ok = false;
            }

            var labels = variant.OptionLabels ?? [];
            foreach (var (language, byOption) in labels)
            {
                if (!Languages.Contains(language))
                {
                    fail($"{path}.optionLabels", $"has labels for '{language}'; languages are {string.Join(", ", Languages)}.");
                    ok = false;
                }
                else if (byOption is null || byOption.Any(o => !options.ContainsKey(o.Key) || o.Value is null || o.Value.Length is 0 or > 100))
                {
                    fail($"{path}.optionLabels.{language}", "labels only the variant's own options, each with 1 to 100 characters.");
                    ok = false;
                }
            }

            if (ok)
            {
                result.Add(new ValidVariant(sku, JsonSerializer.Serialize(options), JsonSerializer.Serialize(labels), net!.Value, taxRate, variant.CompareAtNet, variant.StockQuantity ?? 0, variant.Backorderable));
            }
        }

        return result;
    }

    [GeneratedRegex(@"^[A-Za-z0-9][A-Za-z0-9._\-/]{0,63}$")]
    private static partial Regex SkuPattern();

    [GeneratedRegex(@"^[a-z0-9]+(-[a-z0-9]+)*$")]
    private static partial Regex SlugPattern();

    [GeneratedRegex(@"^[a-z][a-z0-9_]{0,39}$")]
    private static partial Regex AttributeKeyPattern();
}

internal static class Money
{
    /// <summary>Gross in EUR cents precision: net plus VAT, rounded half away from zero as on a German receipt.</summary>
    public static decimal Gross(decimal net, decimal taxRate) => Math.Round(net * (1 + taxRate), 2, MidpointRounding.AwayFromZero);
}
