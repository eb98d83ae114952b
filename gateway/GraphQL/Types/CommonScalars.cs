using MachCommerce.GraphQL.Language;

namespace MachCommerce.GraphQL.Types;

/// <summary>
/// Custom scalars a commerce schema needs: DateTime (RFC 3339, always with an offset), Decimal (exact amounts,
/// sent as strings so no client parses 19.99 into a binary float), URL (absolute http or https) and JSON (any
/// value, e.g. free-form product attributes). Each names its specification with @specifiedBy where one exists.
/// </summary>
public static class CommonScalars
{
    public static readonly ScalarType DateTime = new("DateTime",
        "A date and time with an offset, as RFC 3339 writes it: 2026-11-21T09:30:00Z.", "https://scalars.graphql.org/andimarek/date-time")
    {
        Serialize = value => value switch
        {
            DateTimeOffset offset => offset.ToString("yyyy-MM-dd'T'HH:mm:ss.FFFFFFFK", CultureInfo.InvariantCulture),
            System.DateTime { Kind: DateTimeKind.Utc } utc => new DateTimeOffset(utc).ToString("yyyy-MM-dd'T'HH:mm:ss.FFFFFFFK", CultureInfo.InvariantCulture),
            string text when ParseDateTime(text) is { } parsed => parsed.ToString("yyyy-MM-dd'T'HH:mm:ss.FFFFFFFK", CultureInfo.InvariantCulture),
            _ => throw new CoercionException($"DateTime cannot represent value: {JsonValues.Inspect(value)}"),
        },
        ParseValue = json => json.ValueKind == JsonValueKind.String && ParseDateTime(json.GetString()!) is { } parsed
            ? parsed
            : throw new CoercionException($"DateTime cannot represent value: {JsonValues.Inspect(json)}; expected RFC 3339 such as \"2026-11-21T09:30:00Z\"."),
        ParseLiteral = literal => literal is StringValue s && ParseDateTime(s.Value) is { } parsed
            ? parsed
            : throw new CoercionException($"DateTime cannot represent value: {ValuePrinter.Print(literal)}; expected RFC 3339 such as \"2026-11-21T09:30:00Z\"."),
    };

    public static readonly ScalarType Decimal = new("Decimal",
        "An exact decimal number, such as an amount of money, written as a string (\"19.99\") so that no client rounds it into a binary float.")
    {
        Serialize = value => value switch
        {
            decimal d => d.ToString(CultureInfo.InvariantCulture),
            int or long => Convert.ToString(value, CultureInfo.InvariantCulture)!,
            string s when decimal.TryParse(s, NumberStyles.Number, CultureInfo.InvariantCulture, out var d) => d.ToString(CultureInfo.InvariantCulture),
            _ => throw new CoercionException($"Decimal cannot represent value: {JsonValues.Inspect(value)}"),
        },
        ParseValue = json => json.ValueKind switch
        {
            JsonValueKind.String when decimal.TryParse(json.GetString(), NumberStyles.Number, CultureInfo.InvariantCulture, out var d) => d,
            JsonValueKind.Number when json.TryGetDecimal(out var d) => d,
            _ => throw new CoercionException($"Decimal cannot represent value: {JsonValues.Inspect(json)}"),
        },
        ParseLiteral = literal => literal switch
        {
            StringValue s when decimal.TryParse(s.Value, NumberStyles.Number, CultureInfo.InvariantCulture, out var d) => d,
            IntValue or FloatValue when decimal.TryParse(ValuePrinter.Print(literal), NumberStyles.Float, CultureInfo.InvariantCulture, out var d) => d,
            _ => throw new CoercionException($"Decimal cannot represent value: {ValuePrinter.Print(literal)}"),
        },
    };

    public static readonly ScalarType Url = new("URL", "An absolute http or https URL.", "https://url.spec.whatwg.org/")
    {
        Serialize = value => value switch
        {
            Uri { IsAbsoluteUri: true } uri => uri.ToString(),
            string s when Absolute(s) is { } uri => uri.ToString(),
            _ => throw new CoercionException($"URL cannot represent value: {JsonValues.Inspect(value)}"),
        },
        ParseValue = json => json.ValueKind == JsonValueKind.String && Absolute(json.GetString()!) is { } uri
            ? uri
            : throw new CoercionException($"URL cannot represent value: {JsonValues.Inspect(json)}; expected an absolute http(s) URL."),
        ParseLiteral = literal => literal is StringValue s && Absolute(s.Value) is { } uri
            ? uri
            : throw new CoercionException($"URL cannot represent value: {ValuePrinter.Print(literal)}; expected an absolute http(s) URL."),
    };

    /// <summary>Any JSON value, passed through as it is (lists and ordered objects).</summary>
    public static readonly ScalarType Json = new("JSON", "Any JSON value.", "https://www.rfc-editor.org/rfc/rfc8259");

    private static DateTimeOffset? ParseDateTime(string text) =>
        text.Length >= 20 && (text[^1] is 'Z' or 'z' || text[^6] is '+' or '-')
        && DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.None, out var parsed) ? parsed : null;

    private static Uri? Absolute(string text) =>
        Uri.TryCreate(text, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https" ? uri : null;
}
