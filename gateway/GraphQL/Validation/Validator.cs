using MachCommerce.GraphQL.Language;
using MachCommerce.GraphQL.Types;

namespace MachCommerce.GraphQL.Validation;

/// <summary>
/// Validation (spec section 5), one walk over the document with the schema at hand. The rules, each in Rules/ under
/// the name graphql-js gives it and with its message:
/// executable definitions, known operation types, unique operation names, lone anonymous
/// operation, single-field subscriptions, known type names, fragments on composite types, variables are input
/// types, scalar leafs, fields on correct type, unique fragment names, known fragment names, no unused fragments,
/// possible fragment spreads, no fragment cycles, unique variable names, no undefined and no unused variables,
/// known directives, unique directives per location, known and unique argument names, provided required
/// arguments, unique input field names, values of correct type, variables in allowed position (with the
/// draft's OneOf rule), max introspection depth, overlapping fields can be merged (<see cref="OverlappingFieldsCanBeMerged"/>),
/// with graphql-js's "Did you mean" suggestions (<see cref="Suggestions"/>). As in graphql-js, validation stops
/// after 100 errors. The four @defer/@stream rules do not apply: the engine does not offer those directives.
/// </summary>
public static partial class Validator
{
    /// <summary>Every rule, each fragment analysed once where the rule allows, so the work stays linear in the document; stops when <paramref name="cancellationToken"/> fires.</summary>
    public static IReadOnlyList<GraphQLError> Validate(Schema schema, Document document, CancellationToken cancellationToken = default) =>
        new Walk(schema, document, cancellationToken).Run();

    /// <summary>The one walk; each rule is a method of it in a file of its own under Rules/, named as graphql-js names the rule.</summary>
    private sealed partial class Walk(Schema schema, Document document, CancellationToken cancellationToken)
    {
        private readonly Schema _schema = schema;
        private readonly Document _document = document;
        private readonly CancellationToken _cancellationToken = cancellationToken;
        private readonly List<GraphQLError> _errors = [];

        private readonly Dictionary<string, FragmentDefinition> _fragments = document.Definitions.OfType<FragmentDefinition>()
            .GroupBy(f => f.Name.Value).ToDictionary(g => g.Key, g => g.First(), StringComparer.Ordinal);

        private const int MaxErrors = 100;

        private OverlappingFieldsCanBeMerged? _overlappingFields;

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
            catch (OverlappingFieldsCanBeMerged.BudgetExhaustedException e)
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
            _cancellationToken.ThrowIfCancellationRequested();
            _overlappingFields ??= new OverlappingFieldsCanBeMerged(_schema, _fragments, Report);
            _overlappingFields.Check(parent, selectionSet);
            SelectionSet(parent, selectionSet);
        }

        private void RunRules()
        {
            var operations = _document.Definitions.OfType<OperationDefinition>().ToList();
            ExecutableDefinitions();
            UniqueOperationNames(operations);
            LoneAnonymousOperation(operations);
            UniqueFragmentNames();

            foreach (var operation in operations)
            {
                _typedUsages[operation] = _scope = [];
                Operation(operation);
            }

            foreach (var fragment in _document.Definitions.OfType<FragmentDefinition>())
            {
                _typedUsages[fragment] = _scope = [];
                var type = TypeCondition(fragment.TypeCondition, $"Fragment \"{fragment.Name.Value}\" cannot condition on non composite type");
                Directives(fragment.Directives, "FRAGMENT_DEFINITION");
                Selections(type, fragment.SelectionSet);
            }

            NoUnusedFragments(operations);
            NoFragmentCycles();
            foreach (var operation in operations)
            {
                VariablesInAllowedPosition(operation);
            }

        }

        private void Operation(OperationDefinition operation)
        {
            var root = operation.Operation switch
            {
                OperationType.Query => _schema.Query,
                OperationType.Mutation => _schema.Mutation,
                _ => _schema.Subscription,
            };
            KnownOperationTypes(operation, root);
            UniqueVariableNames(operation);
            foreach (var variable in operation.VariableDefinitions)
            {
                if (KnownTypeName(Named(variable.Type)) is { } type)
                {
                    VariablesAreInputTypes(variable, type);
                }

                if (variable.DefaultValue is { } defaultValue)
                {
                    Value(defaultValue);
                    if (_schema.TypeFromAst(variable.Type) is { } variableType && variableType.Named is ScalarType or EnumType or InputObjectType)
                    {
                        ValuesOfCorrectType(defaultValue, variableType);
                    }
                }

                Directives(variable.Directives, "VARIABLE_DEFINITION");
            }

            Directives(operation.Directives, operation.Operation.ToString().ToUpperInvariant());
            if (operation.Operation == OperationType.Subscription && root is not null)
            {
                SingleFieldSubscriptions(operation);
            }

            Selections(root, operation.SelectionSet);

            // Variables: every use defined, every definition used, through the fragments the operation spreads.
            var usages = VariableUsages(operation);
            NoUndefinedVariables(operation, usages);
            NoUnusedVariables(operation, usages);
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
                        PossibleFragmentSpreads(parent, type, inline);

                        Directives(inline.Directives, "INLINE_FRAGMENT");
                        SelectionSet(type, inline.SelectionSet);
                        break;
                    case FragmentSpread spread:
                        if (KnownFragmentName(spread) is { } fragment)
                        {
                            PossibleFragmentSpreads(parent, spread, fragment);
                        }

                        Directives(spread.Directives, "FRAGMENT_SPREAD");
                        break;
                }
            }
        }



        private void FieldSelection(Types.NamedType? parent, Field field)
        {
            MaxIntrospectionDepth(field);
            var definition = parent is null ? null : Introspection.FieldOf(_schema, parent, field.Name.Value);
            FieldsOnCorrectType(parent, field, definition);

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
            ScalarLeafs(field, definition);

            if (field.SelectionSet is { } selections)
            {
                Selections(IsComposite(named) ? named : null, selections);
            }
        }


        private void Arguments(IReadOnlyList<Argument> given, IReadOnlyList<InputValue>? defined, string? owner, Node at, bool isDirective)
        {
            UniqueArgumentNames(given);
            foreach (var argument in given)
            {
                KnownArgumentNames(argument, defined, owner, isDirective);

                Value(argument.Value);
                if (defined?.FirstOrDefault(d => d.Name == argument.Name.Value) is { } definition)
                {
                    ValuesOfCorrectType(argument.Value, definition.Type);
                    Record(argument.Value, definition.Type, definition.DefaultValue is not null, null);
                }
            }

            ProvidedRequiredArguments(given, defined, owner, at);
        }

        private void Directives(IReadOnlyList<Directive> directives, string location)
        {
            var seen = new Dictionary<string, Directive>(StringComparer.Ordinal);
            foreach (var directive in directives)
            {
                var definition = KnownDirectives(directive, location);
                if (definition is not null)
                {
                    UniqueDirectivesPerLocation(directive, definition, seen);
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
                    UniqueInputFieldNames(obj);

                    foreach (var field in obj.Fields)
                    {
                        Value(field.Value);
                    }

                    break;
            }
        }










        private static bool IsComposite(Types.NamedType type) => type is ObjectType or InterfaceType or UnionType;









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
