using MachCommerce.GraphQL.Language;

namespace MachCommerce.GraphQL.Types;

/// <summary>
/// Prints a schema as SDL exactly as graphql-js's printSchema does (same order, same spacing, same choice between
/// block and plain strings), so a schema can be compared with the reference implementation's text.
/// </summary>
public static class SchemaPrinter
{
    public static string Print(Schema schema)
    {
        var parts = new List<string>();
        if (SchemaDefinition(schema) is { } definition)
        {
            parts.Add(definition);
        }

        parts.AddRange(schema.Directives.Where(d => !SpecifiedDirectives.IsSpecified(d)).Select(Directive));
        parts.AddRange(schema.Types.Where(t => !SpecifiedScalars.IsSpecified(t) && !t.Name.StartsWith("__", StringComparison.Ordinal)).Select(Type));
        return string.Join("\n\n", parts);
    }

    private static string? SchemaDefinition(Schema schema)
    {
        if (schema.Query is null && schema.Mutation is null && schema.Subscription is null)
        {
            return null;
        }

        var conventional = schema.Query == schema.Type("Query") && schema.Mutation == schema.Type("Mutation") && schema.Subscription == schema.Type("Subscription");
        if (schema.Description is null && conventional)
        {
            return null;
        }

        var text = new StringBuilder(Description(schema.Description)).Append("schema {\n");
        if (schema.Query is not null) text.Append(CultureInfo.InvariantCulture, $"  query: {schema.Query.Name}\n");
        if (schema.Mutation is not null) text.Append(CultureInfo.InvariantCulture, $"  mutation: {schema.Mutation.Name}\n");
        if (schema.Subscription is not null) text.Append(CultureInfo.InvariantCulture, $"  subscription: {schema.Subscription.Name}\n");
        return text.Append('}').ToString();
    }

    public static string Type(NamedType type) => type switch
    {
        ScalarType scalar => Description(scalar.Description) + $"scalar {scalar.Name}" + (scalar.SpecifiedByUrl is { } url ? $" @specifiedBy(url: {PrintString(url)})" : ""),
        ObjectType o => Description(o.Description) + $"type {o.Name}" + Interfaces(o) + Fields(o),
        InterfaceType i => Description(i.Description) + $"interface {i.Name}" + Interfaces(i) + Fields(i),
        UnionType u => Description(u.Description) + $"union {u.Name}" + (u.Types.Count > 0 ? " = " + string.Join(" | ", u.Types.Select(t => t.Name)) : ""),
        EnumType e => Description(e.Description) + $"enum {e.Name}" + Block(e.Values.Select((v, i) => Description(v.Description, "  ", i == 0) + "  " + v.Name + Deprecated(v.DeprecationReason))),
        InputObjectType input => Description(input.Description) + $"input {input.Name}" + (input.IsOneOf ? " @oneOf" : "")
            + Block(input.Fields.Select((f, i) => Description(f.Description, "  ", i == 0) + "  " + InputValueText(f))),
        _ => throw new InvalidOperationException($"Unexpected type {type.Name}."),
    };

    private static string Interfaces(FieldsType type) => type.Interfaces.Count > 0 ? " implements " + string.Join(" & ", type.Interfaces.Select(i => i.Name)) : "";

    private static string Fields(FieldsType type) =>
        Block(type.Fields.Select((f, i) => Description(f.Description, "  ", i == 0) + "  " + f.Name + Arguments(f.Arguments, "  ") + ": " + f.Type + Deprecated(f.DeprecationReason)));

    private static string Block(IEnumerable<string> items)
    {
        var list = items.ToList();
        return list.Count > 0 ? " {\n" + string.Join('\n', list) + "\n}" : "";
    }

    private static string Arguments(IReadOnlyList<InputValue> arguments, string indentation = "")
    {
        if (arguments.Count == 0)
        {
            return "";
        }

        if (arguments.All(a => a.Description is null))
        {
            return "(" + string.Join(", ", arguments.Select(InputValueText)) + ")";
        }

        return "(\n" + string.Join('\n', arguments.Select((a, i) => Description(a.Description, "  " + indentation, i == 0) + "  " + indentation + InputValueText(a)))
            + "\n" + indentation + ")";
    }

    private static string InputValueText(InputValue value) =>
        value.Name + ": " + value.Type + (value.DefaultValue is { } defaultValue ? " = " + ValuePrinter.Print(defaultValue) : "") + Deprecated(value.DeprecationReason);

    private static string Directive(DirectiveType directive) =>
        Description(directive.Description) + $"directive @{directive.Name}" + Arguments(directive.Arguments) + (directive.IsRepeatable ? " repeatable" : "")
        + " on " + string.Join(" | ", directive.Locations);

    private static string Deprecated(string? reason) => reason switch
    {
        null => "",
        SpecifiedDirectives.DefaultDeprecationReason => " @deprecated",
        _ => $" @deprecated(reason: {PrintString(reason)})",
    };

    private static string Description(string? description, string indentation = "", bool firstInBlock = true)
    {
        if (description is null)
        {
            return "";
        }

        var text = ValuePrinter.IsPrintableAsBlockString(description) ? ValuePrinter.PrintBlockString(description) : PrintString(description);
        var prefix = indentation.Length > 0 && !firstInBlock ? "\n" + indentation : indentation;
        return prefix + text.Replace("\n", "\n" + indentation, StringComparison.Ordinal) + "\n";
    }

    private static string PrintString(string value) => ValuePrinter.PrintString(value);
}
