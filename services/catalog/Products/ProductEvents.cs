using MachCommerce.Contracts;

namespace MachCommerce.Catalog.Products;

/// <summary>Which integration events a write causes, with the product's state after it.</summary>
internal static class ProductEvents
{
    public static IEnumerable<IIntegrationEvent> For(string tenantId, Guid id, ValidProduct product, Guid[] categoryPath, int version, ExistingProduct? before)
    {
        var now = DateTimeOffset.UtcNow;
        if (product.Status == "archived")
        {
            if (before?.Status != "archived")
            {
                yield return new ProductArchived { TenantId = tenantId, OccurredAt = now, ProductId = id, Sku = product.Sku };
            }
        }
        else
        {
            var snapshot = Snapshot(id, product, categoryPath, version);
            yield return product.Status == "published" && before?.Status != "published"
                ? new ProductPublished { TenantId = tenantId, OccurredAt = now, Product = snapshot }
                : new ProductChanged { TenantId = tenantId, OccurredAt = now, Product = snapshot };
        }

        if (before is null)
        {
            yield break;
        }

        foreach (var variant in product.Variants)
        {
            if (before.PricesBySku.TryGetValue(variant.Sku, out var oldNet) && oldNet != variant.PriceNet)
            {
                yield return new PriceChanged
                {
                    TenantId = tenantId, OccurredAt = now, ProductId = id, VariantSku = variant.Sku, OldPriceNet = oldNet,
                    NewPriceNet = variant.PriceNet, NewPriceGross = Money.Gross(variant.PriceNet, variant.TaxRate), TaxRate = variant.TaxRate, Currency = "EUR",
                };
            }
        }
    }

    public static ProductSnapshot Snapshot(Guid id, ValidProduct product, Guid[] categoryPath, int version)
    {
        using var images = JsonDocument.Parse(product.ImagesJson);
        return new ProductSnapshot
        {
            ProductId = id,
            Sku = product.Sku,
            Slug = product.Slug,
            Status = product.Status,
            Brand = product.Brand,
            Name = product.Name,
            CategoryIds = product.CategoryIds,
            CategoryIdsWithAncestors = categoryPath,
            Attributes = AttributeTexts(product.AttributesJson),
            MinPriceGross = product.MinPriceGross,
            Currency = "EUR",
            Available = product.Available,
            ImageUrl = images.RootElement.EnumerateArray().Select(i => i.GetProperty("url").GetString()).FirstOrDefault(),
            Version = version,
        };
    }

    private static Dictionary<string, IReadOnlyList<string>> AttributeTexts(string attributesJson)
    {
        using var document = JsonDocument.Parse(attributesJson);
        return document.RootElement.EnumerateObject().ToDictionary(
            property => property.Name,
            property => (IReadOnlyList<string>)(property.Value.ValueKind == JsonValueKind.Array
                ? [.. property.Value.EnumerateArray().Select(Text)]
                : [Text(property.Value)]));

        static string Text(JsonElement value) => value.ValueKind == JsonValueKind.String ? value.GetString()! : value.GetRawText();
    }
}
