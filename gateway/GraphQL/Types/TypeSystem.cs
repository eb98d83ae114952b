using MachCommerce.GraphQL.Language;

namespace MachCommerce.GraphQL.Types;

/// <summary>A type as fields and arguments refer to it: a named type, or a list or non-null wrapper around one.</summary>
public abstract class TypeReference
{
    /// <summary>The named type inside all wrappers.</summary>
    public abstract NamedType Named { get; }

    /// <summary>The type as SDL writes it: <c>[String!]!</c>.</summary>
    public abstract override string ToString();
}

public sealed class ListOf(TypeReference ofType) : TypeReference
{
    public TypeReference OfType { get; } = ofType;

    public override NamedType Named => OfType.Named;

    public override string ToString() => $"[{OfType}]";
}

public sealed class NonNull(TypeReference ofType) : TypeReference
{
    public TypeReference OfType { get; } = ofType is NonNull ? throw new ArgumentException("A non-null type cannot wrap another non-null type.", nameof(ofType)) : ofType;

    public override NamedType Named => OfType.Named;

    public override string ToString() => $"{OfType}!";
}

/// <summary>A scalar, object, interface, union, enum or input object type, known by its name.</summary>
public abstract class NamedType(string name, string? description) : TypeReference
{
    public string Name { get; } = name;

    public string? Description { get; set; } = description;

    public override NamedType Named => this;

    public override string ToString() => Name;
}

/// <summary>
/// A leaf type. Its three coercions (spec 3.5): <see cref="Serialize"/> turns a resolver's value into a result value
/// (string, bool, int, long, double, decimal, or a JSON-compatible structure); <see cref="ParseValue"/> turns a
/// variable's JSON into the internal value; <see cref="ParseLiteral"/> does the same for a literal in the
/// document. Each throws <see cref="CoercionException"/> for what it cannot represent.
/// </summary>
public sealed class ScalarType(string name, string? description = null, string? specifiedByUrl = null) : NamedType(name, description)
{
    public string? SpecifiedByUrl { get; set; } = specifiedByUrl;

    /// <summary>By default a custom scalar passes values through unchanged (as graphql-js does).</summary>
    public Func<object, object?> Serialize { get; init; } = value => value is System.Text.Json.JsonElement json ? JsonValues.ToObject(json) : value;

    public Func<System.Text.Json.JsonElement, object?> ParseValue { get; init; } = JsonValues.ToObject;

    public Func<Value, object?> ParseLiteral { get; init; } = JsonValues.FromLiteral;
}

/// <summary>An argument of a field or directive, or a field of an input object.</summary>
public sealed class InputValue(string name, TypeReference type, string? description = null, Value? defaultValue = null, string? deprecationReason = null)
{
    public string Name { get; } = name;
    public TypeReference Type { get; internal set; } = type;
    public string? Description { get; } = description;

    /// <summary>The default as a literal, as SDL and introspection show it.</summary>
    public Value? DefaultValue { get; } = defaultValue;

    public string? DeprecationReason { get; } = deprecationReason;
}

public sealed class OutputField(string name, TypeReference type, IReadOnlyList<InputValue>? arguments = null, string? description = null, string? deprecationReason = null)
{
    /// <summary>Null: the default resolver, which reads the parent's property or key of the field's name.</summary>
    public Func<ResolveContext, ValueTask<object?>>? Resolve { get; set; }

    /// <summary>
    /// A resolver that needs nothing but the parent value and answers at once (a property of a C# object, a small
    /// computation): the cheapest kind, since no context is built for it. Used when <see cref="Resolve"/> is null.
    /// </summary>
    public Func<object, object?>? ResolveFromParent { get; set; }

    /// <summary>What resolving this field costs in the request cost analysis (1 when not set); expensive calls weigh more.</summary>
    public int? Cost { get; set; }

    /// <summary>
    /// The most items its <c>first</c>/<c>last</c> argument may ask for; a request asking for more (or for fewer
    /// than one) is refused before anything runs. Null: <see cref="Protection.LimitOptions.MaxPageSize"/>.
    /// </summary>
    public int? MaxPageSize { get; set; }

    public string Name { get; } = name;
    public TypeReference Type { get; internal set; } = type;
    public IReadOnlyList<InputValue> Arguments { get; } = arguments ?? [];
    public string? Description { get; } = description;
    public string? DeprecationReason { get; } = deprecationReason;
}

/// <summary>An object or interface type: named fields, and the interfaces it implements.</summary>
public abstract class FieldsType(string name, string? description) : NamedType(name, description)
{
    public List<InterfaceType> Interfaces { get; } = [];

    /// <summary>In definition order, as SDL and introspection list them.</summary>
    public List<OutputField> Fields { get; } = [];

    private sealed record FieldIndex(Dictionary<string, OutputField> ByName, int Count);

    private FieldIndex? _index;

    /// <summary>
    /// A field by name, from an index built on first use (execution looks a field up for every object it
    /// completes); rebuilt if fields were added since, as a code-first type is filled in before the schema is built.
    /// </summary>
    public OutputField? Field(string fieldName)
    {
        var index = _index;
        if (index is null || index.Count != Fields.Count)
        {
            var byName = new Dictionary<string, OutputField>(StringComparer.Ordinal);
            foreach (var field in Fields)
            {
                byName.TryAdd(field.Name, field);
            }

            _index = index = new FieldIndex(byName, Fields.Count);
        }

        return index.ByName.GetValueOrDefault(fieldName);
    }
}

public sealed class ObjectType(string name, string? description = null) : FieldsType(name, description);

/// <summary>An interface or union: which object type a value is, decided at run time.</summary>
public interface IAbstractType
{
    string Name { get; }

    /// <summary>Null: the value's "__typename" (a dictionary key or JSON property), as graphql-js's default does.</summary>
    Func<object, string?>? ResolveType { get; set; }
}

public sealed class InterfaceType(string name, string? description = null) : FieldsType(name, description), IAbstractType
{
    public Func<object, string?>? ResolveType { get; set; }
}

public sealed class UnionType(string name, string? description = null) : NamedType(name, description), IAbstractType
{
    public List<ObjectType> Types { get; } = [];

    public Func<object, string?>? ResolveType { get; set; }
}

public sealed class EnumValueDefinitionOf(string name, string? description = null, string? deprecationReason = null)
{
    public string Name { get; } = name;
    public string? Description { get; } = description;
    public string? DeprecationReason { get; } = deprecationReason;
}

public sealed class EnumType(string name, string? description = null) : NamedType(name, description)
{
    public List<EnumValueDefinitionOf> Values { get; } = [];

    private sealed record ValueIndex(HashSet<string> Names, int Count);

    private ValueIndex? _index;

    /// <summary>Whether the enum has a value of this name (indexed on first use, like <see cref="FieldsType.Field"/>).</summary>
    public bool HasValue(string? name)
    {
        var index = _index;
        if (index is null || index.Count != Values.Count)
        {
            _index = index = new ValueIndex([.. Values.Select(v => v.Name)], Values.Count);
        }

        return name is not null && index.Names.Contains(name);
    }
}

public sealed class InputObjectType(string name, string? description = null, bool isOneOf = false) : NamedType(name, description)
{
    public List<InputValue> Fields { get; } = [];

    /// <summary>The draft's <c>@oneOf</c>: exactly one field must be given, and it must not be null.</summary>
    public bool IsOneOf { get; set; } = isOneOf;
}

public sealed class DirectiveType(string name, IReadOnlyList<string> locations, IReadOnlyList<InputValue>? arguments = null, bool isRepeatable = false, string? description = null)
{
    public string Name { get; } = name;
    public IReadOnlyList<string> Locations { get; } = locations;
    public IReadOnlyList<InputValue> Arguments { get; } = arguments ?? [];
    public bool IsRepeatable { get; } = isRepeatable;
    public string? Description { get; } = description;

    public override string ToString() => "@" + Name;
}

/// <summary>A schema that cannot be built: every problem found, each naming where it is.</summary>
public sealed class GraphQLSchemaException(IReadOnlyList<string> errors) : Exception(string.Join(Environment.NewLine, errors))
{
    public IReadOnlyList<string> Errors { get; } = errors;
}
