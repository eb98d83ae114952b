using System.Collections.Frozen;

namespace MachCommerce.Catalog.Products;

/// <summary>What is stored of a product before a write: enough to choose its events and detect stale versions.</summary>
/// <param name="CentralId">The central product this is the shop's copy of (the cooperative's central assortment), if it is one.</param>
internal sealed record ExistingProduct(Guid Id, string Sku, int Version, string Status, Dictionary<string, decimal> PricesBySku, Guid? CentralId = null);

/// <summary>Why a write did not happen, in terms the API turns into 404, 409 or 412.</summary>
internal enum WriteFailure { None, NotFound, StaleVersion, Conflict }

internal sealed record WriteOutcome(WriteFailure Failure, int Version = 0, string? ConflictField = null, string? ConflictReason = null);

/// <summary>The SQL of products and variants. Every statement names the tenant; row-level security checks it again.</summary>
internal static class ProductStore
{
    /// <summary>The tenant's product whose <paramref name="column"/> (id, sku or slug) equals <paramref name="value"/>, with its variants, in a scope (e.g. a write's).</summary>
    public static async Task<ProductRecord?> FindAsync(TenantScope db, string column, object value, string? customerGroup, CancellationToken cancellationToken) =>
        (await db.ReadAsync(Query(db.TenantId, column, value, customerGroup), ProductRecord.ReadAllAsync, cancellationToken)).Values.FirstOrDefault();

    /// <summary>The same as a read of its own: one round trip to PostgreSQL, row-level security included.</summary>
    public static async Task<ProductRecord?> FindAsync(CatalogDatabase database, RequestIdentity identity, string column, object value, string? customerGroup,
        CancellationToken cancellationToken) =>
        (await database.ReadAsync(identity, Query(identity.TenantId, column, value, customerGroup), ProductRecord.ReadAllAsync, cancellationToken))
            .Values.FirstOrDefault();

    /// <summary>The tenant's products among <paramref name="ids"/>, with their variants, in the order of the ids (each once; those not found left out), in a scope.</summary>
    public static async Task<List<ProductRecord>> FindManyAsync(TenantScope db, IReadOnlyCollection<Guid> ids, string? customerGroup, CancellationToken cancellationToken) =>
        InOrder(ids, await db.ReadAsync(Query(db.TenantId, column: null, ids.ToArray(), customerGroup), ProductRecord.ReadAllAsync, cancellationToken));

    /// <summary>The same as a read of its own: one round trip to PostgreSQL, row-level security included.</summary>
    public static async Task<List<ProductRecord>> FindManyAsync(CatalogDatabase database, RequestIdentity identity, IReadOnlyCollection<Guid> ids, string? customerGroup,
        CancellationToken cancellationToken) =>
        InOrder(ids, await database.ReadAsync(identity, Query(identity.TenantId, column: null, ids.ToArray(), customerGroup), ProductRecord.ReadAllAsync, cancellationToken));

    /// <summary>
    /// <see cref="ProductRecord.Select"/> for the products whose <paramref name="column"/> (id, sku or slug) equals
    /// <paramref name="value"/>, or whose id is among the ids <paramref name="value"/> holds when no column is given.
    /// The texts are built once: each is prepared once per pooled connection, and PostgreSQL neither parses nor plans
    /// it again.
    /// </summary>
    private static NpgsqlBatchCommand Query(string tenantId, string? column, object value, string? customerGroup) => new(column is null ? ByIds : ByColumn[column])
    {
        Parameters = { new() { Value = tenantId }, new() { Value = value }, new() { Value = (object?)customerGroup ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Text } },
    };

    private static readonly string ByIds = ProductRecord.Select("p.id = ANY($2)", "v.product_id = ANY($2)", "$3");

    private static readonly FrozenDictionary<string, string> ByColumn = new[] { "id", "sku", "slug" }.ToFrozenDictionary(column => column, column =>
        ProductRecord.Select($"p.{column} = $2", $"v.product_id IN (SELECT p.id FROM catalog.products p WHERE p.tenant_id = $1 AND p.{column} = $2)", "$3"));

    private static List<ProductRecord> InOrder(IReadOnlyCollection<Guid> ids, Dictionary<Guid, ProductRecord> found) =>
        [.. ids.Distinct().Where(found.ContainsKey).Select(id => found[id])];

    /// <summary>The stored state of the products with these ids or SKUs (for upserts and events).</summary>
    public static async Task<List<ExistingProduct>> ExistingAsync(TenantScope db, Guid[] ids, string[] skus, CancellationToken cancellationToken)
    {
        await using var command = db.Command(
            """
            SELECT p.id, p.sku, p.version, p.status,
                   coalesce(json_object_agg(v.sku, v.price_net) FILTER (WHERE v.sku IS NOT NULL), '{}')::text, p.central_id
              FROM products p LEFT JOIN variants v ON v.product_id = p.id
             WHERE p.tenant_id = $1 AND (p.id = ANY($2) OR p.sku = ANY($3))
             GROUP BY p.id
            """);
        command.Parameters.Add(new() { Value = db.TenantId });
        command.Parameters.Add(new() { Value = ids });
        command.Parameters.Add(new() { Value = skus });
        var existing = new List<ExistingProduct>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            existing.Add(new ExistingProduct(reader.GetGuid(0), reader.GetString(1), reader.GetInt32(2), reader.GetString(3),
                JsonSerializer.Deserialize<Dictionary<string, decimal>>(reader.GetString(4))!, reader.IsDBNull(5) ? null : reader.GetGuid(5)));
        }

        return existing;
    }

    /// <summary>
    /// Inserts (when <paramref name="existing"/> is null) or replaces a product with its variants, then adds its
    /// events to the outbox, all in the scope's transaction. <paramref name="expectedVersion"/> guards a replace.
    /// A conflict (SKU or slug taken) rolls back only this product's savepoint.
    /// </summary>
    public static async Task<WriteOutcome> WriteAsync(TenantScope db, IEventOutbox outbox, Guid id, ValidProduct product, Guid[] categoryPath,
        ExistingProduct? existing, int? expectedVersion, CancellationToken cancellationToken)
    {
        await db.Transaction.SaveAsync(Savepoint, cancellationToken);
        var batch = new NpgsqlBatch(db.Connection, db.Transaction);
        var write = new NpgsqlBatchCommand(existing is null
            ? """
              INSERT INTO products (id, tenant_id, sku, slug, status, brand, name, description, attributes, images, category_ids, category_path,
                                    min_price_gross, available, attribute_text, search_folded, name_sort)
              VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17)
              RETURNING version
              """
            : """
              UPDATE products SET sku = $3, slug = $4, status = $5, brand = $6, name = $7, description = $8, attributes = $9, images = $10,
                     category_ids = $11, category_path = $12, min_price_gross = $13, available = $14, attribute_text = $15,
                     search_folded = $16, name_sort = $17, version = version + 1, updated_at = now()
               WHERE id = $1 AND tenant_id = $2 AND ($18::int IS NULL OR version = $18)
              RETURNING version
              """);
        AddParameters(write.Parameters, db.TenantId, id, product, categoryPath);
        if (existing is not null)
        {
            write.Parameters.Add(new() { Value = (object?)expectedVersion ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Integer });
        }

        batch.BatchCommands.Add(write);
        if (existing is not null)
        {
            var delete = new NpgsqlBatchCommand("DELETE FROM variants WHERE product_id = $1 AND tenant_id = $2");
            delete.Parameters.Add(new() { Value = id });
            delete.Parameters.Add(new() { Value = db.TenantId });
            batch.BatchCommands.Add(delete);
        }

        batch.BatchCommands.Add(InsertVariants(db.TenantId, id, product.Variants));

        int version;
        try
        {
            await using var batchDisposal = batch;
            await using var reader = await batch.ExecuteReaderAsync(cancellationToken);
            if (!await reader.ReadAsync(cancellationToken))
            {
                await reader.DisposeAsync();
                await RollbackAsync(db, cancellationToken);
                return new WriteOutcome(WriteFailure.StaleVersion);
            }

            version = reader.GetInt32(0);
            while (await reader.NextResultAsync(cancellationToken))
            {
                // run the variants' statements to the end, so their errors surface here
            }
        }
        catch (PostgresException exception) when (exception.SqlState == PostgresErrorCodes.ForeignKeyViolation)
        {
            await RollbackAsync(db, cancellationToken); // deleted by someone else meanwhile
            return new WriteOutcome(WriteFailure.StaleVersion);
        }
        catch (PostgresException exception) when (exception.SqlState == PostgresErrorCodes.UniqueViolation)
        {
            await RollbackAsync(db, cancellationToken);
            return exception.ConstraintName switch
            {
                "products_tenant_id_slug_key" => new WriteOutcome(WriteFailure.Conflict, ConflictField: "slug", ConflictReason: $"the slug {product.Slug} belongs to another product."),
                "variants_tenant_id_sku_key" => new WriteOutcome(WriteFailure.Conflict, ConflictField: "variants", ConflictReason: "a variant SKU belongs to another product."),
                _ => new WriteOutcome(WriteFailure.Conflict, ConflictField: "sku", ConflictReason: $"the SKU {product.Sku} belongs to another product."),
            };
        }

        await db.Transaction.ReleaseAsync(Savepoint, cancellationToken);
        foreach (var integrationEvent in ProductEvents.For(db.TenantId, id, product, categoryPath, version, existing))
        {
            await outbox.AddAsync(db.Transaction, integrationEvent, id.ToString(), cancellationToken);
        }

        return new WriteOutcome(WriteFailure.None, version);
    }

    private const string Savepoint = "product_write";

    private static Task RollbackAsync(TenantScope db, CancellationToken cancellationToken) => db.Transaction.RollbackAsync(Savepoint, cancellationToken);

    private static void AddParameters(NpgsqlParameterCollection parameters, string tenantId, Guid id, ValidProduct product, Guid[] categoryPath)
    {
        parameters.Add(new() { Value = id });
        parameters.Add(new() { Value = tenantId });
        parameters.Add(new() { Value = product.Sku });
        parameters.Add(new() { Value = product.Slug });
        parameters.Add(new() { Value = product.Status });
        parameters.Add(new() { Value = (object?)product.Brand ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Text });
        parameters.Add(new() { Value = JsonSerializer.Serialize(product.Name), NpgsqlDbType = NpgsqlDbType.Jsonb });
        parameters.Add(new() { Value = JsonSerializer.Serialize(product.Description), NpgsqlDbType = NpgsqlDbType.Jsonb });
        parameters.Add(new() { Value = product.AttributesJson, NpgsqlDbType = NpgsqlDbType.Jsonb });
        parameters.Add(new() { Value = product.ImagesJson, NpgsqlDbType = NpgsqlDbType.Jsonb });
        parameters.Add(new() { Value = product.CategoryIds.ToArray() });
        parameters.Add(new() { Value = categoryPath });
        parameters.Add(new() { Value = product.MinPriceGross });
        parameters.Add(new() { Value = product.Available });
        parameters.Add(new() { Value = product.AttributeText });
        parameters.Add(new() { Value = product.SearchFolded });
        parameters.Add(new() { Value = product.NameSort });
    }

    private static NpgsqlBatchCommand InsertVariants(string tenantId, Guid productId, IReadOnlyList<ValidVariant> variants)
    {
        var command = new NpgsqlBatchCommand(
            """
            INSERT INTO variants (id, tenant_id, product_id, sku, position, options, price_net, tax_rate, compare_at_net, stock_quantity, backorderable, option_labels)
            SELECT v.id, $1, $2, v.sku, v.position, v.options, v.price_net, v.tax_rate, v.compare_at_net, v.stock_quantity, v.backorderable, v.option_labels
              FROM unnest($3::uuid[], $4::text[], $5::int[], $6::jsonb[], $7::numeric[], $8::numeric[], $9::numeric[], $10::int[], $11::bool[], $12::jsonb[])
                   AS v(id, sku, position, options, price_net, tax_rate, compare_at_net, stock_quantity, backorderable, option_labels)
            """);
        command.Parameters.Add(new() { Value = tenantId });
        command.Parameters.Add(new() { Value = productId });
        command.Parameters.Add(new() { Value = variants.Select(_ => Guid.CreateVersion7()).ToArray() });
        command.Parameters.Add(new() { Value = variants.Select(v => v.Sku).ToArray() });
        command.Parameters.Add(new() { Value = Enumerable.Range(0, variants.Count).ToArray() });
        command.Parameters.Add(new() { Value = variants.Select(v => v.OptionsJson).ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Jsonb });
        command.Parameters.Add(new() { Value = variants.Select(v => v.PriceNet).ToArray() });
        command.Parameters.Add(new() { Value = variants.Select(v => v.TaxRate).ToArray() });
        command.Parameters.Add(new() { Value = variants.Select(v => v.CompareAtNet).ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Numeric });
        command.Parameters.Add(new() { Value = variants.Select(v => v.StockQuantity).ToArray() });
        command.Parameters.Add(new() { Value = variants.Select(v => v.Backorderable).ToArray() });
        command.Parameters.Add(new() { Value = variants.Select(v => v.OptionLabelsJson).ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Jsonb });
        return command;
    }

    /// <summary>Sets a product's status (archive) with its event; 0 rows when missing or stale.</summary>
    public static async Task<int?> SetStatusAsync(TenantScope db, Guid id, string status, int? expectedVersion, CancellationToken cancellationToken)
    {
        await using var command = db.Command(
            "UPDATE products SET status = $3, version = version + 1, updated_at = now() WHERE id = $1 AND tenant_id = $2 AND ($4::int IS NULL OR version = $4) RETURNING version");
        command.Parameters.Add(new() { Value = id });
        command.Parameters.Add(new() { Value = db.TenantId });
        command.Parameters.Add(new() { Value = status });
        command.Parameters.Add(new() { Value = (object?)expectedVersion ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Integer });
        return await command.ExecuteScalarAsync(cancellationToken) as int?;
    }

    public static async Task<string?> DeleteAsync(TenantScope db, Guid id, int? expectedVersion, CancellationToken cancellationToken)
    {
        await using var command = db.Command("DELETE FROM products WHERE id = $1 AND tenant_id = $2 AND ($3::int IS NULL OR version = $3) RETURNING sku");
        command.Parameters.Add(new() { Value = id });
        command.Parameters.Add(new() { Value = db.TenantId });
        command.Parameters.Add(new() { Value = (object?)expectedVersion ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Integer });
        return await command.ExecuteScalarAsync(cancellationToken) as string;
    }
}
