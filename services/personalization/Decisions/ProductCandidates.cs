using MachCommerce.Personalization.ReadModels;

namespace MachCommerce.Personalization.Decisions;

/// <summary>A product from the read model, as decisions and recommendations rank and show it.</summary>
internal sealed record CandidateProduct(
    Guid ProductId, string Sku, string Slug, string? Brand, string NameJson, Guid[] CategoryIds, string[] Attributes, decimal Price, string Currency,
    string? ImageUrl, double? Trend, bool Available)
{
    private Dictionary<string, string>? _names;

    public string Name(string language)
    {
        _names ??= System.Text.Json.JsonSerializer.Deserialize<Dictionary<string, string>>(NameJson) ?? [];
        return _names.GetValueOrDefault(language) ?? _names.GetValueOrDefault("de") ?? _names.Values.FirstOrDefault() ?? Sku;
    }
}

/// <summary>
/// Collects the product queries one decision needs and runs them in a single round trip: co-occurrence
/// neighbours of the context product, products named by SKU, the facts of the products a reason may quote, and
/// what stopped being showable since the shelves (<see cref="ProductShelves"/>) were read.
/// </summary>
internal sealed class ProductCandidates(string tenantId)
{
    public const int PoolSize = 200;
    public const string ProductColumns = "p.product_id, p.sku, p.slug, p.brand, p.name::text, p.category_ids, p.attributes, p.price, p.currency, p.image_url, p.trend, p.available AND p.status = 'published'";
    public const string Showable = "p.available AND p.status = 'published'";

    private readonly List<NpgsqlBatchCommand> _commands = [];
    private readonly List<List<(CandidateProduct Product, double Weight)>> _results = [];

    /// <summary>Showable products named by SKU in an offer's selection.</summary>
    public int BySku(string[] skus) => Add($"SELECT {ProductColumns}, 0 FROM products p WHERE p.tenant_id = $1 AND p.sku = ANY($2) AND {Showable}", skus);

    /// <summary>
    /// Products that stopped being showable since the shelves were read (ids only, in the product slot): usually
    /// none, found through the (tenant, updated_at) index.
    /// </summary>
    public int HiddenSince(DateTimeOffset since) =>
        Add($"SELECT {ProductColumns}, 0 FROM products p WHERE p.tenant_id = $1 AND p.updated_at > $2 AND NOT ({Showable})", since);

    /// <summary>What was viewed ('v') or bought ('b') together with the product, strongest first, with the count.</summary>
    public int Neighbours(char kind, Guid productId, int size = 50) =>
        Add($"""
            SELECT {ProductColumns}, c.weight FROM (
                SELECT product_b AS other, weight FROM co_occurrence WHERE tenant_id = $1 AND kind = $2::text::char AND product_a = $3
                UNION ALL
                SELECT product_a, weight FROM co_occurrence WHERE tenant_id = $1 AND kind = $2::text::char AND product_b = $3
            ) c
            JOIN products p ON p.tenant_id = $1 AND p.product_id = c.other
            WHERE {Showable}
            ORDER BY c.weight DESC, p.product_id LIMIT {size}
            """, kind.ToString(), productId);

    /// <summary>Products by id whatever their state: the context product and the recent items reasons point to.</summary>
    public int ById(Guid[] ids) => Add($"SELECT {ProductColumns}, 0 FROM products p WHERE p.tenant_id = $1 AND p.product_id = ANY($2)", ids);

    public IReadOnlyList<(CandidateProduct Product, double Weight)> this[int index] => _results[index];

    public async Task ExecuteAsync(NpgsqlTransaction transaction, CancellationToken cancellationToken)
    {
        if (_commands.Count == 0)
        {
            return;
        }

        await using var batch = new NpgsqlBatch(transaction.Connection, transaction);
        foreach (var command in _commands)
        {
            batch.BatchCommands.Add(command);
        }

        await using var reader = await batch.ExecuteReaderAsync(cancellationToken);
        for (var i = 0; i < _commands.Count; i++)
        {
            var rows = new List<(CandidateProduct, double)>();
            while (await reader.ReadAsync(cancellationToken))
            {
                rows.Add(Read(reader));
            }

            _results.Add(rows);
            await reader.NextResultAsync(cancellationToken);
        }
    }

    /// <summary>One row of <see cref="ProductColumns"/> followed by a weight.</summary>
    public static (CandidateProduct Product, double Weight) Read(NpgsqlDataReader reader) =>
        (new CandidateProduct(reader.GetGuid(0), reader.GetString(1), reader.GetString(2), reader.IsDBNull(3) ? null : reader.GetString(3), reader.GetString(4),
            reader.GetFieldValue<Guid[]>(5), reader.GetFieldValue<string[]>(6), reader.GetDecimal(7), reader.GetString(8), reader.IsDBNull(9) ? null : reader.GetString(9),
            reader.IsDBNull(10) ? null : reader.GetDouble(10), reader.GetBoolean(11)), Convert.ToDouble(reader.GetValue(12), System.Globalization.CultureInfo.InvariantCulture));

    private int Add(string sql, params object[] parameters)
    {
        var command = new NpgsqlBatchCommand(sql);
        command.Parameters.Add(new() { Value = tenantId });
        foreach (var parameter in parameters)
        {
            command.Parameters.Add(parameter switch
            {
                string text => new NpgsqlParameter { Value = text, NpgsqlDbType = NpgsqlDbType.Text },
                _ => new NpgsqlParameter { Value = parameter },
            });
        }

        _commands.Add(command);
        return _commands.Count - 1;
    }
}
