namespace MachCommerce.Catalog.Search;

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
                    var lexeme = SearchIndex.ReadQuoted(text, ref position);

                    var prefix = text.AsSpan(position).StartsWith(":*", StringComparison.Ordinal);
                    position += prefix ? 2 : 0;
                    operands.Add(new Operand(lexeme, prefix));
                    continue;
                default:
                    return null;
            }
        }

        return operands;
    }
}
