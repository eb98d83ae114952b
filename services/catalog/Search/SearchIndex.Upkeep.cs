namespace MachCommerce.Catalog.Search;

/// <summary>
/// The index's upkeep: products read from PostgreSQL's rows and taken in (added, replaced, removed), and where the
/// next look at the catalog starts.
/// </summary>
internal sealed partial class SearchIndex
{
    /// <summary>
    /// Where the next look at the catalog starts: changes from transactions at or after <see cref="Watermark"/> have not
    /// been read yet (or may be read again); <see cref="Looks"/> counts the looks taken in, so a look can tell whether
    /// another one was taken in while it read. A new position replaces the old one whole.
    /// </summary>
    public sealed record Position(ulong Watermark, long Looks);

    public Position Current => Volatile.Read(ref _position);

    /// <summary>Reads a row of <see cref="Columns"/>.</summary>
    public static Product Read(NpgsqlDataReader reader)
    {
        var id = reader.GetGuid(0);
        Span<byte> bytes = stackalloc byte[16];
        id.TryWriteBytes(bytes, bigEndian: true, out _);
        return new Product(
            id,
            System.Buffers.Binary.BinaryPrimitives.ReadUInt128BigEndian(bytes), // PostgreSQL orders uuids by their bytes
            reader.GetString(1),
            reader.IsDBNull(2) ? null : reader.GetString(2),
            reader.GetFieldValue<Guid[]>(3),
            reader.GetFieldValue<Guid[]>(4),
            reader.GetDecimal(5),
            reader.GetBoolean(6),
            reader.GetString(7),
            ReadAttributes(reader.GetString(8)),
            ReadVector(reader.GetString(9)),
            reader.GetString(10));
    }

    /// <summary>
    /// Takes in a look at the catalog that started at <paramref name="seen"/> and read up to <paramref name="watermark"/>:
    /// adds or replaces products, drops removed ones, and moves the position on.
    /// </summary>
    public void Apply(Position seen, IReadOnlyList<Guid> removed, IReadOnlyList<Product> changed, ulong watermark)
    {
        if (removed.Count == 0 && changed.Count == 0)
        {
            // Nothing changed since the look's start: only the watermark moves, and without the lock, so the many searches
            // that find nothing new do not queue behind each other. If another look was taken in meanwhile, its position
            // stands (this one adds nothing to it) and a later look moves it on.
            if (watermark > seen.Watermark)
            {
                Interlocked.CompareExchange(ref _position, new Position(watermark, seen.Looks + 1), seen);
            }

            return;
        }

        _lock.EnterWriteLock();
        try
        {
            foreach (var id in removed)
            {
                Remove(id);
            }

            foreach (var product in changed)
            {
                Remove(product.Id);
                var ordinal = _ids.Count;
                Add(product);
                _ordinals[product.Id] = ordinal;
                foreach (var (lexeme, score) in product.Lexemes)
                {
                    if (!_lexemeIds.TryGetValue(lexeme, out var lexemeId))
                    {
                        lexemeId = _lexemes.Count;
                        _lexemeIds[lexeme] = lexemeId;
                        _lexemes.Add(lexeme);
                        _postings.Add([]);
                        _lexemesSorted = false;
                    }

                    _postings[lexemeId].Add(new Posting(ordinal, score));
                }

            }

            MoveOn(seen, watermark);
        }
        finally
        {
            _lock.ExitWriteLock();
        }
    }

    /// <summary>
    /// The next look's start after a look that started at <paramref name="seen"/> was taken in. Alone, the look
    /// brought the index up to its watermark. If another was taken in while it read, the two read at different
    /// moments, and the older one may have put back a product's earlier version over a newer one; that newer version
    /// was written at or after the older look's watermark, so the lower of the two watermarks reads it again.
    /// </summary>
    private void MoveOn(Position seen, ulong watermark)
    {
        while (true)
        {
            var now = Volatile.Read(ref _position);
            var next = new Position(ReferenceEquals(now, seen) ? watermark : Math.Min(now.Watermark, watermark), now.Looks + 1);
            if (ReferenceEquals(Interlocked.CompareExchange(ref _position, next, now), now))
            {
                return;
            }
        }
    }

    private void Add(Product product)
    {
        _ids.Add(product.Id);
        _order.Add(product.Order);
        _removed.Add(false);
        _status.Add(_statuses.IdOf(product.Status));
        _brand.Add(product.Brand is null ? -1 : _brands.IdOf(product.Brand));
        _sku.Add(_skus.IdOf(product.Sku));
        _price.Add(product.MinPrice);
        // width_bucket: how many bounds are at or below the price.
        _bucket.Add((byte)SearchApi.PriceBounds.Count(bound => bound <= product.MinPrice));
        _available.Add(product.Available);
        _nameSort.Add(product.NameSort);
        _categoriesStart.Add(_categoryRefs.Count);
        _categoriesCount.Add(product.CategoryIds.Length);
        _pathCount.Add(product.CategoryPath.Length);
        _categoryRefs.AddRange(product.CategoryIds.Select(_categories.IdOf));
        _categoryRefs.AddRange(product.CategoryPath.Select(_categories.IdOf));
        _attributesStart.Add(_attributeRefs.Count);
        foreach (var (name, values) in product.Attributes)
        {
            var nameId = _attributeNames.IdOf(name);
            _attributeRefs.AddRange(values.Select(value => (nameId, _attributeValues.IdOf(value))));
        }

        _attributesCount.Add(_attributeRefs.Count - _attributesStart[^1]);
    }

    private void Remove(Guid id)
    {
        if (_ordinals.Remove(id, out var ordinal))
        {
            _removed[ordinal] = true;
            Stale++;
        }
    }
}
