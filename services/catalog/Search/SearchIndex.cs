using System.Buffers;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Npgsql;

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
/// write committed before it, on any replica. Ranking is PostgreSQL's <c>ts_rank</c> with its default weights
/// (A 1.0, B 0.4, C 0.2, D 0.1) for a query whose words are OR-ed, computed the same way.
/// </para>
/// </summary>
internal sealed class SearchIndex
{
    /// <summary>The columns a product is indexed by, in the order <see cref="Read"/> reads them.</summary>
    public const string Columns =
        "p.id, p.status, p.brand, p.category_ids, p.category_path, p.min_price_gross, p.available, p.name_sort, p.attributes::text, p.search_vector::text";

    private static readonly float[] Weights = [0.1f, 0.2f, 0.4f, 1.0f]; // D, C, B, A: ts_rank's defaults

    private readonly List<Product> _products = [];
    private readonly Dictionary<Guid, int> _ordinals = [];
    private readonly Dictionary<string, int> _lexemeIds = new(StringComparer.Ordinal);
    private readonly List<string> _lexemes = [];
    private readonly List<List<Posting>> _postings = [];
    private readonly Lock _lock = new(); // one search or update at a time: a search takes a few milliseconds
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, string> _strings = new(StringComparer.Ordinal);
    private string[] _sortedLexemes = [];
    private bool _lexemesSorted = true;

    public SearchIndex(ulong watermark) => Watermark = watermark;

    /// <summary>Changes from transactions at or after this one have not been read yet (or may be read again).</summary>
    public ulong Watermark { get; private set; }

    /// <summary>Products replaced or removed whose postings are still in the index (they are skipped, and a rebuild drops them).</summary>
    public int Stale { get; private set; }

    public int Count => _ordinals.Count;

    /// <summary>One product as the index sees it; <see cref="Read"/> makes it from a row of <see cref="Columns"/>.</summary>
    internal sealed record Product(
        Guid Id, UInt128 Order, string Status, string? Brand, Guid[] CategoryIds, Guid[] CategoryPath, decimal MinPrice, bool Available, string NameSort,
        KeyValuePair<string, AttributeValue[]>[] Attributes, List<(string Lexeme, float Score)> Lexemes)
    {
        public bool Removed { get; set; }
    }

    /// <summary>An attribute's value as JSON containment compares it (text, number or boolean) and as a facet shows it.</summary>
    internal readonly record struct AttributeValue(string Text, JsonValueKind Kind, decimal? Number);

    private readonly record struct Posting(int Product, float Score);

    /// <summary>Reads a row of <see cref="Columns"/>; names and values that repeat across products are kept once.</summary>
    public Product Read(NpgsqlDataReader reader)
    {
        var id = reader.GetGuid(0);
        Span<byte> bytes = stackalloc byte[16];
        id.TryWriteBytes(bytes, bigEndian: true, out _);
        return new Product(
            id,
            System.Buffers.Binary.BinaryPrimitives.ReadUInt128BigEndian(bytes), // PostgreSQL orders uuids by their bytes
            Shared(reader.GetString(1)),
            reader.IsDBNull(2) ? null : Shared(reader.GetString(2)),
            reader.GetFieldValue<Guid[]>(3),
            reader.GetFieldValue<Guid[]>(4),
            reader.GetDecimal(5),
            reader.GetBoolean(6),
            reader.GetString(7),
            ReadAttributes(reader.GetString(8)),
            ReadVector(reader.GetString(9)));
    }

    /// <summary>Adds or replaces products and drops removed ones, then moves the watermark on.</summary>
    public void Apply(IReadOnlyList<Guid> removed, IReadOnlyList<Product> changed, ulong watermark)
    {
        _lock.Enter();
        try
        {
            foreach (var id in removed)
            {
                Remove(id);
            }

            foreach (var product in changed)
            {
                Remove(product.Id);
                var ordinal = _products.Count;
                _products.Add(product);
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

                product.Lexemes.Clear(); // the postings hold them now
                product.Lexemes.TrimExcess();
            }

            Watermark = Math.Max(Watermark, watermark);
        }
        finally
        {
            _lock.Exit();
        }
    }

    private void Remove(Guid id)
    {
        if (_ordinals.Remove(id, out var ordinal))
        {
            _products[ordinal].Removed = true;
            Stale++;
        }
    }

    /// <summary>
    /// The products that match (all words, or any word), pass the filters, in the query's order: the total, one
    /// page of ids and the facets (category labels still to be added), and whether any product the caller may see
    /// has the words at all, whatever the other filters say. Null text lists everything the filters let through.
    /// </summary>
    public (long Total, List<Guid> Ids, Facets Facets, bool WordsFound) Match(ProductQuery query, TextQuery? text, bool allWords)
    {
        _lock.Enter();
        try
        {
            // Working arrays from the pool: a word can match a third of the catalog, and lists of that size on
            // every search would land on the large-object heap and bring on full collections.
            var count = Math.Max(_products.Count, 1);
            var ranks = ArrayPool<float>.Shared.Rent(count);
            var masks = ArrayPool<uint>.Shared.Rent(count);
            var ordinals = ArrayPool<int>.Shared.Rent(count);
            try
            {
                var candidates = text is null ? Everything(ordinals) : Candidates(text, ranks, masks, ordinals);
                var (german, english) = text is null ? (0u, 0u) : text.Masks();
                var wordsFound = false;
                var matched = 0;
                for (var i = 0; i < candidates; i++)
                {
                    var ordinal = ordinals[i];
                    var product = _products[ordinal];
                    if (product.Removed || !query.Statuses.Contains(product.Status))
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

                    if (Passes(product, query))
                    {
                        ordinals[matched++] = ordinal; // compacted in place: matched never overtakes i
                    }
                }

                var offset = query.After?.Offset ?? 0;
                var page = Best(ordinals, matched, query.Sort, text is null ? null : ranks, text?.Size ?? 1, offset + query.Limit)
                    .Skip(offset).Select(o => _products[o].Id).ToList();
                return (matched, page, FacetsOf(ordinals, matched, query.FacetAttributes), wordsFound);
            }
            finally
            {
                ArrayPool<float>.Shared.Return(ranks);
                ArrayPool<uint>.Shared.Return(masks);
                ArrayPool<int>.Shared.Return(ordinals);
            }
        }
        finally
        {
            _lock.Exit();
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
        Array.Clear(ranks, 0, _products.Count);
        Array.Clear(masks, 0, _products.Count);
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

    /// <summary>The lexemes in order, for prefix look-ups; sorted again only after new lexemes came in.</summary>
    private string[] SortedLexemes()
    {
        if (!_lexemesSorted)
        {
            var sorted = _lexemes.ToArray();
            Array.Sort(sorted, StringComparer.Ordinal);
            _sortedLexemes = sorted;
            _lexemesSorted = true;
        }

        return _sortedLexemes;
    }

    /// <summary>The filters of <see cref="ProductQuery.Where"/> but the status, with the same meaning.</summary>
    private static bool Passes(Product product, ProductQuery query)
    {
        if ((query.CategoryId is { } category && Array.IndexOf(product.CategoryPath, category) < 0)
            || (query.Brands.Length > 0 && (product.Brand is null || !query.Brands.Contains(product.Brand)))
            || (query.MinPrice is { } min && product.MinPrice < min)
            || (query.MaxPrice is { } max && product.MinPrice > max)
            || (query.Available is { } available && product.Available != available))
        {
            return false;
        }

        foreach (var (name, wanted) in query.Attributes)
        {
            if (ValuesOf(product, name) is not { } values || !values.Any(value => wanted.Any(w => Equal(value, w))))
            {
                return false;
            }
        }

        return true;
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
        var products = _products;
        Comparison<int> comparison = sort switch
        {
            "relevance" when ranks is not null => (a, b) =>
            {
                var byRank = (ranks[b] / size).CompareTo(ranks[a] / size);
                return byRank != 0 ? byRank : products[a].Order.CompareTo(products[b].Order);
            },
            "price" => (a, b) => products[a].MinPrice != products[b].MinPrice ? products[a].MinPrice.CompareTo(products[b].MinPrice) : products[a].Order.CompareTo(products[b].Order),
            "-price" => (a, b) => products[a].MinPrice != products[b].MinPrice ? products[b].MinPrice.CompareTo(products[a].MinPrice) : products[b].Order.CompareTo(products[a].Order),
            "name" => (a, b) => string.CompareOrdinal(products[a].NameSort, products[b].NameSort) is var byName and not 0 ? byName : products[a].Order.CompareTo(products[b].Order),
            _ => (a, b) => products[b].Order.CompareTo(products[a].Order), // newest first: UUIDv7 ids grow with time
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
        var brands = new Dictionary<string, long>(StringComparer.Ordinal);
        var categories = new Dictionary<Guid, long>();
        var prices = new long[SearchApi.PriceBounds.Length + 1];
        var attributes = facetAttributes.ToDictionary(name => name, _ => new Dictionary<string, long>(StringComparer.Ordinal));
        foreach (var ordinal in matched.AsSpan(0, count))
        {
            var product = _products[ordinal];
            if (product.Brand is { } brand)
            {
                brands[brand] = brands.GetValueOrDefault(brand) + 1;
            }

            foreach (var category in product.CategoryIds)
            {
                categories[category] = categories.GetValueOrDefault(category) + 1;
            }

            // width_bucket: how many bounds are at or below the price.
            var bucket = 0;
            while (bucket < SearchApi.PriceBounds.Length && SearchApi.PriceBounds[bucket] <= product.MinPrice)
            {
                bucket++;
            }

            prices[bucket]++;
            foreach (var (name, counts) in attributes)
            {
                if (ValuesOf(product, name) is { } values)
                {
                    foreach (var value in values)
                    {
                        counts[value.Text] = counts.GetValueOrDefault(value.Text) + 1;
                    }
                }
            }
        }

        return new Facets(
            Top(brands, 30),
            [.. categories.OrderByDescending(c => c.Value).ThenBy(c => c.Key).Take(50).Select(c => new FacetValue(c.Key.ToString(), c.Value))],
            [.. prices.Select((n, i) => (n, i)).Where(p => p.n > 0).Select(p => new PriceBucket(
                p.i == 0 ? null : SearchApi.PriceBounds[p.i - 1], p.i < SearchApi.PriceBounds.Length ? SearchApi.PriceBounds[p.i] : null, p.n))],
            attributes.ToDictionary(a => a.Key, a => (IReadOnlyList<FacetValue>)Top(a.Value, 30)));
    }

    private static List<FacetValue> Top(Dictionary<string, long> counts, int take) =>
        [.. counts.OrderByDescending(c => c.Value).ThenBy(c => c.Key, StringComparer.Ordinal).Take(take).Select(c => new FacetValue(c.Key, c.Value))];

    /// <summary>Attribute values as <c>jsonb_array_elements_text</c> gives them: a list's items, or the one value.</summary>
    private KeyValuePair<string, AttributeValue[]>[] ReadAttributes(string json)
    {
        using var document = JsonDocument.Parse(json);
        var attributes = new List<KeyValuePair<string, AttributeValue[]>>();
        foreach (var attribute in document.RootElement.EnumerateObject())
        {
            var values = attribute.Value.ValueKind == JsonValueKind.Array ? [.. attribute.Value.EnumerateArray()] : new[] { attribute.Value };
            attributes.Add(new(Shared(attribute.Name), [.. values.Where(v => v.ValueKind != JsonValueKind.Null).Select(v => new AttributeValue(
                Shared(v.ValueKind == JsonValueKind.String ? v.GetString()! : v.GetRawText()),
                v.ValueKind,
                v.ValueKind == JsonValueKind.Number && v.TryGetDecimal(out var number) ? number : null))]));
        }

        return [.. attributes];
    }

    /// <summary>One string for each repeated status, brand, attribute name and value (a catalog has few distinct ones).</summary>
    private string Shared(string text) => _strings.GetOrAdd(text, text);

    private static AttributeValue[]? ValuesOf(Product product, string name)
    {
        foreach (var (key, values) in product.Attributes)
        {
            if (key == name)
            {
                return values;
            }
        }

        return null;
    }

    /// <summary>
    /// The lexemes of a tsvector's text form (<c>'akku':3A,7 'bohrschraub':4A</c>), each with what it adds to
    /// ts_rank where a query has it: its positions' weights, the heaviest counted fully and each further one less
    /// (PostgreSQL's calc_rank_or).
    /// </summary>
    internal static List<(string Lexeme, float Score)> ReadVector(string text)
    {
        var lexemes = new List<(string, float)>();
        var position = 0;
        var lexeme = new StringBuilder();
        while (position < text.Length)
        {
            if (text[position] != '\'')
            {
                position++;
                continue;
            }

            lexeme.Clear();
            position++;
            while (position < text.Length)
            {
                var c = text[position++];
                if (c == '\\' && position < text.Length)
                {
                    lexeme.Append(text[position++]);
                }
                else if (c == '\'' && position < text.Length && text[position] == '\'')
                {
                    lexeme.Append('\'');
                    position++;
                }
                else if (c == '\'')
                {
                    break;
                }
                else
                {
                    lexeme.Append(c);
                }
            }

            // Positions: ":3A,7,12C"; without any, PostgreSQL counts one position of weight D.
            var sum = 0f;
            var heaviest = -1f;
            var heaviestAt = 0;
            var count = 0;
            if (position < text.Length && text[position] == ':')
            {
                position++;
                while (position < text.Length && text[position] != ' ')
                {
                    while (position < text.Length && char.IsAsciiDigit(text[position]))
                    {
                        position++;
                    }

                    var weight = position < text.Length && text[position] is 'A' or 'B' or 'C' or 'D' ? Weights['D' - text[position++]] : Weights[0];
                    sum += weight / ((count + 1) * (count + 1));
                    if (weight > heaviest)
                    {
                        heaviest = weight;
                        heaviestAt = count;
                    }

                    count++;
                    if (position < text.Length && text[position] == ',')
                    {
                        position++;
                    }
                }
            }
            else
            {
                sum = heaviest = Weights[0];
            }

            lexemes.Add((lexeme.ToString(), (float)((heaviest + sum - heaviest / ((heaviestAt + 1) * (heaviestAt + 1))) / 1.64493406685)));
        }

        return lexemes;
    }
}

/// <summary>
/// A search's words as PostgreSQL's German and English configurations stem them (from <c>to_tsquery</c>), each
/// language's list AND-ed for "all words"; the last word of the input is a prefix (search-as-you-type).
/// </summary>
internal sealed class TextQuery
{
    public readonly record struct Operand(string Lexeme, bool Prefix);

    private TextQuery(List<Operand> german, List<Operand> english)
    {
        Operands = [.. german, .. english];
        GermanCount = german.Count;
        // ts_rank's items: each distinct lexeme once.
        Distinct = [.. Operands.DistinctBy(o => o.Lexeme)];
    }

    /// <summary>The German operands, then the English ones: bit i of a product's mask is operand i.</summary>
    public IReadOnlyList<Operand> Operands { get; }

    public IReadOnlyList<Operand> Distinct { get; }

    public int Size => Distinct.Count;

    private int GermanCount { get; }

    /// <summary>The bits a product needs for all German words, and for all English words (0 when that language kept no word).</summary>
    public (uint German, uint English) Masks()
    {
        var german = GermanCount == 0 ? 0u : (1u << GermanCount) - 1;
        var englishCount = Operands.Count - GermanCount;
        var english = englishCount == 0 ? 0u : ((1u << englishCount) - 1) << GermanCount;
        return (german, english);
    }

    /// <summary>
    /// From the text of two tsqueries such as <c>'akku' &amp; 'bohrschraub':*</c>; null when either has anything
    /// else (a word that stems into a phrase, say), which the caller then leaves to PostgreSQL.
    /// </summary>
    public static TextQuery? From(string german, string english)
    {
        var (g, e) = (ParseOperands(german), ParseOperands(english));
        return g is null || e is null || g.Count + e.Count is 0 or > 30 ? null : new TextQuery(g, e);
    }

    private static List<Operand>? ParseOperands(string text)
    {
        var operands = new List<Operand>();
        var position = 0;
        while (position < text.Length)
        {
            switch (text[position])
            {
                case ' ' or '&':
                    position++;
                    continue;
                case '\'':
                    var lexeme = new StringBuilder();
                    position++;
                    while (position < text.Length)
                    {
                        var c = text[position++];
                        if (c == '\\' && position < text.Length)
                        {
                            lexeme.Append(text[position++]);
                        }
                        else if (c == '\'' && position < text.Length && text[position] == '\'')
                        {
                            lexeme.Append('\'');
                            position++;
                        }
                        else if (c == '\'')
                        {
                            break;
                        }
                        else
                        {
                            lexeme.Append(c);
                        }
                    }

                    var prefix = text.AsSpan(position).StartsWith(":*", StringComparison.Ordinal);
                    position += prefix ? 2 : 0;
                    operands.Add(new Operand(lexeme.ToString(), prefix));
                    continue;
                default:
                    return null;
            }
        }

        return operands;
    }
}
