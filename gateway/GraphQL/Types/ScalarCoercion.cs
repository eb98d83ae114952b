using MachCommerce.GraphQL.Language;

namespace MachCommerce.GraphQL.Types;

/// <summary>
/// The coercion rules of the specified scalars (spec 3.5.1 to 3.5.5), with graphql-js's messages: results may be
/// coerced leniently (true as 1, 3 as "3"), inputs are strict (a string is never an Int).
/// </summary>
internal static class ScalarCoercion
{
    private static double? Number(object value) => value switch
    {
        int i => i,
        long l => l,
        short s => s,
        byte b => b,
        uint u => u,
        ulong u => u,
        float f => f,
        double d => d,
        decimal m => (double)m,
        _ => null,
    };

    public static object SerializeInt(object value)
    {
        // An int is returned as the very object it came in (no new box per value).
        if (value is int)
        {
            return value;
        }

        if (Number(value) is { } number)
        {
            return IntFromNumber(number, value);
        }

        return value switch
        {
            bool b => b ? 1 : 0,
            string s when s.Length > 0 && double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out var parsed) => IntFromNumber(parsed, s),
            _ => throw new CoercionException($"Int cannot represent non-integer value: {JsonValues.Inspect(value)}"),
        };
    }

    private static int IntFromNumber(double number, object original)
    {
        if (double.IsNaN(number) || double.IsInfinity(number) || Math.Floor(number) != number)
        {
            throw new CoercionException($"Int cannot represent non-integer value: {JsonValues.Inspect(original)}");
        }

        return number is > int.MaxValue or < int.MinValue
            ? throw new CoercionException($"Int cannot represent non 32-bit signed integer value: {JsonValues.Inspect(original)}")
            : (int)number;
    }

    public static object ParseIntValue(JsonElement json) => json.ValueKind == JsonValueKind.Number
        ? IntFromNumber(json.GetDouble(), JsonValues.ToObject(json)!)
        : throw new CoercionException($"Int cannot represent non-integer value: {JsonValues.Inspect(json)}");

    public static object ParseIntLiteral(Value literal)
    {
        if (literal is not IntValue integer)
        {
            throw new CoercionException($"Int cannot represent non-integer value: {ValuePrinter.Print(literal)}");
        }

        return int.TryParse(integer.Value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value)
            ? value
            : throw new CoercionException($"Int cannot represent non 32-bit signed integer value: {integer.Value}");
    }

    public static object SerializeFloat(object value)
    {
        if (value is double d && double.IsFinite(d))
        {
            return value;
        }

        var number = Number(value) ?? value switch
        {
            bool b => b ? 1 : 0,
            string s when s.Length > 0 && double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out var parsed) => parsed,
            _ => throw new CoercionException($"Float cannot represent non numeric value: {JsonValues.Inspect(value)}"),
        };
        return double.IsFinite(number) ? number : throw new CoercionException($"Float cannot represent non numeric value: {JsonValues.Inspect(value)}");
    }

    public static object ParseFloatValue(JsonElement json) => json.ValueKind == JsonValueKind.Number
        ? json.GetDouble()
        : throw new CoercionException($"Float cannot represent non numeric value: {JsonValues.Inspect(json)}");

    public static object ParseFloatLiteral(Value literal) => literal switch
    {
        IntValue i => double.Parse(i.Value, CultureInfo.InvariantCulture),
        FloatValue f => double.Parse(f.Value, CultureInfo.InvariantCulture),
        _ => throw new CoercionException($"Float cannot represent non numeric value: {ValuePrinter.Print(literal)}"),
    };

    public static object SerializeString(object value) => value switch
    {
        string s => s,
        bool b => b ? "true" : "false",
        _ when Number(value) is { } number => double.IsFinite(number)
            ? Convert.ToString(value, CultureInfo.InvariantCulture)!
            : throw new CoercionException($"String cannot represent value: {JsonValues.Inspect(value)}"),
        _ => throw new CoercionException($"String cannot represent value: {JsonValues.Inspect(value)}"),
    };

    public static object ParseStringValue(JsonElement json) => json.ValueKind == JsonValueKind.String
        ? json.GetString()!
        : throw new CoercionException($"String cannot represent a non string value: {JsonValues.Inspect(json)}");

    public static object ParseStringLiteral(Value literal) => literal is StringValue s
        ? s.Value
        : throw new CoercionException($"String cannot represent a non string value: {ValuePrinter.Print(literal)}");

    public static object SerializeBoolean(object value) => value switch
    {
        bool => value,
        _ when Number(value) is { } number => double.IsFinite(number)
            ? number != 0
            : throw new CoercionException($"Boolean cannot represent a non boolean value: {JsonValues.Inspect(value)}"),
        _ => throw new CoercionException($"Boolean cannot represent a non boolean value: {JsonValues.Inspect(value)}"),
    };

    public static object ParseBooleanValue(JsonElement json) => json.ValueKind is JsonValueKind.True or JsonValueKind.False
        ? json.GetBoolean()
        : throw new CoercionException($"Boolean cannot represent a non boolean value: {JsonValues.Inspect(json)}");

    public static object ParseBooleanLiteral(Value literal) => literal is BooleanValue b
        ? b.Value
        : throw new CoercionException($"Boolean cannot represent a non boolean value: {ValuePrinter.Print(literal)}");

    public static object SerializeId(object value) => value switch
    {
        string s => s,
        Guid g => g.ToString(),
        _ when Number(value) is { } number && Math.Floor(number) == number && double.IsFinite(number) => Convert.ToString(value, CultureInfo.InvariantCulture)!,
        _ => throw new CoercionException($"ID cannot represent value: {JsonValues.Inspect(value)}"),
    };

    public static object ParseIdValue(JsonElement json) => json.ValueKind switch
    {
        JsonValueKind.String => json.GetString()!,
        JsonValueKind.Number when json.TryGetInt64(out var integer) => integer.ToString(CultureInfo.InvariantCulture),
        _ => throw new CoercionException($"ID cannot represent value: {JsonValues.Inspect(json)}"),
    };

    public static object ParseIdLiteral(Value literal) => literal switch
    {
        StringValue s => s.Value,
        IntValue i => i.Value,
        _ => throw new CoercionException($"ID cannot represent a non-string and non-integer value: {ValuePrinter.Print(literal)}"),
    };
}
