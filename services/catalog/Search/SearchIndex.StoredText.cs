namespace MachCommerce.Catalog.Search;

/// <summary>Reading what PostgreSQL stored as text (tsvectors, attribute JSON) into the index's own form.</summary>
internal sealed partial class SearchIndex
{
    /// <summary>Attribute values as <c>jsonb_array_elements_text</c> gives them: a list's items, or the one value.</summary>
    private static KeyValuePair<string, AttributeValue[]>[] ReadAttributes(string json)
    {
        using var document = JsonDocument.Parse(json);
        var attributes = new List<KeyValuePair<string, AttributeValue[]>>();
        foreach (var attribute in document.RootElement.EnumerateObject())
        {
            var values = attribute.Value.ValueKind == JsonValueKind.Array ? [.. attribute.Value.EnumerateArray()] : new[] { attribute.Value };
            attributes.Add(new(attribute.Name, [.. values.Where(v => v.ValueKind != JsonValueKind.Null).Select(v => new AttributeValue(
                v.ValueKind == JsonValueKind.String ? v.GetString()! : v.GetRawText(),
                v.ValueKind,
                v.ValueKind == JsonValueKind.Number && v.TryGetDecimal(out var number) ? number : null))]));
        }

        return [.. attributes];
    }

    /// <summary>
    /// A quoted lexeme of a tsvector's or tsquery's text form, from its opening quote (at <paramref name="position"/>)
    /// to after its closing one: a quote inside is doubled, and a backslash escapes the character after it.
    /// </summary>
    internal static string ReadQuoted(string text, ref int position)
    {
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

        return lexeme.ToString();
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
        while (position < text.Length)
        {
            if (text[position] != '\'')
            {
                position++;
                continue;
            }

            var lexeme = ReadQuoted(text, ref position);

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

            lexemes.Add((lexeme, (float)((heaviest + sum - heaviest / ((heaviestAt + 1) * (heaviestAt + 1))) / 1.64493406685)));
        }

        return lexemes;
    }
}
