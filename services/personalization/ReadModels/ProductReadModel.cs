using MachCommerce.Contracts.Catalog.V1;
using MachCommerce.Personalization.Subjects;

namespace MachCommerce.Personalization.ReadModels;

/// <summary>
/// Keeps personalization's copy of the catalog: what a product is about (categories with their ancestors, brand,
/// attributes), its price and whether it can be shown. A snapshot older than the row (by catalog version) is
/// ignored, so a late redelivery never turns a product back. PriceChanged is not consumed: the catalog sends the
/// product's new snapshot, with its new lowest price, in the same transaction.
/// </summary>
internal static class ProductReadModel
{
    public static async Task UpsertAsync(NpgsqlTransaction transaction, string tenantId, ProductSnapshot product, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand("""
            INSERT INTO products (tenant_id, product_id, sku, slug, status, brand, name, category_ids, attributes, price, currency, available, image_url, version)
            VALUES ($1, $2, $3, $4, $5, $6, $7::jsonb, $8, $9, $10, $11, $12, $13, $14)
            ON CONFLICT (tenant_id, product_id) DO UPDATE SET
                sku = excluded.sku, slug = excluded.slug, status = excluded.status, brand = excluded.brand, name = excluded.name,
                category_ids = excluded.category_ids, attributes = excluded.attributes, price = excluded.price, currency = excluded.currency,
                available = excluded.available, image_url = excluded.image_url, version = excluded.version, updated_at = now()
            WHERE products.version <= excluded.version
            """, transaction.Connection, transaction);
        command.Parameters.Add(new() { Value = tenantId });
        command.Parameters.Add(new() { Value = product.ProductId });
        command.Parameters.Add(new() { Value = product.Sku });
        command.Parameters.Add(new() { Value = product.Slug });
        command.Parameters.Add(new() { Value = product.Status });
        command.Parameters.Add(new() { Value = (object?)product.Brand ?? DBNull.Value });
        command.Parameters.Add(new() { Value = System.Text.Json.JsonSerializer.Serialize(product.Name) });
        command.Parameters.Add(new() { Value = product.CategoryIdsWithAncestors.Count > 0 ? product.CategoryIdsWithAncestors.ToArray() : product.CategoryIds.ToArray() });
        command.Parameters.Add(new() { Value = AttributeTexts(product.Attributes) });
        command.Parameters.Add(new() { Value = product.MinPriceGross });
        command.Parameters.Add(new() { Value = product.Currency });
        command.Parameters.Add(new() { Value = product.Available });
        command.Parameters.Add(new() { Value = (object?)product.ImageUrl ?? DBNull.Value });
        command.Parameters.Add(new() { Value = product.Version });
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>Attribute values as "key=value", lower case, as subject affinities and offer selections name them.</summary>
    public static string[] AttributeTexts(IReadOnlyDictionary<string, IReadOnlyList<string>> attributes) =>
        [.. attributes.SelectMany(a => a.Value.Select(v => AffinityKeys.AttributeText(a.Key, v))).Where(t => t.Length <= 200).Distinct()];

    public static async Task ArchiveAsync(NpgsqlTransaction transaction, string tenantId, ProductArchived archived, CancellationToken cancellationToken)
    {
        // A deleted product stays as a tombstone: decisions find what changed since their shelves were read by updated_at.
        await using var command = new NpgsqlCommand(
            "UPDATE products SET status = $3, available = false, updated_at = now() WHERE tenant_id = $1 AND product_id = $2",
            transaction.Connection, transaction);
        command.Parameters.Add(new() { Value = tenantId });
        command.Parameters.Add(new() { Value = archived.ProductId });
        command.Parameters.Add(new() { Value = archived.Deleted ? "deleted" : "archived" });
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}

internal sealed class ProductPublishedHandler : IInboxHandler<ProductPublished>
{
    public async Task HandleAsync(ProductPublished message, InboxContext context, CancellationToken cancellationToken)
    {
        await PersonalizationDatabase.EnterAsync(context.Transaction, message.TenantId, cancellationToken);
        await ProductReadModel.UpsertAsync(context.Transaction, message.TenantId, message.Product, cancellationToken);
    }
}

internal sealed class ProductChangedHandler : IInboxHandler<ProductChanged>
{
    public async Task HandleAsync(ProductChanged message, InboxContext context, CancellationToken cancellationToken)
    {
        await PersonalizationDatabase.EnterAsync(context.Transaction, message.TenantId, cancellationToken);
        await ProductReadModel.UpsertAsync(context.Transaction, message.TenantId, message.Product, cancellationToken);
    }
}

internal sealed class ProductArchivedHandler : IInboxHandler<ProductArchived>
{
    public async Task HandleAsync(ProductArchived message, InboxContext context, CancellationToken cancellationToken)
    {
        await PersonalizationDatabase.EnterAsync(context.Transaction, message.TenantId, cancellationToken);
        await ProductReadModel.ArchiveAsync(context.Transaction, message.TenantId, message, cancellationToken);
    }
}
