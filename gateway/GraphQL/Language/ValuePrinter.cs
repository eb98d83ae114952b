namespace MachCommerce.GraphQL.Language;

/// <summary>Values and strings printed as graphql-js prints them (printer, printString, printBlockString).</summary>
public static class ValuePrinter
{
    private const int MaxLineLength = 80;

    public static string Print(Value value) => value switch
    {
        IntValue i => i.Value,
        FloatValue f => f.Value,
        StringValue { Block: true } s => PrintBlockString(s.Value),
        StringValue s => PrintString(s.Value),
        BooleanValue b => b.Value ? "true" : "false",
        NullValue => "null",
        EnumValue e => e.Value,
        Variable v => "$" + v.Name.Value,
        ListValue l => List(l),
        ObjectValue o => Object(o),
        _ => throw new InvalidOperationException($"Unexpected value {value.GetType().Name}."),
    };

    /// <summary>A type reference as written: <c>[String!]!</c>.</summary>
    public static string Print(TypeNode type) => type switch
    {
        NonNullType n => Print(n.Type) + "!",
        ListType l => "[" + Print(l.Type) + "]",
        NamedType n => n.Name.Value,
        _ => throw new InvalidOperationException($"Unexpected type node {type.GetType().Name}."),
    };

    private static string List(ListValue list)
    {
        var items = list.Values.Select(Print).ToList();
        var joined = string.Join(", ", items);
        return 2 + joined.Length > MaxLineLength ? "[\n" + Indent(string.Join('\n', items)) + "\n]" : "[" + joined + "]";
    }

    private static string Object(ObjectValue value)
    {
        var fields = value.Fields.Select(f => f.Name.Value + ": " + Print(f.Value)).ToList();
        var joined = string.Join(", ", fields);
        return 4 + joined.Length > MaxLineLength ? "{\n" + Indent(string.Join('\n', fields)) + "\n}" : "{ " + joined + " }";
    }

    private static string Indent(string text) => "  " + text.Replace("\n", "\n  ", StringComparison.Ordinal);

    /// <summary>A JSON-like quoted string: quotes, backslashes and control characters (C0, DEL, C1) escaped.</summary>
    public static string PrintString(string value)
    {
        var text = new StringBuilder("\"");
        foreach (var c in value)
        {
            text.Append(c switch
            {
                '"' => "\\\"",
                '\\' => "\\\\",
                '\b' => "\\b",
                '\t' => "\\t",
                '\n' => "\\n",
                '\f' => "\\f",
                '\r' => "\\r",
                < ' ' or (>= '\u007F' and <= '\u009F') => "\\u" + ((int)c).ToString("X4", CultureInfo.InvariantCulture),
                _ => c.ToString(),
            });
        }

        return text.Append('"').ToString();
    }

    /// <summary>Whether the value survives printing as a block string (BlockStringValue would give it back unchanged).</summary>
    public static bool IsPrintableAsBlockString(string value)
    {
        if (value.Length == 0)
        {
            return true;
        }

        var isEmptyLine = true;
        var hasIndent = false;
        var hasCommonIndent = true;
        var seenNonEmptyLine = false;
        foreach (var c in value)
        {
            switch (c)
            {
                case < '\t' or '\u000B' or '\u000C' or '\r' or '\u000E' or '\u000F':
                    return false;
                case '\n':
                    if (isEmptyLine && !seenNonEmptyLine)
                    {
                        return false;
                    }

                    seenNonEmptyLine = true;
                    isEmptyLine = true;
                    hasIndent = false;
                    break;
                case '\t' or ' ':
                    hasIndent |= isEmptyLine;
                    break;
                default:
                    hasCommonIndent &= hasIndent;
                    isEmptyLine = false;
                    break;
            }
        }

        return !isEmptyLine && !(hasCommonIndent && seenNonEmptyLine);
    }

    public static string PrintBlockString(string value)
    {
        var escaped = value.Replace("\"\"\"", "\\\"\"\"", StringComparison.Ordinal);
        var lines = escaped.Replace("\r\n", "\n", StringComparison.Ordinal).Replace('\r', '\n').Split('\n');
        var isSingleLine = lines.Length == 1;
        var forceLeadingNewLine = lines.Length > 1 && lines.Skip(1).All(line => line.Length == 0 || line[0] is ' ' or '\t');
        var hasTrailingTripleQuotes = escaped.EndsWith("\\\"\"\"", StringComparison.Ordinal);
        var hasTrailingQuote = value.EndsWith('"') && !hasTrailingTripleQuotes;
        var hasTrailingSlash = value.EndsWith('\\');
        var forceTrailingNewline = hasTrailingQuote || hasTrailingSlash;
        var printAsMultipleLines = !isSingleLine || value.Length > 70 || forceTrailingNewline || forceLeadingNewLine || hasTrailingTripleQuotes;
        var skipLeadingNewLine = isSingleLine && value.Length > 0 && value[0] is ' ' or '\t';
        var result = new StringBuilder("\"\"\"");
        if (printAsMultipleLines && !skipLeadingNewLine || forceLeadingNewLine)
        {
            result.Append('\n');
        }

        result.Append(escaped);
        if (printAsMultipleLines || forceTrailingNewline)
        {
            result.Append('\n');
        }

        return result.Append("\"\"\"").ToString();
    }
}
