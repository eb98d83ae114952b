using MachCommerce.GraphQL.Language;
using MachCommerce.GraphQL.Types;

namespace MachCommerce.GraphQL.Execution;

/// <summary>
/// Input coercion (spec 3.10, 3.11, 6.1.2, 6.4.1): JSON variable values and document literals into internal values
/// (int, double, string, bool, null, enum value names, lists, ordered dictionaries for input objects), with
/// defaults, non-null, list promotion of a single value and the draft's <c>@oneOf</c> rules.
/// </summary>
internal static class InputCoercion
{
    /// <summary>
    /// A variable's JSON value. Every problem is reported (as graphql-js's validateInputValue does), each with its
    /// path inside the value (" at .filter.kinds[0]") and graphql-js's wording; the result is meaningless when any was.
    /// </summary>
    public static object? FromJson(JsonElement? json, TypeReference type, List<(string Path, string Message)> errors, string path = "")
    {
        if (type is NonNull nonNull)
        {
            if (json is null)
            {
                errors.Add((path, $"Expected a value of non-null type \"{type}\" to be provided."));
                return null;
            }

            if (json.Value.ValueKind == JsonValueKind.Null)
            {
                errors.Add((path, $"Expected value of non-null type \"{type}\" not to be null."));
                return null;
            }

            return FromJson(json, nonNull.OfType, errors, path);
        }

        if (json is not { } value || value.ValueKind is JsonValueKind.Null or JsonValueKind.Undefined)
        {
            return null;
        }

        switch (type)
        {
            case ListOf list:
                return value.ValueKind == JsonValueKind.Array
                    ? value.EnumerateArray().Select((item, i) => FromJson(item, list.OfType, errors, $"{path}[{i}]")).ToList()
                    : new List<object?> { FromJson(value, list.OfType, errors, path) };
            case InputObjectType input:
                if (value.ValueKind != JsonValueKind.Object)
                {
                    errors.Add((path, $"Expected value of type \"{input.Name}\" to be an object, found: {JsonValues.Inspect(value)}."));
                    return null;
                }

                var fields = new OrderedDictionary<string, object?>();
                foreach (var field in input.Fields)
                {
                    if (value.TryGetProperty(field.Name, out var fieldValue))
                    {
                        fields[field.Name] = FromJson(fieldValue, field.Type, errors, $"{path}.{field.Name}");
                    }
                    else if (field.DefaultValue is { } defaultValue)
                    {
                        fields[field.Name] = FromLiteral(defaultValue, field.Type, null);
                    }
                    else if (field.Type is NonNull)
                    {
                        errors.Add((path, $"Expected value of type \"{input.Name}\" to include required field \"{field.Name}\", found: {JsonValues.Inspect(value)}."));
                    }
                }

                foreach (var property in value.EnumerateObject().Where(p => input.Fields.Find(f => f.Name == p.Name) is null))
                {
                    var suggestion = Suggestions.DidYouMean(Suggestions.For(property.Name, input.Fields.Select(f => f.Name)));
                    errors.Add((path, $"Expected value of type \"{input.Name}\" not to include unknown field \"{property.Name}\"{(suggestion.Length > 0 ? "." + suggestion + " Found" : ", found")}: {JsonValues.Inspect(value)}."));
                }

                if (input.IsOneOf)
                {
                    var given = value.EnumerateObject().Where(p => input.Fields.Find(f => f.Name == p.Name) is not null).ToList();
                    if (given.Count != 1)
                    {
                        errors.Add((path, OneOfMessage(input)));
                    }
                    else if (given[0].Value.ValueKind == JsonValueKind.Null)
                    {
                        errors.Add(($"{path}.{given[0].Name}", OneOfMessage(input)));
                    }
                }

                return fields;
            case EnumType @enum:
                if (value.ValueKind == JsonValueKind.String && @enum.HasValue(value.GetString()))
                {
                    return value.GetString();
                }

                var unknown = value.ValueKind == JsonValueKind.String ? value.GetString()! : JsonValues.Inspect(value);
                var enumSuggestion = Suggestions.DidYouMean(Suggestions.For(unknown, @enum.Values.Select(v => v.Name)), "the enum value");
                errors.Add((path, value.ValueKind == JsonValueKind.String
                    ? $"Value {JsonValues.Inspect(value)} does not exist in \"{@enum.Name}\" enum.{enumSuggestion}"
                    : $"Enum \"{@enum.Name}\" cannot represent non-string value: {JsonValues.Inspect(value)}.{enumSuggestion}"));
                return null;
            case ScalarType scalar:
                try
                {
                    return scalar.ParseValue(value);
                }
                catch (CoercionException e)
                {
                    errors.Add((path, e.Message));
                    return null;
                }

            default:
                errors.Add((path, $"Type \"{type}\" is not an input type."));
                return null;
        }
    }

    private static string OneOfMessage(InputObjectType input) =>
        $"Within OneOf Input Object type \"{input.Name}\", exactly one field must be specified, and the value for that field must be non-null.";

    /// <summary>Sentinel for "no value" (an unset variable inside a literal): the field or argument is then left out.</summary>
    public static readonly object Absent = new();

    /// <summary>A literal, with the operation's coerced variables; returns <see cref="Absent"/> for an unset variable.</summary>
    public static object? FromLiteral(Value literal, TypeReference type, IReadOnlyDictionary<string, object?>? variables)
    {
        if (literal is Variable variable)
        {
            if (variables is null || !variables.TryGetValue(variable.Name.Value, out var value))
            {
                return Absent;
            }

            return value is null && type is NonNull ? throw new CoercionException($"Expected non-nullable type \"{type}\" not to be null.") : value;
        }

        if (type is NonNull nonNull)
        {
            return literal is NullValue
                ? throw new CoercionException($"Expected value of non-null type \"{type}\" not to be null.")
                : FromLiteral(literal, nonNull.OfType, variables);
        }

        if (literal is NullValue)
        {
            return null;
        }

        switch (type)
        {
            case ListOf list:
                if (literal is ListValue items)
                {
                    var result = new List<object?>();
                    foreach (var item in items.Values)
                    {
                        var value = FromLiteral(item, list.OfType, variables);
                        result.Add(ReferenceEquals(value, Absent) ? null : value);
                    }

                    return result;
                }

                var single = FromLiteral(literal, list.OfType, variables);
                return ReferenceEquals(single, Absent) ? Absent : new List<object?> { single };
            case InputObjectType input:
                if (literal is not ObjectValue objectValue)
                {
                    throw new CoercionException($"Expected value of type \"{input.Name}\", found {ValuePrinter.Print(literal)}.");
                }

                var fields = new OrderedDictionary<string, object?>();
                foreach (var field in input.Fields)
                {
                    var given = objectValue.Fields.FirstOrDefault(f => f.Name.Value == field.Name);
                    var value = given is null ? Absent : FromLiteral(given.Value, field.Type, variables);
                    if (!ReferenceEquals(value, Absent))
                    {
                        fields[field.Name] = value;
                    }
                    else if (field.DefaultValue is { } defaultValue)
                    {
                        fields[field.Name] = FromLiteral(defaultValue, field.Type, null);
                    }
                    else if (field.Type is NonNull)
                    {
                        throw new CoercionException($"Field \"{input.Name}.{field.Name}\" of required type \"{field.Type}\" was not provided.");
                    }
                }

                return OneOf(input, fields);
            case EnumType @enum:
                return literal is EnumValue e && @enum.HasValue(e.Value)
                    ? e.Value
                    : throw new CoercionException($"Value \"{ValuePrinter.Print(literal)}\" does not exist in \"{@enum.Name}\" enum.");
            case ScalarType scalar:
                return scalar.ParseLiteral(literal);
            default:
                throw new CoercionException($"Type \"{type}\" is not an input type.");
        }
    }

    private static OrderedDictionary<string, object?> OneOf(InputObjectType input, OrderedDictionary<string, object?> fields)
    {
        if (!input.IsOneOf)
        {
            return fields;
        }

        return fields.Count != 1 || fields.First().Value is null ? throw new CoercionException(OneOfMessage(input)) : fields;
    }
}
