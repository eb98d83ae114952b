using MachCommerce.Catalog.Categories;
using MachCommerce.Catalog.Products;

namespace MachCommerce.Catalog.CentralAssortment;

/// <summary>
/// Keeps a member shop's copies of central products what they should be: the central product with the shop's
/// overrides, filed in the shop's copies of the central categories, for every central product a subscription
/// covers, and nothing else. Every path (subscribing, cancelling, overriding, a central change) ends here, so
/// they cannot disagree. The copies are written like any product (<see cref="ProductStore.WriteAsync"/>), so the
/// shop's search, events, webhooks and personalization treat them as its own.
/// </summary>
internal sealed partial class CentralSync(CatalogDatabase database, IEventOutbox outbox)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    /// <summary>
    /// Brings the member's copies of <paramref name="centralIds"/> up to date in one transaction, after
    /// <paramref name="first"/> (e.g. adding the subscription or the overrides) ran in it; <paramref name="first"/>
    /// returning a result ends the work there, rolled back.
    /// </summary>
    /// <param name="tree">The central category tree when the caller has read it already (a change spread to many members reads it once).</param>
    public async Task<(CentralSyncResult? Result, T? Refusal)> SyncAsync<T>(string member, string centralTenant, IReadOnlyCollection<Guid>? centralIds,
        Func<TenantScope, Task<T?>> first, CancellationToken cancellationToken, CentralTree? tree = null) where T : class
    {
        tree ??= await CentralTree.LoadAsync(database, centralTenant, cancellationToken);
        await using var db = await database.BeginAsync(member, cancellationToken);
        // One piece of work per shop at a time: two at once (a central change and a subscription) would both find
        // no copy, both insert one, and the second would take the first for a product of the shop's own.
        await using (var exclusive = db.Command("SELECT pg_advisory_xact_lock(hashtext('central-sync/' || $1))"))
        {
            exclusive.Parameters.Add(new() { Value = member });
            await exclusive.ExecuteNonQueryAsync(cancellationToken);
        }

        if (await first(db) is { } refusal)
        {
            return (null, refusal);
        }

        var subscriptions = await SubscriptionsAsync(db, centralTenant, cancellationToken);
        var coveredCategories = tree.Subtrees(subscriptions.Where(s => s.Kind == "category").Select(s => s.CentralId));
        var categoryCopies = await CentralCategories.CopyAsync(db, tree, coveredCategories, cancellationToken);
        var copies = await CopiesAsync(db, centralIds, cancellationToken);
        var ids = centralIds ?? [.. copies.Keys, .. (await ConflictsAsync(db, cancellationToken)).Select(c => c.CentralProductId)];

        var result = new Counts();
        foreach (var chunk in ids.Distinct().Chunk(500))
        {
            var centrals = (await ReadCentralAsync(centralTenant, chunk, cancellationToken)).ToDictionary(p => p.Id);
            var overrides = await OverridesAsync(db, chunk, cancellationToken);
            var existing = (await ProductStore.ExistingAsync(db, [.. chunk.Where(copies.ContainsKey).Select(id => copies[id])], [], cancellationToken)).ToDictionary(e => e.CentralId!.Value);
            var paths = await CategoryPaths.LoadAsync(db, [.. categoryCopies.Values], cancellationToken);
            var newCopies = new List<(Guid Id, Guid CentralId)>();
            foreach (var centralId in chunk)
            {
                var central = centrals.GetValueOrDefault(centralId);
                var before = existing.GetValueOrDefault(centralId);
                var covered = central is not null && (subscriptions.Any(s => s.Kind == "product" && s.CentralId == centralId) || central.CategoryPath.Any(coveredCategories.Contains));
                if (covered && (central!.Status == "published" || before is not null))
                {
                    if (await WriteCopyAsync(db, central, overrides.GetValueOrDefault(centralId), before, categoryCopies, paths, result, cancellationToken) is { } added)
                    {
                        newCopies.Add((added, centralId));
                    }
                }
                else if (before is not null)
                {
                    await RemoveCopyAsync(db, before, cancellationToken);
                    result.Removed++;
                }
                else
                {
                    await ForgetConflictAsync(db, centralId, cancellationToken);
                }
            }

            await MarkCopiesAsync(db, newCopies, cancellationToken);
        }

        await CentralCategories.RemoveUnneededAsync(db, coveredCategories, cancellationToken);
        await db.CommitAsync(cancellationToken);
        return (new CentralSyncResult(result.Added, result.Updated, result.Removed, result.Conflicts), null);
    }

    private sealed class Counts
    {
        public int Added;
        public int Updated;
        public int Removed;
        public List<CentralConflictView> Conflicts { get; } = [];
    }

    public sealed record Subscription(string Kind, Guid CentralId, DateTimeOffset CreatedAt);

    public static async Task<List<Subscription>> SubscriptionsAsync(TenantScope db, string centralTenant, CancellationToken cancellationToken)
    {
        await using var command = db.Command("SELECT kind, central_id, created_at FROM central_subscriptions WHERE tenant_id = $1 AND central_tenant = $2 ORDER BY created_at");
        command.Parameters.Add(new() { Value = db.TenantId });
        command.Parameters.Add(new() { Value = centralTenant });
        var subscriptions = new List<Subscription>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            subscriptions.Add(new Subscription(reader.GetString(0), reader.GetGuid(1), reader.GetFieldValue<DateTimeOffset>(2)));
        }

        return subscriptions;
    }

    /// <summary>The central products with these ids (any status), read in the central assortment's own tenant.</summary>
    private async Task<List<ProductRecord>> ReadCentralAsync(string centralTenant, IReadOnlyCollection<Guid> ids, CancellationToken cancellationToken)
    {
        await using var central = await database.BeginAsync(centralTenant, cancellationToken);
        return await ProductStore.FindManyAsync(central, ids, customerGroup: null, cancellationToken);
    }

    /// <summary>The shop's copies (central id → its product id): of <paramref name="centralIds"/>, or all when null.</summary>
    internal static async Task<Dictionary<Guid, Guid>> CopiesAsync(TenantScope db, IReadOnlyCollection<Guid>? centralIds, CancellationToken cancellationToken)
    {
        await using var command = db.Command("SELECT central_id, id FROM products WHERE tenant_id = $1 AND central_id IS NOT NULL AND ($2::uuid[] IS NULL OR central_id = ANY($2))");
        command.Parameters.Add(new() { Value = db.TenantId });
        command.Parameters.Add(new() { Value = (object?)centralIds?.ToArray() ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Uuid });
        var copies = new Dictionary<Guid, Guid>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            copies[reader.GetGuid(0)] = reader.GetGuid(1);
        }

        return copies;
    }

    private static async Task<Dictionary<Guid, CentralOverridesInput>> OverridesAsync(TenantScope db, IReadOnlyCollection<Guid> centralIds, CancellationToken cancellationToken)
    {
        await using var command = db.Command("SELECT central_id, overrides::text FROM central_overrides WHERE tenant_id = $1 AND central_id = ANY($2)");
        command.Parameters.Add(new() { Value = db.TenantId });
        command.Parameters.Add(new() { Value = centralIds.ToArray() });
        var overrides = new Dictionary<Guid, CentralOverridesInput>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            overrides[reader.GetGuid(0)] = JsonSerializer.Deserialize<CentralOverridesInput>(reader.GetString(1), Json)!;
        }

        return overrides;
    }

    /// <summary>Writes the shop's copy of a central product; returns the copy's id when it is new (to be marked as a copy with the chunk).</summary>
    private async Task<Guid?> WriteCopyAsync(TenantScope db, ProductRecord central, CentralOverridesInput? overrides, ExistingProduct? before,
        Dictionary<Guid, Guid> categoryCopies, Dictionary<Guid, Guid[]> paths, Counts result, CancellationToken cancellationToken)
    {
        var input = Merge(central, overrides, categoryCopies);
        var product = ProductValidator.Validate(input, []);
        if (product is null)
        {
            // The central product passed the same validation; only overrides written under older rules can fail it.
            product = ProductValidator.Validate(Merge(central, null, categoryCopies), [])!;
        }

        var categoryPath = CategoryPaths.PathOf(product.CategoryIds, paths, out _) ?? [];
        var id = before?.Id ?? Guid.CreateVersion7();
        var outcome = await ProductStore.WriteAsync(db, outbox, id, product, categoryPath, before, expectedVersion: null, cancellationToken);
        if (outcome.Failure == WriteFailure.Conflict)
        {
            var reason = $"Your shop has a product of its own with the {(outcome.ConflictField == "slug" ? $"slug {product.Slug}" : $"SKU {product.Sku}")}; it was left as it is.";
            result.Conflicts.Add(await RecordConflictAsync(db, central.Id, central.Sku, reason, cancellationToken));
            return null;
        }

        if (before is null)
        {
            result.Added++;
            return id;
        }

        result.Updated++;
        return null;
    }

    /// <summary>
    /// Marks new copies as copies of their central products and forgets the conflicts they settle, for a whole chunk
    /// in two statements (one pair per product made a large subscription a third slower).
    /// </summary>
    private static async Task MarkCopiesAsync(TenantScope db, List<(Guid Id, Guid CentralId)> copies, CancellationToken cancellationToken)
    {
        if (copies.Count == 0)
        {
            return;
        }

        await using var batch = new NpgsqlBatch(db.Connection, db.Transaction);
        var mark = new NpgsqlBatchCommand("UPDATE products p SET central_id = c.central_id FROM unnest($2::uuid[], $3::uuid[]) AS c(id, central_id) WHERE p.tenant_id = $1 AND p.id = c.id");
        var forget = new NpgsqlBatchCommand("DELETE FROM central_conflicts WHERE tenant_id = $1 AND central_id = ANY($2)");
        mark.Parameters.Add(new() { Value = db.TenantId });
        mark.Parameters.Add(new() { Value = copies.Select(c => c.Id).ToArray() });
        mark.Parameters.Add(new() { Value = copies.Select(c => c.CentralId).ToArray() });
        forget.Parameters.Add(new() { Value = db.TenantId });
        forget.Parameters.Add(new() { Value = copies.Select(c => c.CentralId).ToArray() });
        batch.BatchCommands.Add(mark);
        batch.BatchCommands.Add(forget);
        await batch.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>The central product as the shop's product input: its overrides applied, its categories the shop's copies of them.</summary>
    internal static ProductInput Merge(ProductRecord central, CentralOverridesInput? overrides, Dictionary<Guid, Guid> categoryCopies) => new()
    {
        Sku = central.Sku,
        Slug = central.Slug,
        Status = overrides?.Hidden == true && central.Status == "published" ? "draft" : central.Status,
        Brand = central.Brand,
        Name = Texts(central.Name, overrides?.Name),
        Description = Texts(central.Description, overrides?.Description),
        CategoryIds = [.. central.CategoryIds.Where(categoryCopies.ContainsKey).Select(c => categoryCopies[c])],
        Attributes = central.Attributes.EnumerateObject().ToDictionary(p => p.Name, p => p.Value.Clone()),
        Images = overrides?.Images ?? [.. central.Images.Select(i => new ImageInput { Url = i.Url, Alt = new(i.Alt) })],
        Variants = [.. central.Variants.Select(v =>
        {
            var own = overrides?.Variants?.GetValueOrDefault(v.Sku);
            return new VariantInput
            {
                Sku = v.Sku,
                Options = v.Options,
                OptionLabels = v.OptionLabels,
                PriceNet = own?.PriceNet ?? (own?.PriceGross is null ? v.PriceNet : null),
                PriceGross = own?.PriceNet is null ? own?.PriceGross : null,
                TaxRate = v.TaxRate,
                CompareAtNet = v.CompareAtNet,
                StockQuantity = own?.StockQuantity ?? v.StockQuantity,
                Backorderable = own?.Backorderable ?? v.Backorderable,
            };
        })],
    };

    /// <summary>The central texts with the shop's own in the languages it wrote one (a blank text follows the central one).</summary>
    private static Dictionary<string, string> Texts(Dictionary<string, string> central, Dictionary<string, string>? own)
    {
        var texts = new Dictionary<string, string>(central);
        foreach (var (language, text) in own ?? [])
        {
            if (!string.IsNullOrWhiteSpace(text))
            {
                texts[language] = text;
            }
        }

        return texts;
    }

    /// <summary>
    /// The validator's field paths of a merged product in the terms of the overrides the shop sent: a variant by
    /// its SKU (<c>variants[1].priceNet</c> → <c>variants.BM-2.priceNet</c>).
    /// </summary>
    internal static Dictionary<string, string[]> ErrorsOfOverrides(FieldErrors errors, ProductRecord central) =>
        errors.ToDictionary(e => VariantIndex().Replace(e.Key, m =>
            int.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture) is var index && index < central.Variants.Count
                ? $"variants.{central.Variants[index].Sku}"
                : m.Value), e => e.Value);

    [GeneratedRegex(@"^variants\[(\d+)\]")]
    private static partial Regex VariantIndex();

    private async Task RemoveCopyAsync(TenantScope db, ExistingProduct copy, CancellationToken cancellationToken)
    {
        // The shop's behaviour history (views, orders) of the product stays in personalization; only the product goes.
        if (await ProductStore.DeleteAsync(db, copy.Id, expectedVersion: null, cancellationToken) is { } sku)
        {
            await outbox.AddAsync(db.Transaction, new ProductArchived { TenantId = db.TenantId, OccurredAt = DateTimeOffset.UtcNow, ProductId = copy.Id, Sku = sku, Deleted = true },
                copy.Id.ToString(), cancellationToken);
        }

        await using var forget = db.Command("DELETE FROM central_overrides WHERE tenant_id = $1 AND central_id = $2");
        forget.Parameters.Add(new() { Value = db.TenantId });
        forget.Parameters.Add(new() { Value = copy.CentralId!.Value });
        await forget.ExecuteNonQueryAsync(cancellationToken);
    }

    private static async Task<CentralConflictView> RecordConflictAsync(TenantScope db, Guid centralId, string sku, string reason, CancellationToken cancellationToken)
    {
        await using var command = db.Command("""
            INSERT INTO central_conflicts (tenant_id, central_id, sku, reason) VALUES ($1, $2, $3, $4)
            ON CONFLICT (tenant_id, central_id) DO UPDATE SET sku = EXCLUDED.sku, reason = EXCLUDED.reason
            RETURNING detected_at
            """);
        command.Parameters.Add(new() { Value = db.TenantId });
        command.Parameters.Add(new() { Value = centralId });
        command.Parameters.Add(new() { Value = sku });
        command.Parameters.Add(new() { Value = reason });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        await reader.ReadAsync(cancellationToken);
        return new CentralConflictView(centralId, sku, reason, reader.GetFieldValue<DateTimeOffset>(0));
    }

    /// <summary>The central products the shop could not take, by SKU.</summary>
    internal static async Task<List<CentralConflictView>> ConflictsAsync(TenantScope db, CancellationToken cancellationToken)
    {
        await using var command = db.Command("SELECT central_id, sku, reason, detected_at FROM central_conflicts WHERE tenant_id = $1 ORDER BY sku");
        command.Parameters.Add(new() { Value = db.TenantId });
        var conflicts = new List<CentralConflictView>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            conflicts.Add(new CentralConflictView(reader.GetGuid(0), reader.GetString(1), reader.GetString(2), reader.GetFieldValue<DateTimeOffset>(3)));
        }

        return conflicts;
    }

    private static async Task ForgetConflictAsync(TenantScope db, Guid centralId, CancellationToken cancellationToken)
    {
        await using var command = db.Command("DELETE FROM central_conflicts WHERE tenant_id = $1 AND central_id = $2");
        command.Parameters.Add(new() { Value = db.TenantId });
        command.Parameters.Add(new() { Value = centralId });
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

}
