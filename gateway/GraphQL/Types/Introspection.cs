using MachCommerce.GraphQL.Language;

namespace MachCommerce.GraphQL.Types;

/// <summary>
/// The introspection system (spec section 4): the <c>__Schema</c>, <c>__Type</c>, <c>__Field</c>,
/// <c>__InputValue</c>, <c>__EnumValue</c>, <c>__Directive</c> types and their enums, with the specification's
/// descriptions as graphql-js publishes them, resolved over our own type system; and the root fields
/// <c>__schema</c> and <c>__type(name:)</c>. Shared by every schema, as the specified scalars are.
/// </summary>
public static class Introspection
{
    public static readonly EnumType TypeKind = Enum("__TypeKind", "An enum describing what kind of type a given `__Type` is.",
        ("SCALAR", "Indicates this type is a scalar."),
        ("OBJECT", "Indicates this type is an object. `fields` and `interfaces` are valid fields."),
        ("INTERFACE", "Indicates this type is an interface. `fields`, `interfaces`, and `possibleTypes` are valid fields."),
        ("UNION", "Indicates this type is a union. `possibleTypes` is a valid field."),
        ("ENUM", "Indicates this type is an enum. `enumValues` is a valid field."),
        ("INPUT_OBJECT", "Indicates this type is an input object. `inputFields` is a valid field."),
        ("LIST", "Indicates this type is a list. `ofType` is a valid field."),
        ("NON_NULL", "Indicates this type is a non-null. `ofType` is a valid field."));

    public static readonly EnumType DirectiveLocation = Enum("__DirectiveLocation",
        "A Directive can be adjacent to many parts of the GraphQL language, a __DirectiveLocation describes one such possible adjacencies.",
        ("QUERY", "Location adjacent to a query operation."),
        ("MUTATION", "Location adjacent to a mutation operation."),
        ("SUBSCRIPTION", "Location adjacent to a subscription operation."),
        ("FIELD", "Location adjacent to a field."),
        ("FRAGMENT_DEFINITION", "Location adjacent to a fragment definition."),
        ("FRAGMENT_SPREAD", "Location adjacent to a fragment spread."),
        ("INLINE_FRAGMENT", "Location adjacent to an inline fragment."),
        ("VARIABLE_DEFINITION", "Location adjacent to an operation variable definition."),
        ("FRAGMENT_VARIABLE_DEFINITION", "Location adjacent to a fragment variable definition."),
        ("SCHEMA", "Location adjacent to a schema definition."),
        ("SCALAR", "Location adjacent to a scalar definition."),
        ("OBJECT", "Location adjacent to an object type definition."),
        ("FIELD_DEFINITION", "Location adjacent to a field definition."),
        ("ARGUMENT_DEFINITION", "Location adjacent to an argument definition."),
        ("INTERFACE", "Location adjacent to an interface definition."),
        ("UNION", "Location adjacent to a union definition."),
        ("ENUM", "Location adjacent to an enum definition."),
        ("ENUM_VALUE", "Location adjacent to an enum value definition."),
        ("INPUT_OBJECT", "Location adjacent to an input object type definition."),
        ("INPUT_FIELD_DEFINITION", "Location adjacent to an input object field definition."),
        ("DIRECTIVE_DEFINITION", "Location adjacent to a directive definition."));

    public static readonly ObjectType Schema = new("__Schema",
        "A GraphQL Schema defines the capabilities of a GraphQL server. It exposes all available types and directives on the server, as well as the entry points for query, mutation, and subscription operations.");

    public static readonly ObjectType Type = new("__Type",
        "The fundamental unit of any GraphQL Schema is the type. There are many kinds of types in GraphQL as represented by the `__TypeKind` enum.\n\nDepending on the kind of a type, certain fields describe information about that type. Scalar types provide no information beyond a name, description and optional `specifiedByURL`, while Enum types provide their values. Object and Interface types provide the fields they describe. Abstract types, Union and Interface, provide the Object types possible at runtime. List and NonNull types compose other types.");

    public static readonly ObjectType Field = new("__Field",
        "Object and Interface types are described by a list of Fields, each of which has a name, potentially a list of arguments, and a return type.");

    public static readonly ObjectType InputValueType = new("__InputValue",
        "Arguments provided to Fields or Directives and the input fields of an InputObject are represented as Input Values which describe their type and optionally a default value.");

    public static readonly ObjectType EnumValue = new("__EnumValue",
        "One possible value for a given Enum. Enum values are unique values, not a placeholder for a string or numeric value. However an Enum value is returned in a JSON response as a string.");

    public static readonly ObjectType Directive = new("__Directive",
        "A Directive provides a way to describe alternate runtime execution and type validation behavior in a GraphQL document.\n\nIn some cases, you need to provide options to alter GraphQL's execution behavior in ways field arguments will not suffice, such as conditionally including or skipping a field. Directives provide this by describing additional information to the executor.");

    /// <summary>The query root's meta fields; their parent value is the schema.</summary>
    public static readonly OutputField SchemaField = new("__schema", new NonNull(Schema), description: "Access the current type schema of this server.")
    {
        Resolve = context => Value(context.Parent),
    };

    public static readonly OutputField TypeField = new("__type", Type, [new InputValue("name", new NonNull(SpecifiedScalars.String))], "Request the type information of a single type.")
    {
        Resolve = context => Value(((Types.Schema)context.Parent!).Type((string)context.Arguments["name"]!)),
    };

    /// <summary>The <c>__typename</c> meta field every object, interface and union has.</summary>
    public static readonly OutputField TypeNameField = new("__typename", new NonNull(SpecifiedScalars.String));

    /// <summary>
    /// The field a selection names on <paramref name="parent"/>: <c>__typename</c> on any composite type,
    /// <c>__schema</c> and <c>__type</c> on the query root, otherwise the type's own field (null when it has none).
    /// </summary>
    public static OutputField? FieldOf(Types.Schema schema, NamedType parent, string name) => name switch
    {
        "__typename" when parent is FieldsType or UnionType => TypeNameField,
        "__schema" when parent == schema.Query => SchemaField,
        "__type" when parent == schema.Query => TypeField,
        _ => (parent as FieldsType)?.Field(name),
    };

    private static readonly InputValue IncludeDeprecated = new("includeDeprecated", new NonNull(SpecifiedScalars.Boolean), defaultValue: new BooleanValue(false));

    static Introspection()
    {
        var typeList = new NonNull(new ListOf(new NonNull(Type)));
        Schema.Fields.AddRange(
        [
            Read("description", SpecifiedScalars.String, (Types.Schema s) => s.Description),
            Read("types", typeList, (Types.Schema s) => s.Types, "A list of all types supported by this server."),
            Read("queryType", new NonNull(Type), (Types.Schema s) => s.Query, "The type that query operations will be rooted at."),
            Read("mutationType", Type, (Types.Schema s) => s.Mutation, "If this server supports mutation, the type that mutation operations will be rooted at."),
            Read("subscriptionType", Type, (Types.Schema s) => s.Subscription, "If this server support subscription, the type that subscription operations will be rooted at."),
            Read("directives", new NonNull(new ListOf(new NonNull(Directive))), (Types.Schema s) => s.Directives, "A list of all directives supported by this server.", [IncludeDeprecated]),
        ]);

        Directive.Fields.AddRange(
        [
            Read("name", new NonNull(SpecifiedScalars.String), (DirectiveType d) => d.Name),
            Read("description", SpecifiedScalars.String, (DirectiveType d) => d.Description),
            Read("isRepeatable", new NonNull(SpecifiedScalars.Boolean), (DirectiveType d) => d.IsRepeatable),
            Read("locations", new NonNull(new ListOf(new NonNull(DirectiveLocation))), (DirectiveType d) => d.Locations),
            Resolved("args", new NonNull(new ListOf(new NonNull(InputValueType))), (DirectiveType d, ResolveContext c) => Current(d.Arguments, c), arguments: [IncludeDeprecated]),
            Read("isDeprecated", new NonNull(SpecifiedScalars.Boolean), (DirectiveType _) => false),
            Read("deprecationReason", SpecifiedScalars.String, (DirectiveType _) => null),
        ]);

        Type.Fields.AddRange(
        [
            Read("kind", new NonNull(TypeKind), (TypeReference t) => Kind(t)),
            Read("name", SpecifiedScalars.String, (TypeReference t) => (t as NamedType)?.Name),
            Read("description", SpecifiedScalars.String, (TypeReference t) => (t as NamedType)?.Description),
            Read("specifiedByURL", SpecifiedScalars.String, (TypeReference t) => (t as ScalarType)?.SpecifiedByUrl),
            Resolved("fields", new ListOf(new NonNull(Field)), (TypeReference t, ResolveContext c) => t is FieldsType f ? f.Fields.Where(x => Include(c, x.DeprecationReason)) : null, arguments: [IncludeDeprecated]),
            Read("interfaces", new ListOf(new NonNull(Type)), (TypeReference t) => (t as FieldsType)?.Interfaces),
            Resolved("possibleTypes", new ListOf(new NonNull(Type)), (TypeReference t, ResolveContext c) => t is UnionType or InterfaceType ? c.Schema.PossibleTypes((NamedType)t) : null),
            Resolved("enumValues", new ListOf(new NonNull(EnumValue)), (TypeReference t, ResolveContext c) => (t as EnumType)?.Values.Where(v => Include(c, v.DeprecationReason)), arguments: [IncludeDeprecated]),
            Resolved("inputFields", new ListOf(new NonNull(InputValueType)), (TypeReference t, ResolveContext c) => t is InputObjectType i ? Current(i.Fields, c) : null, arguments: [IncludeDeprecated]),
            Read("ofType", Type, (TypeReference t) => t switch { ListOf l => l.OfType, NonNull n => n.OfType, _ => null }),
            Read("isOneOf", SpecifiedScalars.Boolean, (TypeReference t) => (t as InputObjectType)?.IsOneOf),
        ]);

        Field.Fields.AddRange(
        [
            Read("name", new NonNull(SpecifiedScalars.String), (OutputField f) => f.Name),
            Read("description", SpecifiedScalars.String, (OutputField f) => f.Description),
            Resolved("args", new NonNull(new ListOf(new NonNull(InputValueType))), (OutputField f, ResolveContext c) => Current(f.Arguments, c), arguments: [IncludeDeprecated]),
            Read("type", new NonNull(Type), (OutputField f) => f.Type),
            Read("isDeprecated", new NonNull(SpecifiedScalars.Boolean), (OutputField f) => f.DeprecationReason is not null),
            Read("deprecationReason", SpecifiedScalars.String, (OutputField f) => f.DeprecationReason),
        ]);

        InputValueType.Fields.AddRange(
        [
            Read("name", new NonNull(SpecifiedScalars.String), (InputValue v) => v.Name),
            Read("description", SpecifiedScalars.String, (InputValue v) => v.Description),
            Read("type", new NonNull(Type), (InputValue v) => v.Type),
            Read("defaultValue", SpecifiedScalars.String, (InputValue v) => v.DefaultValue is { } value ? ValuePrinter.Print(value) : null,
                "A GraphQL-formatted string representing the default value for this input value."),
            Read("isDeprecated", new NonNull(SpecifiedScalars.Boolean), (InputValue v) => v.DeprecationReason is not null),
            Read("deprecationReason", SpecifiedScalars.String, (InputValue v) => v.DeprecationReason),
        ]);

        EnumValue.Fields.AddRange(
        [
            Read("name", new NonNull(SpecifiedScalars.String), (EnumValueDefinitionOf v) => v.Name),
            Read("description", SpecifiedScalars.String, (EnumValueDefinitionOf v) => v.Description),
            Read("isDeprecated", new NonNull(SpecifiedScalars.Boolean), (EnumValueDefinitionOf v) => v.DeprecationReason is not null),
            Read("deprecationReason", SpecifiedScalars.String, (EnumValueDefinitionOf v) => v.DeprecationReason),
        ]);
    }

    public static bool IsIntrospectionType(NamedType type) => type == Schema || type == Type || type == Field || type == InputValueType || type == EnumValue
        || type == Directive || type == TypeKind || type == DirectiveLocation;

    private static string Kind(TypeReference type) => type switch
    {
        ScalarType => "SCALAR",
        ObjectType => "OBJECT",
        InterfaceType => "INTERFACE",
        UnionType => "UNION",
        EnumType => "ENUM",
        InputObjectType => "INPUT_OBJECT",
        ListOf => "LIST",
        NonNull => "NON_NULL",
        _ => throw new InvalidOperationException($"Unexpected type {type}."),
    };

    private static bool Include(ResolveContext context, string? deprecationReason) => deprecationReason is null || context.Arguments.GetValueOrDefault("includeDeprecated") is true;

    private static IEnumerable<InputValue> Current(IEnumerable<InputValue> values, ResolveContext context) => values.Where(v => Include(context, v.DeprecationReason));

    private static ValueTask<object?> Value(object? value) => ValueTask.FromResult(value);

    /// <summary>A field computed from its parent alone, resolved without a context (see <see cref="OutputField.ResolveFromParent"/>).</summary>
    private static OutputField Read<TParent>(string name, TypeReference type, Func<TParent, object?> read, string? description = null, InputValue[]? arguments = null) =>
        new(name, type, arguments, description) { ResolveFromParent = parent => read((TParent)parent) };

    private static OutputField Resolved<TParent>(string name, TypeReference type, Func<TParent, ResolveContext, object?> resolve, string? description = null, InputValue[]? arguments = null) =>
        new(name, type, arguments, description) { Resolve = context => ValueTask.FromResult(resolve((TParent)context.Parent!, context)) };

    private static EnumType Enum(string name, string description, params (string Name, string Description)[] values)
    {
        var type = new EnumType(name, description);
        type.Values.AddRange(values.Select(v => new EnumValueDefinitionOf(v.Name, v.Description)));
        return type;
    }
}
