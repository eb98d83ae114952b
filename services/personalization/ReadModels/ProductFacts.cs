using MachCommerce.Personalization.Behaviour;

namespace MachCommerce.Personalization.ReadModels;

/// <summary>What an event's product is about, from the read model.</summary>
internal sealed record ProductFact(Guid ProductId, string Sku, string? Brand, string DisplayName, Guid[] CategoryIds, string[] Attributes);

/// <summary>The products a batch of events names, by id or SKU, looked up in one query.</summary>
internal sealed class ProductFacts
{
    private readonly Dictionary<Guid, ProductFact> _byId = [];
    private readonly Dictionary<string, ProductFact> _bySku = new(StringComparer.Ordinal);

    public ProductFact? Find(ValidEvent e) =>
        e.ProductId is { } id ? _byId.GetValueOrDefault(id) : e.Sku is { } sku ? _bySku.GetValueOrDefault(sku) : null;

    public static async Task<ProductFacts> LoadAsync(NpgsqlTransaction transaction, string tenantId, IReadOnlyList<ValidEvent> events, CancellationToken cancellationToken)
    {
        var facts = new ProductFacts();
        var ids = events.Select(e => e.ProductId).OfType<Guid>().Distinct().ToArray();
        var skus = events.Where(e => e.ProductId is null).Select(e => e.Sku).OfType<string>().Distinct().ToArray();
        if (ids.Length == 0 && skus.Length == 0)
        {
            return facts;
        }

        await using var command = new NpgsqlCommand("""
            SELECT product_id, sku, brand, name::text, category_ids, attributes FROM products
            WHERE tenant_id = $1 AND (product_id = ANY($2) OR sku = ANY($3))
            """, transaction.Connection, transaction);
        command.Parameters.Add(new() { Value = tenantId });
        command.Parameters.Add(new() { Value = ids });
        command.Parameters.Add(new() { Value = skus });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            var fact = new ProductFact(reader.GetGuid(0), reader.GetString(1), reader.IsDBNull(2) ? null : reader.GetString(2), DisplayName(reader.GetString(3)),
                reader.GetFieldValue<Guid[]>(4), reader.GetFieldValue<string[]>(5));
            facts._byId[fact.ProductId] = fact;
            facts._bySku[fact.Sku] = fact;
        }

        return facts;
    }

    /// <summary>The German name, else the English one: what a reason quotes ("because you looked at …").</summary>
    public static string DisplayName(string nameJson)
    {
        var names = JsonSerializer.Deserialize<Dictionary<string, string>>(nameJson) ?? [];
        return names.GetValueOrDefault("de") ?? names.GetValueOrDefault("en") ?? names.Values.FirstOrDefault() ?? "";
    }
}
