using System.Collections.Concurrent;

namespace MachCommerce.Catalog.Search;

/// <summary>
/// The search indexes of the tenants this replica serves. A tenant's index is built in the background on its first
/// search (which PostgreSQL answers if the build takes longer than <see cref="CatalogOptions.SearchIndexWait"/>), brought up to date before each search, rebuilt when a third of it
/// is replaced products, and dropped after <see cref="IdleLimit"/> without a search, so memory goes to the tenants
/// that search. A cooperative's joint search has one of its own over all its member shops' products
/// (<see cref="ForMembersAsync"/>), kept the same way.
/// </summary>
internal sealed class SearchIndexes(NpgsqlDataSource dataSource, IOptions<CatalogOptions> options, TimeProvider time, ILogger<SearchIndexes> logger)
{
    public static readonly TimeSpan IdleLimit = TimeSpan.FromMinutes(30);

    private readonly ConcurrentDictionary<string, Entry> _entries = new(StringComparer.Ordinal);

    private sealed class Entry
    {
        public SearchIndex? Index;
        public Task? Building;
        public long LastUsed;
    }

    /// <summary>
    /// The tenant's index, starting its build if there is none: a search waits up to
    /// <see cref="CatalogOptions.SearchIndexWait"/> for a build (a small shop's is built well within it), and gets
    /// null after that (or when the index is switched off): PostgreSQL answers it then.
    /// </summary>
    public Task<SearchIndex?> ForAsync(string tenantId, CancellationToken cancellationToken) => ForAsync(tenantId, [tenantId], cancellationToken);

    /// <summary>The index over these member shops' products together (the joint search's); another set of members is another index.</summary>
    public Task<SearchIndex?> ForMembersAsync(string[] members, CancellationToken cancellationToken)
    {
        var sorted = members.Order(StringComparer.Ordinal).ToArray();
        return ForAsync("joint:" + string.Join(',', sorted), sorted, cancellationToken);
    }

    private async Task<SearchIndex?> ForAsync(string key, string[] tenants, CancellationToken cancellationToken)
    {
        if (!options.Value.SearchIndex)
        {
            return null;
        }

        var now = time.GetTimestamp();
        DropIdle(now);
        var entry = _entries.GetOrAdd(key, _ => new Entry());
        Volatile.Write(ref entry.LastUsed, now);
        var index = entry.Index;
        Task? building;
        lock (entry)
        {
            if ((index is null || index.Stale > Math.Max(1_000, index.Count / 2)) && entry.Building is null)
            {
                entry.Building = Task.Run(() => BuildAsync(tenants, entry), CancellationToken.None);
            }

            building = entry.Building;
        }

        if (index is null && building is not null)
        {
            await Task.WhenAny(building, Task.Delay(options.Value.SearchIndexWait, time, cancellationToken));
            cancellationToken.ThrowIfCancellationRequested();
            index = entry.Index;
        }

        return index;
    }

    /// <summary>
    /// Reads what changed since the index last looked (products written, products deleted) in the search's own
    /// transaction and applies it, together with the query words' German and English stems (one round trip).
    /// </summary>
    public static async Task<(string German, string English)?> RefreshAsync(SearchIndex index, TenantScope db, string? tsQuery, CancellationToken cancellationToken)
    {
        var seen = index.Current;
        var since = seen.Watermark.ToString(System.Globalization.CultureInfo.InvariantCulture);
        await using var batch = new NpgsqlBatch(db.Connection, db.Transaction)
        {
            BatchCommands =
            {
                Command(Watermark, []),
                Command($"SELECT {SearchIndex.Columns} FROM products p WHERE p.tenant_id = ANY($1) AND p.change_xid >= $2::xid8", [index.Tenants, since]),
                Command("SELECT product_id FROM product_removals WHERE tenant_id = ANY($1) AND change_xid >= $2::xid8", [index.Tenants, since]),
            },
        };
        if (tsQuery is not null)
        {
            batch.BatchCommands.Add(Command("SELECT to_tsquery('german', $1)::text, to_tsquery('english', $1)::text", [tsQuery]));
        }

        await using var reader = await batch.ExecuteReaderAsync(cancellationToken);
        await reader.ReadAsync(cancellationToken);
        var watermark = ulong.Parse(reader.GetString(0), System.Globalization.CultureInfo.InvariantCulture);
        await reader.NextResultAsync(cancellationToken);
        var changed = new List<SearchIndex.Product>();
        while (await reader.ReadAsync(cancellationToken))
        {
            changed.Add(SearchIndex.Read(reader));
        }

        await reader.NextResultAsync(cancellationToken);
        var removed = new List<Guid>();
        while (await reader.ReadAsync(cancellationToken))
        {
            removed.Add(reader.GetGuid(0));
        }

        (string, string)? stems = null;
        if (tsQuery is not null)
        {
            await reader.NextResultAsync(cancellationToken);
            await reader.ReadAsync(cancellationToken);
            stems = (reader.GetString(0), reader.GetString(1));
        }

        index.Apply(seen, removed, changed, watermark);

        return stems;
    }

    /// <summary>The oldest transaction still running: changes from it on are read (again) at the next look.</summary>
    private const string Watermark = "SELECT pg_snapshot_xmin(pg_current_snapshot())::text";

    private static NpgsqlBatchCommand Command(string sql, object[] values)
    {
        var command = new NpgsqlBatchCommand(sql);
        foreach (var value in values)
        {
            command.Parameters.Add(new NpgsqlParameter { Value = value });
        }

        return command;
    }

    private async Task BuildAsync(string[] tenants, Entry entry)
    {
        var name = tenants.Length == 1 ? $"tenant {tenants[0]}" : $"{tenants.Length} member shops (joint search)";
        try
        {
            var started = time.GetTimestamp();
            await using var db = await TenantScope.BeginAsync(dataSource, tenants[0], role: null, CatalogDatabase.Schema);
            // Deleted products' ids are needed only by indexes that looked within the idle limit; older ones go.
            await using (var prune = db.Command("DELETE FROM product_removals WHERE tenant_id = ANY($1) AND removed_at < now() - $2::interval"))
            {
                prune.Parameters.Add(new() { Value = tenants });
                prune.Parameters.Add(new() { Value = IdleLimit * 2 });
                await prune.ExecuteNonQueryAsync();
            }

            // The watermark first: whatever commits while the products are read is read again on the next look.
            ulong watermark;
            await using (var snapshot = db.Command(Watermark))
            {
                watermark = ulong.Parse((string)(await snapshot.ExecuteScalarAsync())!, System.Globalization.CultureInfo.InvariantCulture);
            }

            var index = new SearchIndex(tenants, watermark);
            var products = new List<SearchIndex.Product>();
            await using (var command = db.Command($"SELECT {SearchIndex.Columns} FROM products p WHERE p.tenant_id = ANY($1)"))
            {
                command.Parameters.Add(new() { Value = tenants });
                await using var reader = await command.ExecuteReaderAsync();
                while (await reader.ReadAsync())
                {
                    products.Add(SearchIndex.Read(reader));
                }
            }

            await db.Transaction.CommitAsync();
            index.Apply(index.Current, [], products, watermark);
            entry.Index = index;
            logger.LogInformation("Search index of {Tenants} built: {Products} products in {Elapsed} ms", name, index.Count,
                (int)time.GetElapsedTime(started).TotalMilliseconds);
        }
        catch (Exception exception) when (exception is NpgsqlException or InvalidOperationException or TimeoutException)
        {
            // Searches go on in PostgreSQL; the next one tries again.
            logger.LogWarning(exception, "Building the search index of {Tenants} failed", name);
        }
        finally
        {
            lock (entry)
            {
                entry.Building = null;
            }
        }
    }

    private long _lastSweep;

    private void DropIdle(long now)
    {
        var last = Interlocked.Read(ref _lastSweep);
        if (time.GetElapsedTime(last, now) < TimeSpan.FromMinutes(1) || Interlocked.CompareExchange(ref _lastSweep, now, last) != last)
        {
            return;
        }

        foreach (var (tenant, entry) in _entries)
        {
            if (time.GetElapsedTime(Volatile.Read(ref entry.LastUsed), now) > IdleLimit && entry.Building is null)
            {
                _entries.TryRemove(new KeyValuePair<string, Entry>(tenant, entry));
            }
        }
    }
}
