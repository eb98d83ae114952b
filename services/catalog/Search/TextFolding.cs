namespace MachCommerce.Catalog.Search;

/// <summary>
/// Folds text the way German shoppers type it: lower case, umlauts as their two-letter spellings (ä → ae, ß → ss),
/// other accents dropped, punctuation as spaces. "Rasenmäher" and "Rasenmaeher" fold to the same string, so the
/// trigram index matches either spelling and small typos of both.
/// </summary>
internal static class TextFolding
{
    public static string Fold(string text)
    {
        var builder = new StringBuilder(text.Length + 8);
        foreach (var c in text.ToLowerInvariant())
        {
            switch (c)
            {
                case 'ä': builder.Append("ae"); break;
                case 'ö': builder.Append("oe"); break;
                case 'ü': builder.Append("ue"); break;
                case 'ß': builder.Append("ss"); break;
                default:
                    if (char.IsLetterOrDigit(c))
                    {
                        var plain = c.ToString().Normalize(NormalizationForm.FormD)
                            .Where(d => CharUnicodeInfo.GetUnicodeCategory(d) != UnicodeCategory.NonSpacingMark);
                        builder.Append(plain.ToArray());
                    }
                    else if (builder.Length > 0 && builder[^1] != ' ')
                    {
                        builder.Append(' ');
                    }

                    break;
            }
        }

        return builder.ToString().Trim();
    }
}

internal static class Slugs
{
    /// <summary>A URL slug from a product name: "Akku-Bohrschrauber 18 V" → "akku-bohrschrauber-18-v".</summary>
    public static string From(string name)
    {
        var folded = TextFolding.Fold(name);
        var slug = string.Join('-', folded.Split(' ', StringSplitOptions.RemoveEmptyEntries));
        return slug.Length > 120 ? slug[..120].TrimEnd('-') : slug;
    }
}
