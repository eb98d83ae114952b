namespace MachCommerce.Gateway.Storefront;

/// <summary>Attaches resolvers to the fields of the SDL schema by "Type.field", and proves at start-up that none was forgotten.</summary>
internal sealed class GraphWiring(Schema schema)
{
    public Schema Schema => schema;

    /// <summary>Which object type an interface's value is.</summary>
    public void ResolveType(string interfaceName, Func<object, string?> resolve) => ((InterfaceType)schema.Type(interfaceName)!).ResolveType = resolve;

    /// <summary>A field read from its parent alone (the cheapest kind of resolver).</summary>
    public void Read<TParent>(string coordinate, Func<TParent, object?> read) => Field(coordinate).ResolveFromParent = parent => read((TParent)parent);

    /// <summary>A field read from a JSON object the services answered, by a property of the same or another name.</summary>
    public void Json(string coordinate, string? property = null)
    {
        var name = property ?? coordinate[(coordinate.IndexOf('.', StringComparison.Ordinal) + 1)..];
        Read<JsonElement>(coordinate, json => json.Prop(name));
    }

    /// <summary>A field computed at once from its parent and the request (arguments, language): no task, no state machine.</summary>
    public void Compute<TParent>(string coordinate, Func<TParent, ResolveContext, object?> compute) =>
        Field(coordinate).Resolve = context => new ValueTask<object?>(compute((TParent)context.Parent!, context));

    /// <summary>A field that calls a service (or waits for a batch); <paramref name="cost"/> weighs it in the request cost.</summary>
    public void Resolve(string coordinate, Func<ResolveContext, Task<object?>> resolve, int? cost = null)
    {
        var field = Field(coordinate);
        field.Resolve = context => new ValueTask<object?>(resolve(context));
        field.Cost = cost;
    }

    /// <summary>Every field of the schema's own object types must have a resolver: a forgotten one would answer null forever.</summary>
    public void EnsureComplete()
    {
        var missing = schema.Types.OfType<ObjectType>()
            .Where(t => !t.Name.StartsWith("__", StringComparison.Ordinal))
            .SelectMany(t => t.Fields.Where(f => f.Resolve is null && f.ResolveFromParent is null).Select(f => $"{t.Name}.{f.Name}"))
            .ToList();
        if (missing.Count > 0)
        {
            throw new InvalidOperationException($"Storefront fields without a resolver: {string.Join(", ", missing)}.");
        }
    }

    public OutputField Field(string coordinate)
    {
        var parts = coordinate.Split('.');
        return (schema.Type(parts[0]) as FieldsType)?.Field(parts[1]) ?? throw new InvalidOperationException($"The storefront schema has no field {coordinate}.");
    }
}

/// <summary>Reading the services' JSON answers.</summary>
internal static class JsonFields
{
    /// <summary>The property, or null when it is missing or JSON null.</summary>
    public static JsonElement? Prop(this JsonElement json, string name) =>
        json.ValueKind == JsonValueKind.Object && json.TryGetProperty(name, out var value) && value.ValueKind != JsonValueKind.Null ? value : null;

    public static string? Str(this JsonElement json, string name) => json.Prop(name) is { ValueKind: JsonValueKind.String } value ? value.GetString() : null;

    public static decimal? Dec(this JsonElement json, string name) => json.Prop(name) is { ValueKind: JsonValueKind.Number } value ? value.GetDecimal() : null;

    public static IEnumerable<JsonElement> Items(this JsonElement json, string name) =>
        json.Prop(name) is { ValueKind: JsonValueKind.Array } array ? array.EnumerateArray() : [];

    /// <summary>A text of a <c>{"de": …, "en": …}</c> object in the wanted language, else German, else any.</summary>
    public static string? Localized(this JsonElement json, string name, string locale)
    {
        if (json.Prop(name) is not { ValueKind: JsonValueKind.Object } texts)
        {
            return null;
        }

        return texts.Str(locale) ?? texts.Str("de") ?? texts.EnumerateObject().Select(p => p.Value.GetString()).FirstOrDefault(t => t is not null);
    }
}
