namespace MachCommerce.Personalization.Decisions;

/// <summary>
/// One tenant's shelves: for every category (ancestors included) and every brand, its most popular showable
/// products, and the overall bestsellers. <see cref="LoadedAt"/> is ten seconds before the snapshot the shelves
/// were read from (a product write that started earlier but committed later is still caught): whatever became
/// unshowable after it is checked against the database by every decision.
/// </summary>
internal sealed class Shelves(DateTimeOffset loadedAt, Dictionary<Guid, List<CandidateProduct>> byCategory, Dictionary<string, List<CandidateProduct>> byBrand,
    List<CandidateProduct> top)
{
    public DateTimeOffset LoadedAt { get; } = loadedAt;

    /// <summary>
    /// The candidates for a selection: the most popular products of its categories and brands, merged by
    /// popularity; no selection at all means the overall bestsellers. Products named by SKU are not on shelves
    /// (any product can be named); the caller looks them up and adds them.
    /// </summary>
    public IEnumerable<CandidateProduct> Pool(IReadOnlyCollection<Guid> categoryIds, IReadOnlyCollection<string> brands, bool hasSkus, int size)
    {
        if (categoryIds.Count + brands.Count == 0)
        {
            return hasSkus ? [] : top.Take(size);
        }

        return categoryIds.SelectMany(c => byCategory.GetValueOrDefault(c) ?? [])
            .Concat(brands.SelectMany(b => byBrand.GetValueOrDefault(b.ToLowerInvariant()) ?? []))
            .DistinctBy(p => p.ProductId)
            .OrderByDescending(p => p.Trend ?? double.MinValue).ThenBy(p => p.ProductId)
            .Take(size);
    }
}

/// <summary>
/// Keeps each tenant's <see cref="Shelves"/> in memory, so a decision picks its candidate products without asking
/// PostgreSQL to sort thousands of products by popularity for every offer (measured: that was most of a decision's
/// time at 100,000 products). Shelves are rebuilt in the background every <see cref="PersonalizationOptions.ShelfRefreshInterval"/>;
/// decisions meanwhile use the previous ones and exclude whatever became unavailable since (one cheap indexed query).
/// Products new since the last rebuild appear with the next one. Memory: at most <see cref="ShelfSize"/> products per
/// category and brand of each tenant that asked for decisions.
/// </summary>
internal sealed class ProductShelves(PersonalizationDatabase database, IOptions<PersonalizationOptions> options, TimeProvider time, ILogger<ProductShelves> logger)
{
    public const int ShelfSize = 200;

    private sealed class Entry
    {
        public required Task<Shelves> Current;
        public required DateTimeOffset RequestedAt;
        public int Refreshing;
    }

    private readonly ConcurrentDictionary<string, Entry> _entries = new(StringComparer.Ordinal);

    public async ValueTask<Shelves> GetAsync(string tenantId, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var entry = _entries.GetOrAdd(tenantId, id => new Entry { Current = LoadAsync(id), RequestedAt = now });
        if (entry.Current.IsFaulted || entry.Current.IsCanceled)
        {
            entry = _entries[tenantId] = new Entry { Current = LoadAsync(tenantId), RequestedAt = now };
        }
        else if (entry.Current.IsCompletedSuccessfully && now - entry.RequestedAt > options.Value.ShelfRefreshInterval && Interlocked.Exchange(ref entry.Refreshing, 1) == 0)
        {
            _ = RefreshAsync(tenantId, now);
        }

        return await entry.Current.WaitAsync(cancellationToken);
    }

    /// <summary>Forgets the tenant's shelves, so the next decision loads fresh ones (tests, and a catalog import).</summary>
    public void Invalidate(string tenantId) => _entries.TryRemove(tenantId, out _);

    private async Task RefreshAsync(string tenantId, DateTimeOffset requestedAt)
    {
        try
        {
            var shelves = await LoadAsync(tenantId);
            _entries[tenantId] = new Entry { Current = Task.FromResult(shelves), RequestedAt = requestedAt };
        }
        catch (Exception e) when (e is NpgsqlException or TimeoutException)
        {
            // Keep serving the old shelves; the next decision after the interval tries again.
            logger.LogWarning(e, "Could not rebuild the product shelves of {TenantId}", tenantId);
            if (_entries.TryGetValue(tenantId, out var entry))
            {
                entry.RequestedAt = requestedAt;
                entry.Refreshing = 0;
            }
        }
    }

    private async Task<Shelves> LoadAsync(string tenantId)
    {
        await using var db = await database.BeginReadAsync(tenantId, CancellationToken.None);
        DateTimeOffset snapshot;
        await using (var clock = new NpgsqlCommand("SELECT now() - interval '10 seconds'", db.Connection, db.Transaction))
        await using (var moment = await clock.ExecuteReaderAsync())
        {
            await moment.ReadAsync();
            snapshot = moment.GetFieldValue<DateTimeOffset>(0);
        }

        var byCategory = new Dictionary<Guid, List<CandidateProduct>>();
        var byBrand = new Dictionary<string, List<CandidateProduct>>(StringComparer.Ordinal);
        var top = new List<CandidateProduct>();
        await using var command = new NpgsqlCommand($"""
            SELECT {ProductCandidates.ProductColumns}, 0 FROM products p
            WHERE p.tenant_id = $1 AND {ProductCandidates.Showable} ORDER BY p.trend DESC NULLS LAST, p.product_id
            """, db.Connection, db.Transaction);
        command.Parameters.Add(new() { Value = tenantId });
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            // Most popular first, so each shelf fills with its bestsellers and then stops taking.
            var product = ProductCandidates.Read(reader).Product;
            if (top.Count < ShelfSize)
            {
                top.Add(product);
            }

            foreach (var category in product.CategoryIds)
            {
                Put(byCategory, category, product);
            }

            if (product.Brand is { } brand)
            {
                Put(byBrand, brand.ToLowerInvariant(), product);
            }
        }

        return new Shelves(snapshot, byCategory, byBrand, top);
    }

    private static void Put<TKey>(Dictionary<TKey, List<CandidateProduct>> shelves, TKey key, CandidateProduct product) where TKey : notnull
    {
        if (!shelves.TryGetValue(key, out var shelf))
        {
            shelves[key] = shelf = [];
        }

        if (shelf.Count < ShelfSize)
        {
            shelf.Add(product);
        }
    }
}
