using System.Collections;
using System.Text.RegularExpressions;

namespace MachCommerce.Hosting.Problems;

/// <summary>
/// What the framework says about a request that does not fit (System.Text.Json's and parameter binding's
/// messages name .NET types, parameters and internals) rewritten in a client's terms: the field's JSON path or
/// the parameter's name, and what its value must be.
/// </summary>
internal static partial class ClientErrorText
{
    public const string BodyRequired = "is required: send a JSON object.";

    /// <summary>The field (a JSON path) and the reason for a body that could not be read as the operation's input.</summary>
    public static (string Field, string Reason) ForJson(JsonException json)
    {
        var path = string.IsNullOrEmpty(json.Path) ? "$" : json.Path;
        var converted = CouldNotConvert().Match(json.Message);
        if (converted.Success)
        {
            var type = FindType(converted.Groups["type"].Value);
            // The reader names the object being built when one of its constructor's values fails: the field's own type is then a member of it.
            if (type is not null && path != "$" && IsObject(type) && MemberType(type, LastSegment(path)) is { } member)
            {
                type = member;
            }

            return (path, type is null ? Describe(converted.Groups["type"].Value) : Describe(type));
        }

        var missing = MissingRequired().Match(json.Message);
        if (missing.Success)
        {
            var first = missing.Groups["names"].Value.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)[0].Trim('\'');
            return (path == "$" ? "$." + first : path + "." + first, "is required.");
        }

        // Syntax errors ("'x' is an invalid start of a value.") name no types; anything else is said generally.
        var message = json.Message;
        var cut = message.IndexOf(" Path:", StringComparison.Ordinal);
        message = cut > 0 ? message[..cut] : message;
        return (path, LooksInternal(message) ? "has a value of the wrong kind here." : message);
    }

    /// <summary>The parameter and the reason for a binding failure outside the body (route, query string, header), or for a missing body.</summary>
    public static (string Field, string Reason)? ForBinding(string message)
    {
        if (message.StartsWith("Implicit body inferred", StringComparison.Ordinal) || message.Contains("was not provided from body", StringComparison.Ordinal))
        {
            return ("$", BodyRequired);
        }

        var failed = FailedToBind().Match(message);
        if (failed.Success)
        {
            return (failed.Groups["name"].Value, Describe(failed.Groups["type"].Value));
        }

        var required = RequiredParameter().Match(message);
        return required.Success ? (required.Groups["name"].Value, "is required.") : null;
    }

    /// <summary>True for text that names .NET internals and must not reach a client.</summary>
    public static bool LooksInternal(string text) =>
        text.Contains("System.", StringComparison.Ordinal) || text.Contains("MachCommerce.", StringComparison.Ordinal) || text.Contains('`')
        || text.Contains("parameter \"", StringComparison.Ordinal);

    private static string Describe(Type type)
    {
        type = Nullable.GetUnderlyingType(type) ?? type;
        if (type.IsEnum)
        {
            return "is not one of the allowed values.";
        }

        return type != typeof(string) && typeof(IEnumerable).IsAssignableFrom(type) && !typeof(IDictionary).IsAssignableFrom(type)
            ? "must be a list."
            : Describe(type.Name);
    }

    private static string Describe(string typeName)
    {
        var name = typeName.Trim();
        var nullable = NullableOf().Match(name);
        if (nullable.Success)
        {
            name = nullable.Groups["inner"].Value;
        }

        if (name.EndsWith("[]", StringComparison.Ordinal))
        {
            return "must be a list.";
        }

        // A generic type is named with its arguments (List`1[Namespace.Line]): its own name is before the backtick.
        var generic = name.IndexOf('`', StringComparison.Ordinal);
        name = generic >= 0 ? name[..generic] : name;
        name = name[(name.LastIndexOf('.') + 1)..];
        return name switch
        {
            "Guid" => "must be a UUID, e.g. 0199aa00-0000-7000-8000-000000000001.",
            "Int16" or "Int32" or "Int64" or "UInt16" or "UInt32" or "UInt64" or "Byte" or "int" or "long" or "short" or "byte" or "uint" or "ulong"
                => "must be a whole number.",
            "Decimal" or "Double" or "Single" or "decimal" or "double" or "float" => "must be a number, e.g. 49.90.",
            "Boolean" or "bool" => "must be true or false.",
            "String" or "string" => "must be a string.",
            "DateTimeOffset" or "DateTime" => "must be a date and time, e.g. 2026-11-30T09:00:00Z.",
            "DateOnly" => "must be a date, e.g. 2026-11-30.",
            "TimeSpan" => "must be a duration, e.g. 00:30:00 or 7.00:00:00.",
            _ when name.StartsWith("Dictionary", StringComparison.Ordinal) || name.StartsWith("IDictionary", StringComparison.Ordinal)
                   || name.StartsWith("IReadOnlyDictionary", StringComparison.Ordinal) => "must be a JSON object.",
            _ when generic >= 0 => "must be a list.",
            _ => "must be a JSON object.",
        };
    }

    private static bool IsObject(Type type) =>
        type is { IsClass: true } && type != typeof(string) && !typeof(IEnumerable).IsAssignableFrom(type);

    private static Type? MemberType(Type type, string name) =>
        type.GetProperties().FirstOrDefault(p => string.Equals(p.Name, name, StringComparison.OrdinalIgnoreCase))?.PropertyType;

    private static string LastSegment(string path)
    {
        var last = path[(path.LastIndexOf('.') + 1)..];
        var bracket = last.IndexOf('[', StringComparison.Ordinal);
        return bracket >= 0 ? last[..bracket] : last;
    }

    /// <summary>The named type among the loaded assemblies (the services' own input records and enums).</summary>
    private static Type? FindType(string fullName)
    {
        var nullable = NullableOf().Match(fullName);
        var name = nullable.Success ? nullable.Groups["inner"].Value : fullName;
        if (name.Contains('`', StringComparison.Ordinal) || name.EndsWith("[]", StringComparison.Ordinal))
        {
            return null; // described by its name
        }

        foreach (var assembly in AppDomain.CurrentDomain.GetAssemblies())
        {
            if (assembly.GetType(name, throwOnError: false) is { } type)
            {
                return type;
            }
        }

        return null;
    }

    [GeneratedRegex(@"could not be converted to (?<type>\S+?)\.?( Path:|$)")]
    private static partial Regex CouldNotConvert();

    [GeneratedRegex(@"missing required properties,? including:? (?<names>.+?)\.?$")]
    private static partial Regex MissingRequired();

    [GeneratedRegex(@"^(System\.)?Nullable(`1\[|<)(?<inner>.+?)(\]|>)$")]
    private static partial Regex NullableOf();

    [GeneratedRegex("Failed to bind parameter \"(?<type>.+) (?<name>[^ ]+)\" from")]
    private static partial Regex FailedToBind();

    [GeneratedRegex("Required parameter \"(?<type>.+) (?<name>[^ ]+)\" was not provided")]
    private static partial Regex RequiredParameter();
}
