namespace MachCommerce.GraphQL.Language;

/// <summary>A value that a coercion cannot represent; the message is graphql-js's.</summary>
public sealed class CoercionException(string message) : Exception(message);

/// <summary>Plain .NET values for JSON and literals: string, bool, null, long or double, List, Dictionary (ordered).</summary>
public static class JsonValues
{
    public static object? ToObject(JsonElement json) => json.ValueKind switch
    {
        JsonValueKind.String => json.GetString(),
        JsonValueKind.True => true,
        JsonValueKind.False => false,
        JsonValueKind.Null or JsonValueKind.Undefined => null,
        // Boxed on each branch: a conditional of long and double would make every whole number a double.
        JsonValueKind.Number => json.TryGetInt64(out var integer) ? (object)integer : json.GetDouble(),
        JsonValueKind.Array => json.EnumerateArray().Select(ToObject).ToList(),
        JsonValueKind.Object => json.EnumerateObject().Aggregate(new OrderedDictionary<string, object?>(), (map, p) => { map[p.Name] = ToObject(p.Value); return map; }),
        _ => null,
    };

    /// <summary>A literal without variables as a plain value (custom scalars such as JSON take literals this way).</summary>
    public static object? FromLiteral(Value literal) => literal switch
    {
        IntValue i => long.TryParse(i.Value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var n) ? (object)n : double.Parse(i.Value, CultureInfo.InvariantCulture),
        FloatValue f => double.Parse(f.Value, CultureInfo.InvariantCulture),
        StringValue s => s.Value,
        BooleanValue b => b.Value,
        NullValue => null,
        EnumValue e => e.Value,
        ListValue l => l.Values.Select(FromLiteral).ToList(),
        ObjectValue o => o.Fields.Aggregate(new OrderedDictionary<string, object?>(), (map, f) => { map[f.Name.Value] = FromLiteral(f.Value); return map; }),
        _ => throw new CoercionException("Variables are not allowed here."),
    };

    /// <summary>How graphql-js's inspect() shows a value in a message: strings quoted, lists and objects spelled out.</summary>
    public static string Inspect(object? value) => value switch
    {
        null => "null",
        string s => JsonSerializer.Serialize(s),
        bool b => b ? "true" : "false",
        JsonElement json => Inspect(ToObject(json)),
        double d => double.IsNaN(d) ? "NaN" : double.IsPositiveInfinity(d) ? "Infinity" : double.IsNegativeInfinity(d) ? "-Infinity" : d.ToString("R", CultureInfo.InvariantCulture),
        float f => Inspect((double)f),
        decimal m => m.ToString(CultureInfo.InvariantCulture),
        IFormattable number and (int or long or short or byte or uint or ulong) => number.ToString(null, CultureInfo.InvariantCulture),
        IDictionary<string, object?> map => map.Count == 0 ? "{}" : "{ " + string.Join(", ", map.Select(p => $"{p.Key}: {Inspect(p.Value)}")) + " }",
        System.Collections.IEnumerable list => "[" + string.Join(", ", list.Cast<object?>().Select(Inspect)) + "]",
        _ => value.ToString() ?? "",
    };
}
