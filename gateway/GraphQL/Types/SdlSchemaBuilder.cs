using MachCommerce.GraphQL.Language;

namespace MachCommerce.GraphQL.Types;

/// <summary>
/// Builds a <see cref="Schema"/> from SDL (as graphql-js's buildSchema does): type definitions in document order
/// with their extensions merged in, <c>@deprecated</c>, <c>@specifiedBy</c> and <c>@oneOf</c> applied, root types
/// from the schema definition or the conventional names. Used for tests and for schemas written as SDL; the
/// platform's own schema is built code-first with the same types.
/// </summary>
public static class SdlSchemaBuilder
{
    public static Schema Build(string sdl, IEnumerable<ScalarType>? scalars = null) => Build(Parser.Parse(sdl), scalars);

    /// <summary>
    /// A schema from SDL. A <c>scalar X</c> declared in the document takes its behaviour from the matching
    /// <paramref name="scalars"/> entry (e.g. <see cref="CommonScalars.Decimal"/>); otherwise it passes values through.
    /// Resolvers are attached afterwards to the fields (<see cref="OutputField.Resolve"/>).
    /// </summary>
    public static Schema Build(Document document, IEnumerable<ScalarType>? scalars = null)
    {
        var implementations = (scalars ?? []).ToDictionary(s => s.Name, StringComparer.Ordinal);
        var errors = new List<string>();
        var types = new Dictionary<string, NamedType>(StringComparer.Ordinal);
        var definitions = document.Definitions.OfType<TypeDefinition>().ToList();
        var extensions = document.Definitions.OfType<TypeExtension>().ToLookup(e => e.Name.Value, StringComparer.Ordinal);
        foreach (var definition in document.Definitions.Where(d => d is OperationDefinition or FragmentDefinition))
        {
            errors.Add($"The {(definition is OperationDefinition ? "operation" : "fragment")} at {Where(definition)} is not part of a schema definition language document.");
        }

        foreach (var definition in definitions)
        {
            var name = definition.Name.Value;
            NamedType type = definition switch
            {
                ScalarTypeDefinition => implementations.GetValueOrDefault(name) ?? new ScalarType(name, definition.Description?.Value),
                ObjectTypeDefinition => new ObjectType(name, definition.Description?.Value),
                InterfaceTypeDefinition => new InterfaceType(name, definition.Description?.Value),
                UnionTypeDefinition => new UnionType(name, definition.Description?.Value),
                EnumTypeDefinition => new EnumType(name, definition.Description?.Value),
                InputObjectTypeDefinition => new InputObjectType(name, definition.Description?.Value),
                _ => throw new InvalidOperationException($"Unknown type definition {definition.GetType().Name}."),
            };
            if (SpecifiedScalars.All.Any(s => s.Name == name) || name.StartsWith("__", StringComparison.Ordinal) && name is "__Schema" or "__Type" or "__Field" or "__InputValue" or "__EnumValue" or "__Directive" or "__TypeKind" or "__DirectiveLocation")
            {
                errors.Add($"Type \"{name}\" already exists in the schema. It cannot also be defined in this type definition ({Where(definition)}).");
            }
            else if (!types.TryAdd(name, type))
            {
                errors.Add($"There can be only one type named \"{name}\" ({Where(definition)}).");
            }
        }

        foreach (var group in extensions.Where(g => !types.ContainsKey(g.Key)))
        {
            errors.Add($"Cannot extend type \"{group.Key}\" because it is not defined ({Where(group.First())}).");
        }

        TypeReference Resolve(TypeNode node) => node switch
        {
            NonNullType nonNull => new NonNull(Resolve(nonNull.Type)),
            ListType list => new ListOf(Resolve(list.Type)),
            Language.NamedType named => Lookup(named.Name.Value, node),
            _ => throw new InvalidOperationException("Unknown type node."),
        };

        NamedType Lookup(string name, Node at)
        {
            if (types.TryGetValue(name, out var type))
            {
                return type;
            }

            if (SpecifiedScalars.All.FirstOrDefault(s => s.Name == name) is { } scalar)
            {
                return scalar;
            }

            errors.Add($"Unknown type \"{name}\" ({Where(at)}).");
            return SpecifiedScalars.String;
        }

        // path names the value as graphql-js's messages do: Query.field(arg:), Input.field, @directive(arg:).
        InputValue Input(InputValueDefinition value, string path)
        {
            var type = Resolve(value.Type);
            if (type.Named is not (ScalarType or EnumType or InputObjectType))
            {
                errors.Add($"The type of {path} must be Input Type but got: {type} ({Where(value)}).");
            }

            return new(value.Name.Value, type, value.Description?.Value, value.DefaultValue, Deprecation(value.Directives));
        }

        foreach (var definition in definitions)
        {
            if (!types.TryGetValue(definition.Name.Value, out var type))
            {
                continue;
            }

            var own = extensions[definition.Name.Value];
            switch (type, definition)
            {
                case (ScalarType scalar, ScalarTypeDefinition scalarDefinition):
                    scalar.SpecifiedByUrl = SpecifiedByUrl(scalarDefinition.Directives.Concat(own.SelectMany(e => e.Directives)));
                    break;
                case (FieldsType fieldsType, _):
                    var (interfaces, fields) = definition switch
                    {
                        ObjectTypeDefinition o => (o.Interfaces, o.Fields),
                        InterfaceTypeDefinition i => (i.Interfaces, i.Fields),
                        _ => ([], []),
                    };
                    foreach (var extension in own)
                    {
                        (interfaces, fields) = extension switch
                        {
                            ObjectTypeExtension o => ([.. interfaces, .. o.Interfaces], [.. fields, .. o.Fields]),
                            InterfaceTypeExtension i => ([.. interfaces, .. i.Interfaces], [.. fields, .. i.Fields]),
                            _ => (interfaces, fields),
                        };
                    }

                    foreach (var @interface in interfaces)
                    {
                        if (Lookup(@interface.Name.Value, @interface) is InterfaceType resolved)
                        {
                            fieldsType.Interfaces.Add(resolved);
                        }
                        else
                        {
                            errors.Add($"Type {type.Name} can only implement interfaces, not {@interface.Name.Value} ({Where(@interface)}).");
                        }
                    }

                    foreach (var field in fields)
                    {
                        var fieldType = Resolve(field.Type);
                        if (fieldType.Named is InputObjectType)
                        {
                            errors.Add($"The type of {type.Name}.{field.Name.Value} must be Output Type but got: {fieldType} ({Where(field)}).");
                        }

                        fieldsType.Fields.Add(new OutputField(field.Name.Value, fieldType, [.. field.Arguments.Select(a => Input(a, $"{type.Name}.{field.Name.Value}({a.Name.Value}:)"))],
                            field.Description?.Value, Deprecation(field.Directives)));
                    }

                    break;
                case (UnionType union, UnionTypeDefinition unionDefinition):
                    foreach (var member in unionDefinition.Types.Concat(own.OfType<UnionTypeExtension>().SelectMany(e => e.Types)))
                    {
                        if (Lookup(member.Name.Value, member) is ObjectType objectType)
                        {
                            union.Types.Add(objectType);
                        }
                        else
                        {
                            errors.Add($"Union type {union.Name} can only include object types, not {member.Name.Value} ({Where(member)}).");
                        }
                    }

                    break;
                case (EnumType @enum, EnumTypeDefinition enumDefinition):
                    foreach (var value in enumDefinition.Values.Concat(own.OfType<EnumTypeExtension>().SelectMany(e => e.Values)))
                    {
                        @enum.Values.Add(new EnumValueDefinitionOf(value.Name.Value, value.Description?.Value, Deprecation(value.Directives)));
                    }

                    break;
                case (InputObjectType input, InputObjectTypeDefinition inputDefinition):
                    input.IsOneOf = inputDefinition.Directives.Concat(own.SelectMany(e => e.Directives)).Any(d => d.Name.Value == "oneOf");
                    foreach (var field in inputDefinition.Fields.Concat(own.OfType<InputObjectTypeExtension>().SelectMany(e => e.Fields)))
                    {
                        input.Fields.Add(Input(field, $"{input.Name}.{field.Name.Value}"));
                    }

                    break;
            }
        }

        var directives = document.Definitions.OfType<DirectiveDefinition>()
            .Select(d => new DirectiveType(d.Name.Value, [.. d.Locations.Select(l => l.Value)], [.. d.Arguments.Select(a => Input(a, $"@{d.Name.Value}({a.Name.Value}:)"))], d.Repeatable, d.Description?.Value))
            .ToList();
        directives.AddRange(SpecifiedDirectives.All.Where(s => directives.TrueForAll(d => d.Name != s.Name)));

        var schemaDefinition = document.Definitions.OfType<SchemaDefinition>().FirstOrDefault();
        var operationTypes = (schemaDefinition?.OperationTypes ?? []).Concat(document.Definitions.OfType<SchemaExtension>().SelectMany(e => e.OperationTypes)).ToList();
        ObjectType? Root(OperationType operation, string conventionalName)
        {
            var declared = operationTypes.FirstOrDefault(o => o.Operation == operation);
            var name = declared?.Type.Name.Value ?? (schemaDefinition is null ? conventionalName : null);
            if (name is null)
            {
                return null;
            }

            if (types.GetValueOrDefault(name) is ObjectType root)
            {
                return root;
            }

            if (declared is not null)
            {
                errors.Add($"The {operation.ToString().ToLowerInvariant()} root type {name} must be a defined object type ({Where(declared)}).");
            }

            return null;
        }

        var query = Root(OperationType.Query, "Query");
        var mutation = Root(OperationType.Mutation, "Mutation");
        var subscription = Root(OperationType.Subscription, "Subscription");
        if (errors.Count > 0)
        {
            throw new GraphQLSchemaException(errors);
        }

        return new Schema(query, mutation, subscription, [.. types.Values], directives, schemaDefinition?.Description?.Value);
    }

    /// <summary>The reason of an <c>@deprecated</c> among the directives (its default when none is given), or null.</summary>
    private static string? Deprecation(IEnumerable<Directive> directives) =>
        directives.FirstOrDefault(d => d.Name.Value == "deprecated") is { } deprecated
            ? (deprecated.Arguments.FirstOrDefault(a => a.Name.Value == "reason")?.Value as StringValue)?.Value ?? SpecifiedDirectives.DefaultDeprecationReason
            : null;

    private static string? SpecifiedByUrl(IEnumerable<Directive> directives) =>
        directives.FirstOrDefault(d => d.Name.Value == "specifiedBy")?.Arguments.FirstOrDefault(a => a.Name.Value == "url")?.Value is StringValue url ? url.Value : null;

    private static string Where(Node node) => $"line {node.Location.Line}, column {node.Location.Column}";
}
