using MachCommerce.GraphQL.Language;
using MachCommerce.GraphQL.Types;

namespace MachCommerce.GraphQL.Validation;

/// <summary>
/// Validation (spec section 5), one walk over the document with the schema at hand. Rules so far, each with
/// graphql-js's message: executable definitions, known operation types, unique operation names, lone anonymous
/// operation, single-field subscriptions, known type names, fragments on composite types, variables are input
/// types, scalar leafs, fields on correct type, unique fragment names, known fragment names, no unused fragments,
/// possible fragment spreads, no fragment cycles, unique variable names, no undefined and no unused variables,
/// known directives, unique directives per location, known and unique argument names, provided required
/// arguments, unique input field names, values of correct type, variables in allowed position (with the
/// draft's OneOf rule), max introspection depth, overlapping fields can be merged (<see cref="OverlappingFields"/>),
/// with graphql-js's "Did you mean" suggestions (<see cref="Suggestions"/>). As in graphql-js, validation stops
/// after 100 errors. The four @defer/@stream rules do not apply: the engine does not offer those directives.
/// </summary>
public static class Validator
{
    /// <summary>Every rule, each fragment analysed once where the rule allows, so the work stays linear in the document; stops when <paramref name="cancellationToken"/> fires.</summary>
    public static IReadOnlyList<GraphQLError> Validate(Schema schema, Document document, CancellationToken cancellationToken = default) =>
        new Walk(schema, document, cancellationToken).Run();

    private sealed class Walk(Schema schema, Document document, CancellationToken cancellationToken)
    {
        private readonly List<GraphQLError> _errors = [];

        /// <summary>A variable used where a value of <see cref="Expected"/> goes, for VariablesInAllowedPosition.</summary>
        private sealed record TypedUsage(Variable Variable, TypeReference Expected, bool HasLocationDefault, InputObjectType? OneOfParent);

        private readonly Dictionary<Definition, List<TypedUsage>> _typedUsages = [];
        private List<TypedUsage> _scope = [];
        private readonly Dictionary<string, FragmentDefinition> _fragments = document.Definitions.OfType<FragmentDefinition>()
            .GroupBy(f => f.Name.Value).ToDictionary(g => g.Key, g => g.First(), StringComparer.Ordinal);

        private const int MaxErrors = 100;

        private OverlappingFields? _overlappingFields;

        /// <summary>Thrown by <see cref="Report"/> past <see cref="MaxErrors"/>, so a hostile document cannot make a huge error list.</summary>
        private sealed class TooManyErrorsException : Exception;

        public List<GraphQLError> Run()
        {
            try
            {
                RunRules();
            }
            catch (TooManyErrorsException)
            {
                _errors.Add(new GraphQLError("Too many validation errors, error limit reached. Validation aborted."));
            }
            catch (OverlappingFields.BudgetExhaustedException e)
            {
                _errors.Add(new GraphQLError(e.Message));
            }

            return _errors;
        }

        /// <summary>
        /// A selection set of an operation, a field or a fragment definition: its fields must merge, then each
        /// selection is checked (inline fragments are merged as part of the selection set that holds them).
        /// </summary>
        private void Selections(Types.NamedType? parent, SelectionSet selectionSet)
        {
            cancellationToken.ThrowIfCancellationRequested();
            _overlappingFields ??= new OverlappingFields(schema, _fragments, Report);
            _overlappingFields.Check(parent, selectionSet);
            SelectionSet(parent, selectionSet);
        }

        private void RunRules()
        {
            var operations = document.Definitions.OfType<OperationDefinition>().ToList();
            foreach (var definition in document.Definitions.Where(d => d is not (OperationDefinition or FragmentDefinition)))
            {
                var name = definition is SchemaDefinition or SchemaExtension ? "schema" : $"\"{NameOf(definition)}\"";
                Report($"The {name} definition is not executable.", definition);
            }

            foreach (var group in operations.Where(o => o.Name is not null).GroupBy(o => o.Name?.Value).Where(g => g.Count() > 1))
            {
                Report($"There can be only one operation named \"{group.Key}\".", [.. group.Select(o => (ILocated)o.Name!.Value)]);
            }

            if (operations.Count > 1)
            {
                foreach (var anonymous in operations.Where(o => o.Name is null))
                {
                    Report("This anonymous operation must be the only defined operation.", anonymous);
                }
            }

            foreach (var group in document.Definitions.OfType<FragmentDefinition>().GroupBy(f => f.Name.Value).Where(g => g.Count() > 1))
            {
                Report($"There can be only one fragment named \"{group.Key}\".", [.. group.Select(f => (ILocated)f.Name)]);
            }

            foreach (var operation in operations)
            {
                _typedUsages[operation] = _scope = [];
                Operation(operation);
            }

            foreach (var fragment in document.Definitions.OfType<FragmentDefinition>())
            {
                _typedUsages[fragment] = _scope = [];
                var type = TypeCondition(fragment.TypeCondition, $"Fragment \"{fragment.Name.Value}\" cannot condition on non composite type");
                Directives(fragment.Directives, "FRAGMENT_DEFINITION");
                Selections(type, fragment.SelectionSet);
            }

            var used = new HashSet<string>(StringComparer.Ordinal);
            foreach (var operation in operations)
            {
                Spreads(operation.SelectionSet, used);
            }

            foreach (var fragment in document.Definitions.OfType<FragmentDefinition>().Where(f => !used.Contains(f.Name.Value)))
            {
                Report($"Fragment \"{fragment.Name.Value}\" is never used.", fragment);
            }

            FragmentCycles();
            foreach (var operation in operations)
            {
                AllowedPositions(operation);
            }

        }

        private void Operation(OperationDefinition operation)
        {
            var root = operation.Operation switch
            {
                OperationType.Query => schema.Query,
                OperationType.Mutation => schema.Mutation,
                _ => schema.Subscription,
            };
            if (root is null)
            {
                Report($"The {operation.Operation.ToString().ToLowerInvariant()} operation is not supported by the schema.", operation);
            }

            foreach (var group in operation.VariableDefinitions.GroupBy(v => v.Variable.Name.Value).Where(g => g.Count() > 1))
            {
                Report($"There can be only one variable named \"${group.Key}\".", [.. group.Select(v => (ILocated)v.Variable.Name)]);
            }

            foreach (var variable in operation.VariableDefinitions)
            {
                var named = Named(variable.Type);
                if (schema.Type(named.Name.Value) is not { } type)
                {
                    Report($"Unknown type \"{named.Name.Value}\"." + Suggestions.DidYouMean(Suggestions.For(named.Name.Value, schema.TypesByName.Keys)), named);
                }
                else if (type is not (ScalarType or EnumType or InputObjectType))
                {
                    Report($"Variable \"${variable.Variable.Name.Value}\" cannot be non-input type \"{ValuePrinter.Print(variable.Type)}\".", variable.Type);
                }

                if (variable.DefaultValue is { } defaultValue)
                {
                    Value(defaultValue);
                    if (schema.TypeFromAst(variable.Type) is { } variableType && variableType.Named is ScalarType or EnumType or InputObjectType)
                    {
                        Literal(defaultValue, variableType);
                    }
                }

                Directives(variable.Directives, "VARIABLE_DEFINITION");
            }

            Directives(operation.Directives, operation.Operation.ToString().ToUpperInvariant());
            if (operation.Operation == OperationType.Subscription && root is not null)
            {
                SingleField(operation, root);
            }

            Selections(root, operation.SelectionSet);

            // Variables: every use defined, every definition used, through the fragments the operation spreads.
            var usages = new List<Variable>();
            Usages(operation.SelectionSet, usages, new HashSet<string>(StringComparer.Ordinal));
            usages.AddRange(operation.Directives.SelectMany(d => d.Arguments).SelectMany(a => VariablesIn(a.Value)));
            var defined = operation.VariableDefinitions.Select(v => v.Variable.Name.Value).ToHashSet(StringComparer.Ordinal);
            foreach (var usage in usages.Where(u => !defined.Contains(u.Name.Value)))
            {
                Report(operation.Name is { } name ? $"Variable \"${usage.Name.Value}\" is not defined by operation \"{name.Value}\"." : $"Variable \"${usage.Name.Value}\" is not defined.",
                    usage, operation);
            }

            var usedNames = usages.Select(u => u.Name.Value).ToHashSet(StringComparer.Ordinal);
            foreach (var variable in operation.VariableDefinitions.Where(v => !usedNames.Contains(v.Variable.Name.Value)))
            {
                Report(operation.Name is { } name
                    ? $"Variable \"${variable.Variable.Name.Value}\" is never used in operation \"{name.Value}\"."
                    : $"Variable \"${variable.Variable.Name.Value}\" is never used.", variable);
            }
        }

        private void SingleField(OperationDefinition operation, ObjectType root)
        {
            var fields = new List<Field>();
            Flatten(operation.SelectionSet, fields, new HashSet<string>(StringComparer.Ordinal));
            var keys = fields.GroupBy(f => f.ResponseKey).ToList();
            var subject = operation.Name is { } name ? $"Subscription \"{name.Value}\"" : "Anonymous Subscription";
            if (keys.Count > 1)
            {
                Report($"{subject} must select only one top level field.", [.. keys.Skip(1).SelectMany(g => g)]);
            }

            foreach (var introspection in keys.Where(g => g.Key.Length > 0 && g.First().Name.Value.StartsWith("__", StringComparison.Ordinal)))
            {
                Report($"{subject} must not select an introspection top level field.", [.. introspection]);
            }

            _ = root;
        }

        private void Flatten(SelectionSet selectionSet, List<Field> fields, HashSet<string> visited)
        {
            foreach (var selection in selectionSet.Selections)
            {
                switch (selection)
                {
                    case Field field:
                        fields.Add(field);
                        break;
                    case InlineFragment inline:
                        Flatten(inline.SelectionSet, fields, visited);
                        break;
                    case FragmentSpread spread when visited.Add(spread.Name.Value) && _fragments.TryGetValue(spread.Name.Value, out var fragment):
                        Flatten(fragment.SelectionSet, fields, visited);
                        break;
                }
            }
        }

        private void SelectionSet(Types.NamedType? parent, SelectionSet selectionSet)
        {
            foreach (var selection in selectionSet.Selections)
            {
                switch (selection)
                {
                    case Field field:
                        FieldSelection(parent, field);
                        break;
                    case InlineFragment inline:
                        var type = inline.TypeCondition is null ? parent : TypeCondition(inline.TypeCondition, "Fragment cannot condition on non composite type");
                        if (inline.TypeCondition is not null && parent is not null && type is not null && !Overlap(parent, type))
                        {
                            Report($"Fragment cannot be spread here as objects of type \"{parent.Name}\" can never be of type \"{type.Name}\".", inline);
                        }

                        Directives(inline.Directives, "INLINE_FRAGMENT");
                        SelectionSet(type, inline.SelectionSet);
                        break;
                    case FragmentSpread spread:
                        if (!_fragments.TryGetValue(spread.Name.Value, out var fragment))
                        {
                            Report($"Unknown fragment \"{spread.Name.Value}\".", spread.Name);
                        }
                        else if (parent is not null && schema.Type(fragment.TypeCondition.Name.Value) is { } fragmentType && IsComposite(fragmentType) && !Overlap(parent, fragmentType))
                        {
                            Report($"Fragment \"{spread.Name.Value}\" cannot be spread here as objects of type \"{parent.Name}\" can never be of type \"{fragmentType.Name}\".", spread);
                        }

                        Directives(spread.Directives, "FRAGMENT_SPREAD");
                        break;
                }
            }
        }

        private readonly Dictionary<string, int> _checkedFragments = new(StringComparer.Ordinal);
        private readonly Dictionary<string, int> _exceededFragments = new(StringComparer.Ordinal);

        /// <summary>
        /// MaxIntrospectionDepth (graphql-js): an introspection query may nest the list fields fields, interfaces,
        /// possibleTypes and inputFields at most twice, so a tiny document cannot make the server describe the
        /// schema exponentially often.
        /// </summary>
        private bool IntrospectionTooDeep(Selection node, Dictionary<string, int> visited, int depth)
        {
            if (node is FragmentSpread spread)
            {
                var name = spread.Name.Value;
                if (_exceededFragments.TryGetValue(name, out var exceeded) && exceeded <= depth)
                {
                    return true;
                }

                if (visited.TryGetValue(name, out var seen) && seen >= depth || _checkedFragments.TryGetValue(name, out var checkedAt) && checkedAt >= depth
                    || !_fragments.TryGetValue(name, out var fragment))
                {
                    return false;
                }

                visited[name] = depth;
                if (fragment.SelectionSet.Selections.Any(child => IntrospectionTooDeep(child, visited, depth)))
                {
                    _exceededFragments[name] = depth;
                    return true;
                }

                _checkedFragments[name] = depth;
                return false;
            }

            if (node is Field { Name.Value: "fields" or "interfaces" or "possibleTypes" or "inputFields" } && ++depth >= 3)
            {
                return true;
            }

            var selectionSet = node switch
            {
                Field f => f.SelectionSet,
                InlineFragment i => i.SelectionSet,
                _ => null,
            };
            return selectionSet is not null && selectionSet.Selections.Any(child => IntrospectionTooDeep(child, visited, depth));
        }

        private void FieldSelection(Types.NamedType? parent, Field field)
        {
            if (field.Name.Value is "__schema" or "__type" && IntrospectionTooDeep(field, new Dictionary<string, int>(StringComparer.Ordinal), 0))
            {
                Report("Maximum introspection depth exceeded", field);
            }

            var definition = parent is null ? null : Introspection.FieldOf(schema, parent, field.Name.Value);
            if (parent is not null && definition is null && IsComposite(parent))
            {
                Report($"Cannot query field \"{field.Name.Value}\" on type \"{parent.Name}\"." + FieldSuggestion(parent, field.Name.Value), field);
            }

            Arguments(field.Arguments, definition?.Arguments, definition is null ? null : $"{parent!.Name}.{definition.Name}", field, isDirective: false);
            Directives(field.Directives, "FIELD");
            if (definition is null)
            {
                if (field.SelectionSet is { } unknownSelections)
                {
                    Selections(null, unknownSelections);
                }

                return;
            }

            var named = definition.Type.Named;
            if (named is ScalarType or EnumType)
            {
                if (field.SelectionSet is not null)
                {
                    Report($"Field \"{field.Name.Value}\" must not have a selection since type \"{definition.Type}\" has no subfields.", field.SelectionSet);
                }
            }
            else if (field.SelectionSet is null)
            {
                Report($"Field \"{field.Name.Value}\" of type \"{definition.Type}\" must have a selection of subfields. Did you mean \"{field.Name.Value} {{ ... }}\"?", field);
            }

            if (field.SelectionSet is { } selections)
            {
                Selections(IsComposite(named) ? named : null, selections);
            }
        }


        private void Arguments(IReadOnlyList<Argument> given, IReadOnlyList<InputValue>? defined, string? owner, Node at, bool isDirective)
        {
            foreach (var group in given.GroupBy(a => a.Name.Value).Where(g => g.Count() > 1))
            {
                Report($"There can be only one argument named \"{group.Key}\".", [.. group.Select(a => (ILocated)a.Name)]);
            }

            foreach (var argument in given)
            {
                if (defined is not null && !defined.Any(d => d.Name == argument.Name.Value))
                {
                    var suggestion = Suggestions.DidYouMean(Suggestions.For(argument.Name.Value, defined.Select(d => d.Name)));
                    Report(isDirective ? $"Unknown argument \"{argument.Name.Value}\" on directive \"{owner}\".{suggestion}" : $"Unknown argument \"{argument.Name.Value}\" on field \"{owner}\".{suggestion}", argument);
                }

                Value(argument.Value);
                if (defined?.FirstOrDefault(d => d.Name == argument.Name.Value) is { } definition)
                {
                    Literal(argument.Value, definition.Type);
                    Record(argument.Value, definition.Type, definition.DefaultValue is not null, null);
                }
            }

            foreach (var required in (defined ?? []).Where(d => d.Type is NonNull && d.DefaultValue is null && !given.Any(a => a.Name.Value == d.Name)))
            {
                Report($"Argument \"{owner}({required.Name}:)\" of type \"{required.Type}\" is required, but it was not provided.", at);
            }
        }

        private void Directives(IReadOnlyList<Directive> directives, string location)
        {
            var seen = new Dictionary<string, Directive>(StringComparer.Ordinal);
            foreach (var directive in directives)
            {
                var definition = schema.Directives.FirstOrDefault(d => d.Name == directive.Name.Value);
                if (definition is null)
                {
                    Report($"Unknown directive \"@{directive.Name.Value}\".", directive);
                }
                else
                {
                    if (!definition.Locations.Contains(location))
                    {
                        Report($"Directive \"@{directive.Name.Value}\" may not be used on {location}.", directive);
                    }

                    if (!definition.IsRepeatable && !seen.TryAdd(directive.Name.Value, directive))
                    {
                        Report($"The directive \"@{directive.Name.Value}\" can only be used once at this location.", seen[directive.Name.Value], directive);
                    }
                }

                Arguments(directive.Arguments, definition?.Arguments, "@" + directive.Name.Value, directive, isDirective: true);
            }
        }

        private void Value(Language.Value value)
        {
            switch (value)
            {
                case ListValue list:
                    foreach (var item in list.Values)
                    {
                        Value(item);
                    }

                    break;
                case ObjectValue obj:
                    foreach (var group in obj.Fields.GroupBy(f => f.Name.Value).Where(g => g.Count() > 1))
                    {
                        Report($"There can be only one input field named \"{group.Key}\".", [.. group.Select(f => (ILocated)f.Name)]);
                    }

                    foreach (var field in obj.Fields)
                    {
                        Value(field.Value);
                    }

                    break;
            }
        }

        /// <summary>ValuesOfCorrectType: the literal against its type, as graphql-js's validateInputLiteral (variables are checked elsewhere).</summary>
        private void Literal(Language.Value value, TypeReference type)
        {
            if (value is Variable)
            {
                return;
            }

            if (type is NonNull nonNull)
            {
                if (value is NullValue)
                {
                    Report($"Expected value of non-null type \"{type}\" not to be null.", value);
                    return;
                }

                Literal(value, nonNull.OfType);
                return;
            }

            if (value is NullValue)
            {
                return;
            }

            switch (type)
            {
                case ListOf list:
                    foreach (var item in value is ListValue items ? items.Values : [value])
                    {
                        Literal(item, list.OfType);
                    }

                    break;
                case InputObjectType input:
                    if (value is not ObjectValue objectValue)
                    {
                        Report($"Expected value of type \"{input.Name}\" to be an object, found: {ValuePrinter.Print(value)}.", value);
                        return;
                    }

                    foreach (var field in input.Fields)
                    {
                        var given = objectValue.Fields.FirstOrDefault(f => f.Name.Value == field.Name);
                        if (given is null)
                        {
                            if (field.Type is NonNull && field.DefaultValue is null)
                            {
                                Report($"Expected value of type \"{input.Name}\" to include required field \"{field.Name}\", found: {ValuePrinter.Print(value)}.", value);
                            }
                        }
                        else
                        {
                            Literal(given.Value, field.Type);
                        }
                    }

                    var known = new List<ObjectField>();
                    foreach (var field in objectValue.Fields)
                    {
                        if (input.Fields.Exists(f => f.Name == field.Name.Value))
                        {
                            known.Add(field);
                        }
                        else
                        {
                            var suggestion = Suggestions.DidYouMean(Suggestions.For(field.Name.Value, input.Fields.Select(f => f.Name)));
                            Report($"Expected value of type \"{input.Name}\" not to include unknown field \"{field.Name.Value}\"{(suggestion.Length > 0 ? "." + suggestion + " Found" : ", found")}: {ValuePrinter.Print(value)}.", field);
                        }
                    }

                    if (input.IsOneOf && (known.Count != 1 || known[0].Value is NullValue))
                    {
                        Report($"Within OneOf Input Object type \"{input.Name}\", exactly one field must be specified, and the value for that field must be non-null.", value);
                    }

                    break;
                case EnumType @enum:
                    if (value is not EnumValue enumValue)
                    {
                        var printed = ValuePrinter.Print(value);
                        Report($"Enum \"{@enum.Name}\" cannot represent non-enum value: {printed}." + EnumSuggestion(@enum, printed), value);
                    }
                    else if (!@enum.HasValue(enumValue.Value))
                    {
                        Report($"Value \"{enumValue.Value}\" does not exist in \"{@enum.Name}\" enum." + EnumSuggestion(@enum, enumValue.Value), value);
                    }

                    break;
                case ScalarType scalar:
                    try
                    {
                        scalar.ParseLiteral(value);
                    }
                    catch (CoercionException e)
                    {
                        Report(e.Message, value);
                    }

                    break;
            }
        }

        /// <summary>Where each variable in a literal is used, with the type expected there.</summary>
        private void Record(Language.Value value, TypeReference expected, bool hasLocationDefault, InputObjectType? oneOfParent)
        {
            switch (value)
            {
                case Variable variable:
                    _scope.Add(new TypedUsage(variable, expected, hasLocationDefault, oneOfParent));
                    break;
                case ListValue list:
                    var itemType = (expected is NonNull n ? n.OfType : expected) is ListOf l ? l.OfType : expected;
                    foreach (var item in list.Values)
                    {
                        Record(item, itemType, false, null);
                    }

                    break;
                case ObjectValue obj when expected.Named is InputObjectType input:
                    // As graphql-js: the OneOf rule looks at the enclosing type as written, so a OneOf object in a
                    // non-null position (Key!) is not checked here; coercion refuses a null variable there anyway.
                    var oneOf = expected is InputObjectType { IsOneOf: true } direct ? direct : null;
                    foreach (var field in obj.Fields)
                    {
                        if (input.Fields.Find(f => f.Name == field.Name.Value) is { } definition)
                        {
                            Record(field.Value, definition.Type, definition.DefaultValue is not null, oneOf);
                        }
                    }

                    break;
            }
        }

        /// <summary>VariablesInAllowedPosition, over the operation and every fragment it spreads.</summary>
        private void AllowedPositions(OperationDefinition operation)
        {
            var reachable = new HashSet<string>(StringComparer.Ordinal);
            Spreads(operation.SelectionSet, reachable);
            var usages = _typedUsages[operation].Concat(reachable.Where(_fragments.ContainsKey).SelectMany(name => _typedUsages.GetValueOrDefault(_fragments[name]) ?? []));
            var definitions = operation.VariableDefinitions.GroupBy(v => v.Variable.Name.Value).ToDictionary(g => g.Key, g => g.First(), StringComparer.Ordinal);
            foreach (var usage in usages)
            {
                if (!definitions.TryGetValue(usage.Variable.Name.Value, out var definition) || schema.TypeFromAst(definition.Type) is not { } variableType)
                {
                    continue;
                }

                if (usage.OneOfParent is { } oneOf && variableType is not NonNull)
                {
                    Report($"Variable \"${usage.Variable.Name.Value}\" is of type \"{variableType}\" but must be non-nullable to be used for OneOf Input Object \"{oneOf.Name}\".", definition, usage.Variable);
                }
                else if (!Allowed(variableType, definition.DefaultValue, usage.Expected, usage.HasLocationDefault))
                {
                    Report($"Variable \"${usage.Variable.Name.Value}\" of type \"{variableType}\" used in position expecting type \"{usage.Expected}\".", definition, usage.Variable);
                }
            }
        }

        private static bool Allowed(TypeReference variableType, Language.Value? variableDefault, TypeReference expected, bool hasLocationDefault)
        {
            if (expected is NonNull nonNull && variableType is not NonNull)
            {
                return (variableDefault is not null and not NullValue || hasLocationDefault) && SubType(variableType, nonNull.OfType);
            }

            return SubType(variableType, expected);
        }

        private static bool SubType(TypeReference sub, TypeReference super) => (sub, super) switch
        {
            (_, NonNull s) => sub is NonNull n && SubType(n.OfType, s.OfType),
            (NonNull n, _) => SubType(n.OfType, super),
            (_, ListOf s) => sub is ListOf l && SubType(l.OfType, s.OfType),
            (ListOf, _) => false,
            _ => sub.Named == super.Named,
        };

        private Types.NamedType? TypeCondition(Language.NamedType condition, string nonComposite)
        {
            if (schema.Type(condition.Name.Value) is not { } type)
            {
                Report($"Unknown type \"{condition.Name.Value}\"." + Suggestions.DidYouMean(Suggestions.For(condition.Name.Value, schema.TypesByName.Keys)), condition);
                return null;
            }

            if (!IsComposite(type))
            {
                Report($"{nonComposite} \"{type.Name}\".", condition);
                return null;
            }

            return type;
        }

        /// <summary>
        /// For an unknown field: the types of an abstract parent that do have it (most used first), else similar field names.
        /// </summary>
        private string FieldSuggestion(Types.NamedType parent, string fieldName)
        {
            if (parent is IAbstractType)
            {
                var usage = new Dictionary<Types.NamedType, int>();
                foreach (var possible in schema.PossibleTypes(parent).Where(t => t.Field(fieldName) is not null))
                {
                    usage[possible] = 1;
                    foreach (var @interface in possible.Interfaces.Where(i => i.Field(fieldName) is not null))
                    {
                        usage[@interface] = usage.GetValueOrDefault(@interface) + 1;
                    }
                }

                var types = usage.Keys.ToList();
                types.Sort((a, b) => usage[b] != usage[a] ? usage[b] - usage[a]
                    : Implements(b, a) ? -1
                    : Implements(a, b) ? 1
                    : Suggestions.NaturalCompare(a.Name, b.Name));
                if (types.Count > 0)
                {
                    return Suggestions.DidYouMean([.. types.Select(t => t.Name)], "to use an inline fragment on");
                }
            }

            return parent is FieldsType fields ? Suggestions.DidYouMean(Suggestions.For(fieldName, fields.Fields.Select(f => f.Name))) : "";
        }

        /// <summary>An interface ranks before the types that implement it.</summary>
        private static bool Implements(Types.NamedType maybeSub, Types.NamedType super) =>
            super is InterfaceType @interface && maybeSub is FieldsType fields && fields.Interfaces.Contains(@interface);

        private static string EnumSuggestion(EnumType @enum, string unknown) =>
            Suggestions.DidYouMean(Suggestions.For(unknown, @enum.Values.Select(v => v.Name)), "the enum value");

        private static bool IsComposite(Types.NamedType type) => type is ObjectType or InterfaceType or UnionType;

        private bool Overlap(Types.NamedType a, Types.NamedType b) => a == b || schema.PossibleTypes(a).Intersect(schema.PossibleTypes(b)).Any();

        private void Spreads(SelectionSet selectionSet, HashSet<string> used)
        {
            foreach (var selection in selectionSet.Selections)
            {
                switch (selection)
                {
                    case Field { SelectionSet: { } inner }:
                        Spreads(inner, used);
                        break;
                    case InlineFragment inline:
                        Spreads(inline.SelectionSet, used);
                        break;
                    case FragmentSpread spread when used.Add(spread.Name.Value) && _fragments.TryGetValue(spread.Name.Value, out var fragment):
                        Spreads(fragment.SelectionSet, used);
                        break;
                }
            }
        }

        private void Usages(SelectionSet selectionSet, List<Variable> usages, HashSet<string> visited)
        {
            foreach (var selection in selectionSet.Selections)
            {
                var (arguments, directives, inner) = selection switch
                {
                    Field f => (f.Arguments, f.Directives, f.SelectionSet),
                    InlineFragment i => ([], i.Directives, i.SelectionSet),
                    FragmentSpread s => ([], s.Directives, null),
                    _ => ((IReadOnlyList<Argument>)[], (IReadOnlyList<Directive>)[], (SelectionSet?)null),
                };
                usages.AddRange(arguments.Concat(directives.SelectMany(d => d.Arguments)).SelectMany(a => VariablesIn(a.Value)));
                if (inner is not null)
                {
                    Usages(inner, usages, visited);
                }

                if (selection is FragmentSpread spread && visited.Add(spread.Name.Value) && _fragments.TryGetValue(spread.Name.Value, out var fragment))
                {
                    usages.AddRange(fragment.Directives.SelectMany(d => d.Arguments).SelectMany(a => VariablesIn(a.Value)));
                    Usages(fragment.SelectionSet, usages, visited);
                }
            }
        }

        private static IEnumerable<Variable> VariablesIn(Language.Value value) => value switch
        {
            Variable v => [v],
            ListValue l => l.Values.SelectMany(VariablesIn),
            ObjectValue o => o.Fields.SelectMany(f => VariablesIn(f.Value)),
            _ => [],
        };

        /// <summary>NoFragmentCycles: a depth-first walk over the spreads, reporting each cycle once with the spreads along it.</summary>
        private void FragmentCycles()
        {
            var visited = new HashSet<string>(StringComparer.Ordinal);
            var path = new List<FragmentSpread>();
            var indexInPath = new Dictionary<string, int>(StringComparer.Ordinal);
            foreach (var fragment in document.Definitions.OfType<FragmentDefinition>())
            {
                Detect(fragment);
            }

            void Detect(FragmentDefinition fragment)
            {
                if (!visited.Add(fragment.Name.Value))
                {
                    return;
                }

                var spreads = new List<FragmentSpread>();
                CollectSpreads(fragment.SelectionSet, spreads);
                if (spreads.Count == 0)
                {
                    return;
                }

                indexInPath[fragment.Name.Value] = path.Count;
                foreach (var spread in spreads)
                {
                    var name = spread.Name.Value;
                    path.Add(spread);
                    if (!indexInPath.TryGetValue(name, out var cycleIndex))
                    {
                        if (_fragments.TryGetValue(name, out var next))
                        {
                            Detect(next);
                        }
                    }
                    else
                    {
                        var cycle = path.Skip(cycleIndex).ToList();
                        var via = cycle.Take(cycle.Count - 1).Select(s => $"\"{s.Name.Value}\"").ToList();
                        Report($"Cannot spread fragment \"{name}\" within itself{(via.Count > 0 ? " via " + string.Join(", ", via) : "")}.", [.. cycle]);
                    }

                    path.RemoveAt(path.Count - 1);
                }

                indexInPath.Remove(fragment.Name.Value);
            }
        }

        private static void CollectSpreads(SelectionSet selectionSet, List<FragmentSpread> spreads)
        {
            foreach (var selection in selectionSet.Selections)
            {
                switch (selection)
                {
                    case FragmentSpread spread:
                        spreads.Add(spread);
                        break;
                    case Field { SelectionSet: { } inner }:
                        CollectSpreads(inner, spreads);
                        break;
                    case InlineFragment inline:
                        CollectSpreads(inline.SelectionSet, spreads);
                        break;
                }
            }
        }

        private static Language.NamedType Named(TypeNode type) => type switch
        {
            NonNullType n => Named(n.Type),
            ListType l => Named(l.Type),
            _ => (Language.NamedType)type,
        };

        private static string NameOf(Definition definition) => definition switch
        {
            TypeDefinition t => t.Name.Value,
            TypeExtension t => t.Name.Value,
            DirectiveDefinition d => d.Name.Value,
            _ => "",
        };

        private void Report(string message, params ILocated[] nodes)
        {
            if (_errors.Count >= MaxErrors)
            {
                throw new TooManyErrorsException();
            }

            _errors.Add(new GraphQLError(message, [.. nodes.Select(n => new ErrorLocation(n.Location.Line, n.Location.Column))]));
        }
    }
}
