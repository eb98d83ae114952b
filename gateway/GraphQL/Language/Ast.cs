namespace MachCommerce.GraphQL.Language;

/// <summary>Where a node starts and ends in the source, with the line and column of its start.</summary>
public readonly record struct Location(int Start, int End, int Line, int Column);

/// <summary>A node of the syntax tree; the node kinds and their parts follow the spec's grammar and graphql-js's AST.</summary>
public abstract record Node : ILocated
{
    public Location Location { get; init; }
}

/// <summary>
/// A name in the document. A struct kept inside its node rather than an object of its own: names are the most
/// numerous part of any document, and parsing spends much of its time allocating them.
/// </summary>
public readonly record struct Name(string Value) : ILocated
{
    public Location Location { get; init; }
}

/// <summary>Anything with a place in the source: nodes and names (errors point at either).</summary>
public interface ILocated
{
    Location Location { get; }
}

public sealed record Document(IReadOnlyList<Definition> Definitions) : Node;

public abstract record Definition : Node;

public enum OperationType
{
    Query,
    Mutation,
    Subscription,
}

/// <summary>An operation; <see cref="Description"/> is the draft's executable description (graphql-js 17 parses it).</summary>
public sealed record OperationDefinition(
    OperationType Operation, Name? Name, IReadOnlyList<VariableDefinition> VariableDefinitions, IReadOnlyList<Directive> Directives, SelectionSet SelectionSet) : Definition
{
    public StringValue? Description { get; init; }
}

public sealed record VariableDefinition(Variable Variable, TypeNode Type, Value? DefaultValue, IReadOnlyList<Directive> Directives) : Node
{
    public StringValue? Description { get; init; }
}

public sealed record SelectionSet(IReadOnlyList<Selection> Selections) : Node;

public abstract record Selection : Node;

public sealed record Field(Name? Alias, Name Name, IReadOnlyList<Argument> Arguments, IReadOnlyList<Directive> Directives, SelectionSet? SelectionSet) : Selection
{
    /// <summary>The key the field's value has in the response: its alias, else its name.</summary>
    public string ResponseKey => Alias?.Value ?? Name.Value;
}

public sealed record Argument(Name Name, Value Value) : Node;

public sealed record FragmentSpread(Name Name, IReadOnlyList<Directive> Directives) : Selection;

public sealed record InlineFragment(NamedType? TypeCondition, IReadOnlyList<Directive> Directives, SelectionSet SelectionSet) : Selection;

public sealed record FragmentDefinition(Name Name, NamedType TypeCondition, IReadOnlyList<Directive> Directives, SelectionSet SelectionSet) : Definition
{
    public StringValue? Description { get; init; }
}

public abstract record Value : Node;

public sealed record Variable(Name Name) : Value;

public sealed record IntValue(string Value) : Value;

public sealed record FloatValue(string Value) : Value;

public sealed record StringValue(string Value, bool Block) : Value;

public sealed record BooleanValue(bool Value) : Value;

public sealed record NullValue : Value;

public sealed record EnumValue(string Value) : Value;

public sealed record ListValue(IReadOnlyList<Value> Values) : Value;

public sealed record ObjectValue(IReadOnlyList<ObjectField> Fields) : Value;

public sealed record ObjectField(Name Name, Value Value) : Node;

public sealed record Directive(Name Name, IReadOnlyList<Argument> Arguments) : Node;

public abstract record TypeNode : Node;

public sealed record NamedType(Name Name) : TypeNode;

public sealed record ListType(TypeNode Type) : TypeNode;

public sealed record NonNullType(TypeNode Type) : TypeNode;

// The type system (SDL): definitions and extensions.

public abstract record TypeSystemDefinition : Definition;

public sealed record SchemaDefinition(StringValue? Description, IReadOnlyList<Directive> Directives, IReadOnlyList<OperationTypeDefinition> OperationTypes) : TypeSystemDefinition;

public sealed record OperationTypeDefinition(OperationType Operation, NamedType Type) : Node;

public abstract record TypeDefinition(StringValue? Description, Name Name, IReadOnlyList<Directive> Directives) : TypeSystemDefinition;

public sealed record ScalarTypeDefinition(StringValue? Description, Name Name, IReadOnlyList<Directive> Directives) : TypeDefinition(Description, Name, Directives);

public sealed record ObjectTypeDefinition(StringValue? Description, Name Name, IReadOnlyList<NamedType> Interfaces, IReadOnlyList<Directive> Directives,
    IReadOnlyList<FieldDefinition> Fields) : TypeDefinition(Description, Name, Directives);

public sealed record InterfaceTypeDefinition(StringValue? Description, Name Name, IReadOnlyList<NamedType> Interfaces, IReadOnlyList<Directive> Directives,
    IReadOnlyList<FieldDefinition> Fields) : TypeDefinition(Description, Name, Directives);

public sealed record UnionTypeDefinition(StringValue? Description, Name Name, IReadOnlyList<Directive> Directives, IReadOnlyList<NamedType> Types)
    : TypeDefinition(Description, Name, Directives);

public sealed record EnumTypeDefinition(StringValue? Description, Name Name, IReadOnlyList<Directive> Directives, IReadOnlyList<EnumValueDefinition> Values)
    : TypeDefinition(Description, Name, Directives);

public sealed record InputObjectTypeDefinition(StringValue? Description, Name Name, IReadOnlyList<Directive> Directives, IReadOnlyList<InputValueDefinition> Fields)
    : TypeDefinition(Description, Name, Directives);

public sealed record FieldDefinition(StringValue? Description, Name Name, IReadOnlyList<InputValueDefinition> Arguments, TypeNode Type, IReadOnlyList<Directive> Directives) : Node;

public sealed record InputValueDefinition(StringValue? Description, Name Name, TypeNode Type, Value? DefaultValue, IReadOnlyList<Directive> Directives) : Node;

public sealed record EnumValueDefinition(StringValue? Description, Name Name, IReadOnlyList<Directive> Directives) : Node;

public sealed record DirectiveDefinition(StringValue? Description, Name Name, IReadOnlyList<InputValueDefinition> Arguments, bool Repeatable, IReadOnlyList<Name> Locations)
    : TypeSystemDefinition;

public abstract record TypeSystemExtension : Definition;

public sealed record SchemaExtension(IReadOnlyList<Directive> Directives, IReadOnlyList<OperationTypeDefinition> OperationTypes) : TypeSystemExtension;

public abstract record TypeExtension(Name Name, IReadOnlyList<Directive> Directives) : TypeSystemExtension;

public sealed record ScalarTypeExtension(Name Name, IReadOnlyList<Directive> Directives) : TypeExtension(Name, Directives);

public sealed record ObjectTypeExtension(Name Name, IReadOnlyList<NamedType> Interfaces, IReadOnlyList<Directive> Directives, IReadOnlyList<FieldDefinition> Fields)
    : TypeExtension(Name, Directives);

public sealed record InterfaceTypeExtension(Name Name, IReadOnlyList<NamedType> Interfaces, IReadOnlyList<Directive> Directives, IReadOnlyList<FieldDefinition> Fields)
    : TypeExtension(Name, Directives);

public sealed record UnionTypeExtension(Name Name, IReadOnlyList<Directive> Directives, IReadOnlyList<NamedType> Types) : TypeExtension(Name, Directives);

public sealed record EnumTypeExtension(Name Name, IReadOnlyList<Directive> Directives, IReadOnlyList<EnumValueDefinition> Values) : TypeExtension(Name, Directives);

public sealed record InputObjectTypeExtension(Name Name, IReadOnlyList<Directive> Directives, IReadOnlyList<InputValueDefinition> Fields) : TypeExtension(Name, Directives);
