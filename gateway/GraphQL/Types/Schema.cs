namespace MachCommerce.GraphQL.Types;

/// <summary>
/// A GraphQL schema: its root operation types, every type reachable from them or given explicitly, and its
/// directives. The type map's order is graphql-js's: the given types in order, each followed by the types first
/// reached through it, so printed SDL and introspection list types as a graphql-js schema would.
/// </summary>
public sealed class Schema
{
    public Schema(ObjectType? query, ObjectType? mutation = null, ObjectType? subscription = null, IEnumerable<NamedType>? types = null,
        IEnumerable<DirectiveType>? directives = null, string? description = null)
    {
        Query = query;
        Mutation = mutation;
        Subscription = subscription;
        Description = description;
        Directives = [.. directives ?? SpecifiedDirectives.All];

        // As graphql-js: start from the given types (each moved to the end as it is visited), then the roots,
        // then what directive arguments refer to.
        var ordered = new List<NamedType>(types ?? []);
        var seen = new HashSet<NamedType>(ordered);
        foreach (var type in ordered.ToList())
        {
            ordered.Remove(type);
            seen.Remove(type);
            Collect(type, ordered, seen);
        }

        foreach (var root in new[] { query, mutation, subscription })
        {
            if (root is not null)
            {
                Collect(root, ordered, seen);
            }
        }

        foreach (var argument in Directives.SelectMany(d => d.Arguments))
        {
            Collect(argument.Type, ordered, seen);
        }

        Collect(Introspection.Schema, ordered, seen);

        var byName = new Dictionary<string, NamedType>(StringComparer.Ordinal);
        var errors = new List<string>();
        foreach (var type in ordered)
        {
            if (!byName.TryAdd(type.Name, type) && !ReferenceEquals(byName[type.Name], type))
            {
                errors.Add($"Schema must contain uniquely named types but contains multiple types named \"{type.Name}\".");
            }
        }

        if (errors.Count > 0)
        {
            throw new GraphQLSchemaException(errors);
        }

        Types = ordered;
        TypesByName = byName;
        _implementations = ordered.OfType<ObjectType>().SelectMany(o => o.Interfaces.Select(i => (Interface: i, Object: o)))
            .GroupBy(p => p.Interface).ToDictionary(g => g.Key, g => g.Select(p => p.Object).ToList());
    }

    public string? Description { get; }
    public ObjectType? Query { get; }
    public ObjectType? Mutation { get; }
    public ObjectType? Subscription { get; }
    public IReadOnlyList<NamedType> Types { get; }
    public IReadOnlyDictionary<string, NamedType> TypesByName { get; }
    public IReadOnlyList<DirectiveType> Directives { get; }

    public NamedType? Type(string name) => TypesByName.GetValueOrDefault(name);

    /// <summary>
    /// The object types a value of <paramref name="type"/> can be at run time: the object itself, a union's
    /// members, or the object types implementing an interface (in type-map order, as introspection lists them).
    /// </summary>
    public IReadOnlyList<ObjectType> PossibleTypes(NamedType type) => type switch
    {
        ObjectType objectType => [objectType],
        UnionType union => union.Types,
        InterfaceType @interface => _implementations.GetValueOrDefault(@interface) ?? [],
        _ => [],
    };

    /// <summary>The schema's type for a type reference written in a document, or null when it names no type here.</summary>
    public TypeReference? TypeFromAst(Language.TypeNode node) => node switch
    {
        Language.NonNullType n => TypeFromAst(n.Type) is { } inner ? new NonNull(inner) : null,
        Language.ListType l => TypeFromAst(l.Type) is { } inner ? new ListOf(inner) : null,
        Language.NamedType n => Type(n.Name.Value),
        _ => null,
    };

    private readonly Dictionary<InterfaceType, List<ObjectType>> _implementations;

    private static void Collect(TypeReference reference, List<NamedType> ordered, HashSet<NamedType> seen)
    {
        var type = reference.Named;
        if (!seen.Add(type))
        {
            return;
        }

        ordered.Add(type);
        switch (type)
        {
            case UnionType union:
                foreach (var member in union.Types)
                {
                    Collect(member, ordered, seen);
                }

                break;
            case FieldsType fields:
                foreach (var @interface in fields.Interfaces)
                {
                    Collect(@interface, ordered, seen);
                }

                foreach (var field in fields.Fields)
                {
                    Collect(field.Type, ordered, seen);
                    foreach (var argument in field.Arguments)
                    {
                        Collect(argument.Type, ordered, seen);
                    }
                }

                break;
            case InputObjectType input:
                foreach (var field in input.Fields)
                {
                    Collect(field.Type, ordered, seen);
                }

                break;
        }
    }
}

/// <summary>The scalars every schema has (spec section 3.5), with graphql-js's descriptions.</summary>
public static class SpecifiedScalars
{
    public static readonly ScalarType Int = new("Int", "The `Int` scalar type represents non-fractional signed whole numeric values. Int can represent values between -(2^31) and 2^31 - 1.")
    {
        Serialize = ScalarCoercion.SerializeInt, ParseValue = ScalarCoercion.ParseIntValue, ParseLiteral = ScalarCoercion.ParseIntLiteral,
    };

    public static readonly ScalarType Float = new("Float", "The `Float` scalar type represents signed double-precision fractional values as specified by [IEEE 754](https://en.wikipedia.org/wiki/IEEE_floating_point).")
    {
        Serialize = ScalarCoercion.SerializeFloat, ParseValue = ScalarCoercion.ParseFloatValue, ParseLiteral = ScalarCoercion.ParseFloatLiteral,
    };

    public static readonly ScalarType String = new("String", "The `String` scalar type represents textual data, represented as UTF-8 character sequences. The String type is most often used by GraphQL to represent free-form human-readable text.")
    {
        Serialize = ScalarCoercion.SerializeString, ParseValue = ScalarCoercion.ParseStringValue, ParseLiteral = ScalarCoercion.ParseStringLiteral,
    };

    public static readonly ScalarType Boolean = new("Boolean", "The `Boolean` scalar type represents `true` or `false`.")
    {
        Serialize = ScalarCoercion.SerializeBoolean, ParseValue = ScalarCoercion.ParseBooleanValue, ParseLiteral = ScalarCoercion.ParseBooleanLiteral,
    };

    public static readonly ScalarType Id = new("ID", "The `ID` scalar type represents a unique identifier, often used to refetch an object or as key for a cache. The ID type appears in a JSON response as a String; however, it is not intended to be human-readable. When expected as an input type, any string (such as `\"4\"`) or integer (such as `4`) input value will be accepted as an ID.")
    {
        Serialize = ScalarCoercion.SerializeId, ParseValue = ScalarCoercion.ParseIdValue, ParseLiteral = ScalarCoercion.ParseIdLiteral,
    };

    public static readonly IReadOnlyList<ScalarType> All = [String, Int, Float, Boolean, Id];

    public static bool IsSpecified(NamedType type) => All.Contains(type);
}

/// <summary>The directives every schema has: @include, @skip, @deprecated, @specifiedBy and the draft's @oneOf.</summary>
public static class SpecifiedDirectives
{
    public const string DefaultDeprecationReason = "No longer supported";

    public static readonly DirectiveType Include = new("include", ["FIELD", "FRAGMENT_SPREAD", "INLINE_FRAGMENT"],
        [new InputValue("if", new NonNull(SpecifiedScalars.Boolean), "Included when true.")], description: "Directs the executor to include this field or fragment only when the `if` argument is true.");

    public static readonly DirectiveType Skip = new("skip", ["FIELD", "FRAGMENT_SPREAD", "INLINE_FRAGMENT"],
        [new InputValue("if", new NonNull(SpecifiedScalars.Boolean), "Skipped when true.")], description: "Directs the executor to skip this field or fragment when the `if` argument is true.");

    public static readonly DirectiveType Deprecated = new("deprecated", ["FIELD_DEFINITION", "ARGUMENT_DEFINITION", "INPUT_FIELD_DEFINITION", "ENUM_VALUE", "DIRECTIVE_DEFINITION"],
        [new InputValue("reason", new NonNull(SpecifiedScalars.String),
            "Explains why this element was deprecated, usually also including a suggestion for how to access supported similar data. Formatted using the Markdown syntax, as specified by [CommonMark](https://commonmark.org/).",
            new Language.StringValue(DefaultDeprecationReason, false))],
        description: "Marks an element of a GraphQL schema as no longer supported.");

    public static readonly DirectiveType SpecifiedBy = new("specifiedBy", ["SCALAR"],
        [new InputValue("url", new NonNull(SpecifiedScalars.String), "The URL that specifies the behavior of this scalar.")],
        description: "Exposes a URL that specifies the behavior of this scalar.");

    public static readonly DirectiveType OneOf = new("oneOf", ["INPUT_OBJECT"],
        description: "Indicates exactly one field must be supplied and this field must not be `null`.");

    public static readonly IReadOnlyList<DirectiveType> All = [Include, Skip, Deprecated, SpecifiedBy, OneOf];

    public static bool IsSpecified(DirectiveType directive) => All.Any(d => d.Name == directive.Name);
}
