using System.Buffers;
using System.Runtime.InteropServices;

namespace MachCommerce.Catalog.Search;

/// <summary>
/// One tenant's products held in memory for search: an inverted index from each lexeme of the products' stored
/// tsvectors (PostgreSQL did the German and English stemming when it wrote them) to the products that have it,
/// with the score each contributes, and what facets and filters need of every product. PostgreSQL full text reads
/// every match to rank it and count its facets, about 100 ms for a word that matches a third of a 100,000-product
/// catalog; here the same answer takes a few milliseconds.
/// <para>
/// The index follows the catalog through <c>change_xid</c> (see migration 0003): before each search it reads what
/// changed since the oldest transaction that was still running at its previous look, so every search sees every
/// write committed before it, on any replica. One narrow exception: while a slower look that read before the write is
/// being taken in, a search running beside it can get the product's previous version once; the next look reads the
/// write again (see <c>MoveOn</c>). Ranking is PostgreSQL's <c>ts_rank</c> with its default weights
/// (A 1.0, B 0.4, C 0.2, D 0.1) for a query whose words are OR-ed, computed the same way.
/// </para>
/// </summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Design", "CA1001", Justification =
    "An index that is dropped (idle, or rebuilt) may still be searched by requests that took it just before; its lock is left to the collector, which is all it needs (it only holds wait events made under contention).")]
internal sealed partial class SearchIndex
{
    /// <summary>The columns a product is indexed by, in the order <see cref="Read"/> reads them.</summary>
    public const string Columns =
        "p.id, p.status, p.brand, p.category_ids, p.category_path, p.min_price_gross, p.available, p.name_sort, p.attributes::text, p.search_vector::text, p.sku";

    private static readonly float[] Weights = [0.1f, 0.2f, 0.4f, 1.0f]; // D, C, B, A: ts_rank's defaults

    // Products by ordinal, column by column: a search reads tens of thousands of products, and a few dense arrays
    // read far faster than an object per product, each a cache miss away (a word with 30,000 matches: 9–14 ms with
    // an object per product, 0.8 ms in columns).
    private readonly List<Guid> _ids = [];
    private readonly List<UInt128> _order = [];
    private readonly List<bool> _removed = [];
    private readonly List<int> _status = [];
    private readonly List<int> _brand = [];
    private readonly List<int> _sku = [];
    private readonly List<decimal> _price = [];
    private readonly List<byte> _bucket = [];
    private readonly List<bool> _available = [];
    private readonly List<string> _nameSort = [];
    private readonly List<int> _categoriesStart = []; // into _categoryRefs: the product's categories, then their ancestors
    private readonly List<int> _categoriesCount = [];
    private readonly List<int> _pathCount = [];
    private readonly List<int> _categoryRefs = [];
    private readonly List<int> _attributesStart = []; // into _attributeRefs
    private readonly List<int> _attributesCount = [];
    private readonly List<(int Name, int Value)> _attributeRefs = [];
    private readonly Table<string> _statuses = new();
    private readonly Table<string> _brands = new();
    private readonly Table<string> _skus = new();
    private readonly Table<Guid> _categories = new();
    private readonly Table<string> _attributeNames = new();
    private readonly Table<AttributeValue> _attributeValues = new();
    private readonly Dictionary<Guid, int> _ordinals = [];
    private readonly Dictionary<string, int> _lexemeIds = new(StringComparer.Ordinal);
    private readonly List<string> _lexemes = [];
    private readonly List<List<Posting>> _postings = [];
    // Searches share it (a cooperative's storefront searches its joint index from many requests at once, each for
    // milliseconds); taking in changes has the index alone.
    private readonly ReaderWriterLockSlim _lock = new(LockRecursionPolicy.NoRecursion);
    private readonly Lock _sorting = new();
    private string[] _sortedLexemes = [];
    private bool _lexemesSorted = true;
    private Position _position;

    /// <param name="tenants">Whose products: one shop's, or a cooperative's member shops' for the joint search.</param>
    public SearchIndex(string[] tenants, ulong watermark) => (Tenants, _position) = (tenants, new Position(watermark, 0));

    public string[] Tenants { get; }

    /// <summary>Products replaced or removed whose postings are still in the index (they are skipped, and a rebuild drops them).</summary>
    public int Stale { get; private set; }

    public int Count => _ordinals.Count;

    /// <summary>One product as read from a row of <see cref="Columns"/>, before <see cref="Apply"/> takes it into the columns.</summary>
    internal sealed record Product(
        Guid Id, UInt128 Order, string Status, string? Brand, Guid[] CategoryIds, Guid[] CategoryPath, decimal MinPrice, bool Available, string NameSort,
        KeyValuePair<string, AttributeValue[]>[] Attributes, List<(string Lexeme, float Score)> Lexemes, string Sku);

    /// <summary>Distinct values by a dense id.</summary>
    private sealed class Table<T> where T : notnull
    {
        private readonly Dictionary<T, int> _ids = [];
        private readonly List<T> _values = [];

        public int Count => _values.Count;

        public T this[int id] => _values[id];

        public int IdOf(T value)
        {
            if (!_ids.TryGetValue(value, out var id))
            {
                id = _values.Count;
                _ids[value] = id;
                _values.Add(value);
            }

            return id;
        }

        public int Find(T value) => _ids.TryGetValue(value, out var id) ? id : -1;
    }

    /// <summary>An attribute's value as JSON containment compares it (text, number or boolean) and as a facet shows it.</summary>
    internal readonly record struct AttributeValue(string Text, JsonValueKind Kind, decimal? Number);

    private readonly record struct Posting(int Product, float Score);

    /// <summary>
    /// The products that match (all words, or any word), pass the filters, in the query's order: the total, one
    /// page of ids and the facets (category labels still to be added), and whether any product the caller may see
    /// has the words at all, whatever the other filters say. Null text lists everything the filters let through.
    /// </summary>
    public (long Total, List<Guid> Ids, Facets Facets, bool WordsFound) Match(ProductQuery query, TextQuery? text, bool allWords)
    {
        _lock.EnterReadLock();
        try
        {
            using var work = new WorkArrays(_ids.Count);
            var (ranks, masks, ordinals) = (work.Ranks, work.Masks, work.Ordinals);
            var candidates = text is null ? Everything(ordinals) : Candidates(text, ranks, masks, ordinals);
            var (german, english) = text is null ? (0u, 0u) : text.Masks();
            var wordsFound = false;
            var matched = 0;
            var filter = new Filter(this, query);
            var removed = CollectionsMarshal.AsSpan(_removed);
            var statuses = CollectionsMarshal.AsSpan(_status);
            for (var i = 0; i < candidates; i++)
            {
                var ordinal = ordinals[i];
                if (removed[ordinal] || !filter.Statuses[statuses[ordinal]])
                {
                    continue;
                }

                if (text is not null)
                {
                    var mask = masks[ordinal];
                    if (!(allWords ? (german != 0 && (mask & german) == german) || (english != 0 && (mask & english) == english) : mask != 0))
                    {
                        continue;
                    }

                    wordsFound = true;
                }

                if (filter.Passes(ordinal))
                {
                    ordinals[matched++] = ordinal; // compacted in place: matched never overtakes i
                }
            }

            var offset = query.After?.Offset ?? 0;
            var page = Best(ordinals, matched, query.Sort, text is null ? null : ranks, text?.Size ?? 1, offset + query.Limit)
                .Skip(offset).Select(o => _ids[o]).ToList();
            return (matched, page, FacetsOf(ordinals, matched, query.FacetAttributes), wordsFound);
        }
        finally
        {
            _lock.ExitReadLock();
        }
    }

    /// <summary>
    /// A search's working arrays (rank, word bits, candidate ordinals per product), from the pool: a word can match a
    /// third of the catalog, and lists of that size on every search would land on the large-object heap and bring on
    /// full collections.
    /// </summary>
    private readonly struct WorkArrays(int products) : IDisposable
    {
        public float[] Ranks { get; } = ArrayPool<float>.Shared.Rent(Math.Max(products, 1));

        public uint[] Masks { get; } = ArrayPool<uint>.Shared.Rent(Math.Max(products, 1));

        public int[] Ordinals { get; } = ArrayPool<int>.Shared.Rent(Math.Max(products, 1));

        public void Dispose()
        {
            ArrayPool<float>.Shared.Return(Ranks);
            ArrayPool<uint>.Shared.Return(Masks);
            ArrayPool<int>.Shared.Return(Ordinals);
        }
    }

    private int Everything(int[] ordinals)
    {
        var count = 0;
        foreach (var ordinal in _ordinals.Values)
        {
            ordinals[count++] = ordinal;
        }

        return count;
    }

    /// <summary>
    /// Every product with at least one query word (into <paramref name="ordinals"/>; returns how many), with a bit
    /// per word it has in <paramref name="masks"/> and its ts_rank (before the division by the number of distinct
    /// words) in <paramref name="ranks"/>.
    /// </summary>
    private int Candidates(TextQuery text, float[] ranks, uint[] masks, int[] ordinals)
    {
        Array.Clear(ranks, 0, _ids.Count);
        Array.Clear(masks, 0, _ids.Count);
        var candidates = 0;
        var operands = text.Operands;
        for (var bit = 0; bit < operands.Count; bit++)
        {
            foreach (var lexemeId in LexemesOf(operands[bit]))
            {
                foreach (var posting in _postings[lexemeId])
                {
                    if (masks[posting.Product] == 0)
                    {
                        ordinals[candidates++] = posting.Product;
                    }

                    masks[posting.Product] |= 1u << bit;
                }
            }
        }

        // ts_rank counts each distinct word once, whichever language's query it came from.
        foreach (var operand in text.Distinct)
        {
            foreach (var lexemeId in LexemesOf(operand))
            {
                foreach (var posting in _postings[lexemeId])
                {
                    ranks[posting.Product] = (float)(ranks[posting.Product] + posting.Score);
                }
            }
        }

        return candidates;
    }

    private IEnumerable<int> LexemesOf(TextQuery.Operand operand)
    {
        if (!operand.Prefix)
        {
            if (_lexemeIds.TryGetValue(operand.Lexeme, out var id))
            {
                yield return id;
            }

            yield break;
        }

        var sorted = SortedLexemes();
        var index = Array.BinarySearch(sorted, operand.Lexeme, StringComparer.Ordinal);
        for (var i = index < 0 ? ~index : index; i < sorted.Length && sorted[i].StartsWith(operand.Lexeme, StringComparison.Ordinal); i++)
        {
            yield return _lexemeIds[sorted[i]];
        }
    }

    /// <summary>
    /// The lexemes in order, for prefix look-ups; sorted again only after new lexemes came in. Searches share the index,
    /// so the first one to need the new order sorts and the others wait for it rather than sorting too.
    /// </summary>
    private string[] SortedLexemes()
    {
        if (!Volatile.Read(ref _lexemesSorted))
        {
            lock (_sorting)
            {
                if (!_lexemesSorted)
                {
                    var sorted = _lexemes.ToArray();
                    Array.Sort(sorted, StringComparer.Ordinal);
                    _sortedLexemes = sorted;
                    Volatile.Write(ref _lexemesSorted, true);
                }
            }
        }

        return _sortedLexemes;
    }

    /// <summary>The filters of <see cref="ProductQuery.Where"/>, with the same meaning, turned into the index's ids once per search.</summary>
    private sealed class Filter
    {
        private readonly SearchIndex _index;
        private readonly ProductQuery _query;
        private readonly int _category;
        private readonly bool[]? _brands;
        private readonly (int Name, string[] Wanted)[] _attributes;

        public Filter(SearchIndex index, ProductQuery query)
        {
            _index = index;
            _query = query;
            Statuses = [.. Enumerable.Range(0, index._statuses.Count).Select(id => query.Statuses.Contains(index._statuses[id]))];
            _category = query.CategoryId is { } category ? index._categories.Find(category) : -1;
            if (query.Brands.Length > 0)
            {
                _brands = new bool[index._brands.Count];
                foreach (var brand in query.Brands)
                {
                    if (index._brands.Find(brand) is var id and >= 0)
                    {
                        _brands[id] = true;
                    }
                }
            }

            _attributes = [.. query.Attributes.Select(a => (index._attributeNames.Find(a.Key), a.Value))];
        }

        /// <summary>By status id: whether the caller may see products in it.</summary>
        public bool[] Statuses { get; }

        public bool Passes(int ordinal)
        {
            var index = _index;
            if ((_query.CategoryId is not null && !HasCategory(ordinal))
                || (_brands is not null && (index._brand[ordinal] is var brand && (brand < 0 || !_brands[brand])))
                || (_query.MinPrice is { } min && index._price[ordinal] < min)
                || (_query.MaxPrice is { } max && index._price[ordinal] > max)
                || (_query.Available is { } available && index._available[ordinal] != available))
            {
                return false;
            }

            foreach (var (name, wanted) in _attributes)
            {
                if (!HasAttribute(ordinal, name, wanted))
                {
                    return false;
                }
            }

            return true;
        }

        private bool HasCategory(int ordinal)
        {
            // The category itself or any descendant: the product's categories with their ancestors.
            var start = _index._categoriesStart[ordinal];
            var refs = CollectionsMarshal.AsSpan(_index._categoryRefs).Slice(start, _index._categoriesCount[ordinal] + _index._pathCount[ordinal]);
            return _category >= 0 && refs.Contains(_category);
        }

        private bool HasAttribute(int ordinal, int name, string[] wanted)
        {
            var refs = CollectionsMarshal.AsSpan(_index._attributeRefs).Slice(_index._attributesStart[ordinal], _index._attributesCount[ordinal]);
            foreach (var (attribute, value) in refs)
            {
                if (attribute == name && wanted.Any(w => Equal(_index._attributeValues[value], w)))
                {
                    return true;
                }
            }

            return false;
        }
    }

    /// <summary>JSON containment of one wanted value: the text, or the number or boolean it reads as.</summary>
    private static bool Equal(AttributeValue value, string wanted) => value.Kind switch
    {
        JsonValueKind.String => value.Text == wanted,
        JsonValueKind.Number => value.Number is { } number && decimal.TryParse(wanted, NumberStyles.Number, CultureInfo.InvariantCulture, out var parsed) && number == parsed,
        JsonValueKind.True or JsonValueKind.False => bool.TryParse(wanted, out var boolean) && boolean == (value.Kind == JsonValueKind.True),
        _ => false,
    };

    /// <summary>The first <paramref name="take"/> of the matches in the query's order, kept in a heap of that size rather than sorting them all.</summary>
    private List<int> Best(int[] matched, int count, string sort, float[]? ranks, int size, int take)
    {
        var (order, price, names) = (_order, _price, _nameSort);
        Comparison<int> comparison = sort switch
        {
            "relevance" when ranks is not null => (a, b) =>
            {
                var byRank = (ranks[b] / size).CompareTo(ranks[a] / size);
                return byRank != 0 ? byRank : order[a].CompareTo(order[b]);
            },
            "price" => (a, b) => price[a] != price[b] ? price[a].CompareTo(price[b]) : order[a].CompareTo(order[b]),
            "-price" => (a, b) => price[a] != price[b] ? price[b].CompareTo(price[a]) : order[b].CompareTo(order[a]),
            "name" => (a, b) => string.CompareOrdinal(names[a], names[b]) is var byName and not 0 ? byName : order[a].CompareTo(order[b]),
            _ => (a, b) => order[b].CompareTo(order[a]), // newest first: UUIDv7 ids grow with time
        };

        take = Math.Min(take, count);
        var worstFirst = new PriorityQueue<int, int>(take + 1, Comparer<int>.Create((a, b) => comparison(b, a)));
        foreach (var ordinal in matched.AsSpan(0, count))
        {
            if (worstFirst.Count < take)
            {
                worstFirst.Enqueue(ordinal, ordinal);
            }
            else if (take > 0 && comparison(ordinal, worstFirst.Peek()) < 0)
            {
                worstFirst.DequeueEnqueue(ordinal, ordinal);
            }
        }

        var best = new List<int>(take);
        while (worstFirst.Count > 0)
        {
            best.Add(worstFirst.Dequeue());
        }

        best.Reverse();
        return best;
    }

    private Facets FacetsOf(int[] matched, int count, string[] facetAttributes)
    {
        var brands = new long[_brands.Count];
        var categories = new long[_categories.Count];
        var prices = new long[SearchApi.PriceBounds.Length + 1];
        var attributeNames = facetAttributes.Select(_attributeNames.Find).ToArray();
        var attributeCounts = facetAttributes.Select(_ => new Dictionary<int, long>()).ToArray();
        var brand = CollectionsMarshal.AsSpan(_brand);
        var bucket = CollectionsMarshal.AsSpan(_bucket);
        var categoriesStart = CollectionsMarshal.AsSpan(_categoriesStart);
        var categoriesCount = CollectionsMarshal.AsSpan(_categoriesCount);
        var attributesStart = CollectionsMarshal.AsSpan(_attributesStart);
        var attributesCount = CollectionsMarshal.AsSpan(_attributesCount);
        var categoryRefs = CollectionsMarshal.AsSpan(_categoryRefs);
        var attributeRefs = CollectionsMarshal.AsSpan(_attributeRefs);
        foreach (var ordinal in matched.AsSpan(0, count))
        {
            if (brand[ordinal] >= 0)
            {
                brands[brand[ordinal]]++;
            }

            foreach (var category in categoryRefs.Slice(categoriesStart[ordinal], categoriesCount[ordinal]))
            {
                categories[category]++;
            }

            prices[bucket[ordinal]]++;
            if (attributeNames.Length > 0)
            {
                foreach (var (name, value) in attributeRefs.Slice(attributesStart[ordinal], attributesCount[ordinal]))
                {
                    var facet = Array.IndexOf(attributeNames, name);
                    if (facet >= 0)
                    {
                        attributeCounts[facet][value] = attributeCounts[facet].GetValueOrDefault(value) + 1;
                    }
                }
            }
        }

        return new Facets(
            Top(Counted(brands).Select(c => (_brands[c.Id], c.Count)), 30),
            [.. Counted(categories).OrderByDescending(c => c.Count).ThenBy(c => _categories[c.Id]).Take(50).Select(c => new FacetValue(_categories[c.Id].ToString(), c.Count))],
            [.. prices.Select((n, i) => (n, i)).Where(p => p.n > 0).Select(p => new PriceBucket(
                p.i == 0 ? null : SearchApi.PriceBounds[p.i - 1], p.i < SearchApi.PriceBounds.Length ? SearchApi.PriceBounds[p.i] : null, p.n))],
            facetAttributes.Select((name, i) => (name, values: Top(
                    // Values that read the same (the number 18 and the text "18") count as one, as jsonb_array_elements_text makes them.
                    attributeCounts[i].GroupBy(c => _attributeValues[c.Key].Text, c => c.Value).Select(g => (g.Key, g.Sum())), 30)))
                .ToDictionary(a => a.name, a => (IReadOnlyList<FacetValue>)a.values));
    }

    private static IEnumerable<(int Id, long Count)> Counted(long[] counts) => counts.Select((count, id) => (id, count)).Where(c => c.count > 0);

    private static List<FacetValue> Top(IEnumerable<(string Value, long Count)> counts, int take) =>
        [.. counts.OrderByDescending(c => c.Count).ThenBy(c => c.Value, StringComparer.Ordinal).Take(take).Select(c => new FacetValue(c.Value, c.Count))];
}
