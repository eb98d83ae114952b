namespace MachCommerce.GraphQL.Language;

/// <summary>The value of a block string (spec: BlockStringValue): common indentation and blank first and last lines removed.</summary>
public static class BlockString
{
    public static string Value(string raw)
    {
        var lines = raw.Replace("\r\n", "\n", StringComparison.Ordinal).Replace('\r', '\n').Split('\n');
        var commonIndent = int.MaxValue;
        int? first = null;
        var last = -1;
        for (var i = 0; i < lines.Length; i++)
        {
            var indent = LeadingWhitespace(lines[i]);
            if (indent == lines[i].Length)
            {
                continue;
            }

            first ??= i;
            last = i;
            if (i != 0 && indent < commonIndent)
            {
                commonIndent = indent;
            }
        }

        if (first is null)
        {
            return "";
        }

        return string.Join('\n', lines.Select((line, i) => i == 0 || commonIndent == int.MaxValue ? line : line[Math.Min(commonIndent, line.Length)..])
            .Skip(first.Value).Take(last - first.Value + 1));
    }

    private static int LeadingWhitespace(string line)
    {
        var i = 0;
        while (i < line.Length && line[i] is ' ' or '\t')
        {
            i++;
        }

        return i;
    }
}
