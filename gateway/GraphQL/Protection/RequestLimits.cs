using MachCommerce.GraphQL.Language;
using MachCommerce.GraphQL.Types;

namespace MachCommerce.GraphQL.Protection;

/// <summary>What a request may ask for before anything runs.</summary>
public sealed record LimitOptions
{
    /// <summary>Deepest field nesting (the root fields are depth 1), counted through fragments.</summary>
    public int MaxDepth { get; init; } = 15;

    /// <summary>Most aliased fields in one document: aliases multiply work without making the document longer.</summary>
    public int MaxAliases { get; init; } = 30;

    /// <summary>Largest estimated cost; see <see cref="RequestLimits"/>.</summary>
    public int MaxCost { get; init; } = 20_000;

    /// <summary>How many items a list field is assumed to return when no <c>first</c>/<c>last</c> argument says.</summary>
    public int DefaultListSize { get; init; } = 10;

    /// <summary>
    /// What a scalar or enum field costs when it has no weight of its own: 1 counts every value written, 0 counts
    /// only objects and lists (the fields that make a server fetch something), as public commerce APIs price queries.
    /// </summary>
    public int LeafCost { get; init; } = 1;

    public TimeSpan ExecutionTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>The most items a <c>first</c>/<c>last</c> argument may ask for where its field names no maximum of its own.</summary>
    public int MaxPageSize { get; init; } = 100;
}

/// <summary>The measured size of a request, reported in the response's extensions.</summary>
public sealed record RequestCost(int Depth, int Aliases, int Cost);

/// <summary>
/// Depth, alias and cost analysis of the operation about to run. Cost: every field costs its weight
/// (<see cref="OutputField.Cost"/>; by default 1 for an object or list and <see cref="LimitOptions.LeafCost"/> for
/// a scalar or enum, 0 for introspection's <c>__typename</c>), and a list field
/// multiplies what is selected below it by the number of items it may return: its <c>first</c> or <c>last</c>
/// argument (literal or variable, else the argument's default in the schema), else the first/last of the Relay
/// connection it is the edges or nodes of, else <see cref="LimitOptions.DefaultListSize"/>. So
/// <c>products(first: 50) { name offers(first: 3) { price } }</c> costs 1 + 50 × (1 + 1 + 3 × 1) = 251, and
/// <c>products(first: 20) { nodes { name } }</c> (a connection) costs 1 + (1 + 20 × 1) = 22.
/// </summary>
public static class RequestLimits
{
    public static (RequestCost Cost, IReadOnlyList<GraphQLError> Errors) Check(Schema schema, Document document, OperationDefinition operation, JsonElement? variables, LimitOptions limits,
        CancellationToken cancellationToken = default)
    {
        var fragments = document.Definitions.OfType<FragmentDefinition>().GroupBy(f => f.Name.Value).ToDictionary(g => g.Key, g => g.First(), StringComparer.Ordinal);
        var root = operation.Operation switch
        {
            OperationType.Query => schema.Query,
            OperationType.Mutation => schema.Mutation,
            _ => schema.Subscription,
        };
        var walk = new Walk(schema, fragments, variables, limits, cancellationToken);
        var measure = walk.Selections(root, operation.SelectionSet, null);
        var measured = new RequestCost(measure.Depth, Clamp(measure.Aliases), Clamp(measure.Cost));
        var errors = new List<GraphQLError>(walk.PageSizeErrors);
        if (measured.Depth > limits.MaxDepth)
        {
            errors.Add(new GraphQLError($"The operation nests {measured.Depth} levels deep; at most {limits.MaxDepth} are allowed.", Where(operation)));
        }

        if (measure.Aliases > limits.MaxAliases)
        {
            errors.Add(new GraphQLError($"The document uses {measured.Aliases} aliases; at most {limits.MaxAliases} are allowed.", Where(operation)));
        }

        if (measure.Cost > limits.MaxCost)
        {
            errors.Add(new GraphQLError($"The operation's estimated cost is {measured.Cost.ToString(CultureInfo.InvariantCulture)}; at most {limits.MaxCost} is allowed. Ask for fewer items (first/last) or fewer fields.",
                Where(operation)));
        }

        return (measured, errors);
    }

    private static int Clamp(double value) => (int)Math.Min(value, int.MaxValue);

    private static ErrorLocation[] Where(Node node) => [new ErrorLocation(node.Location.Line, node.Location.Column)];

    /// <summary>What a selection set adds up to: its cost, how many field levels it nests, how many aliases it uses once expanded.</summary>
    private readonly record struct Measure(double Cost, int Depth, double Aliases)
    {
        public static Measure operator +(Measure a, Measure b) => new(a.Cost + b.Cost, Math.Max(a.Depth, b.Depth), a.Aliases + b.Aliases);
    }

    /// <summary>
    /// Each fragment is measured once per connection size and its measure reused at every spread, so the work is
    /// linear in the document's size even when fragments spread each other exponentially often (a fragment bomb);
    /// the numbers it reports are still those of the fully expanded operation.
    /// </summary>
    private sealed class Walk(Schema schema, Dictionary<string, FragmentDefinition> fragments, JsonElement? variables, LimitOptions limits, CancellationToken cancellationToken)
    {
        private readonly Dictionary<(string Fragment, double? ConnectionSize), Measure> _measured = [];
        private readonly HashSet<string> _inProgress = new(StringComparer.Ordinal);

        /// <summary>first/last arguments out of their field's range, each reported once.</summary>
        public List<GraphQLError> PageSizeErrors { get; } = [];

        /// <param name="connectionSize">The first/last of the enclosing connection field, for its edges and nodes lists.</param>
        public Measure Selections(Types.NamedType? parent, SelectionSet selectionSet, double? connectionSize)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var total = default(Measure);
            foreach (var selection in selectionSet.Selections)
            {
                switch (selection)
                {
                    case Field field:
                        total += Field(parent, field, connectionSize);
                        break;
                    case InlineFragment inline:
                        total += Selections(inline.TypeCondition is { } condition ? schema.Type(condition.Name.Value) : parent, inline.SelectionSet, connectionSize);
                        break;
                    case FragmentSpread spread when fragments.TryGetValue(spread.Name.Value, out var fragment):
                        total += Fragment(fragment, connectionSize);
                        break;
                }
            }

            return total;
        }

        private Measure Fragment(FragmentDefinition fragment, double? connectionSize)
        {
            var key = (fragment.Name.Value, connectionSize);
            if (_measured.TryGetValue(key, out var known))
            {
                return known;
            }

            // A cycle is a validation error; should an unvalidated document arrive, a spread inside its own expansion counts nothing.
            if (!_inProgress.Add(fragment.Name.Value))
            {
                return default;
            }

            var measure = Selections(schema.Type(fragment.TypeCondition.Name.Value), fragment.SelectionSet, connectionSize);
            _inProgress.Remove(fragment.Name.Value);
            return _measured[key] = measure;
        }

        private Measure Field(Types.NamedType? parent, Field field, double? connectionSize)
        {
            var alias = field.Alias is null ? 0 : 1;
            var definition = parent is FieldsType fields ? fields.Field(field.Name.Value) : null;
            if (field.Name.Value == "__typename")
            {
                return new Measure(0, 1, alias);
            }

            if (field.SelectionSet is not { } selectionSet)
            {
                return new Measure(definition?.Cost ?? limits.LeafCost, 1, alias);
            }

            var weight = definition?.Cost ?? 1;
            if (field.Name.Value is "__schema" or "__type")
            {
                // Introspection answers from the schema in memory: its size is the schema's, not a product of list
                // sizes, and validation's MaxIntrospectionDepth rule already bounds how deep it may nest. So the
                // standard tools' query (getIntrospectionQuery nests ofType nine levels) costs its weight and one
                // level; its aliases still count.
                var inside = Selections(field.Name.Value == "__schema" ? Introspection.Schema : Introspection.Type, selectionSet, null);
                return new Measure(weight, 1, alias + inside.Aliases);
            }


            // A list field multiplies what it selects by its size; a connection (an object field with first/last)
            // hands its size to the edges and nodes lists below it, as Relay connections work.
            var size = ListSize(field, definition, parent);
            var isList = IsList(definition?.Type);
            var below = Selections(definition?.Type.Named, selectionSet, isList ? null : size);
            return new Measure(weight + (isList ? size ?? connectionSize ?? limits.DefaultListSize : 1) * below.Cost, 1 + below.Depth, alias + below.Aliases);
        }
        private static bool IsList(TypeReference? type) => type switch
        {
            NonNull n => IsList(n.OfType),
            ListOf => true,
            _ => false,
        };

        /// <summary>
        /// The field's first/last: given as a literal or variable, else the argument's default in the schema; null
        /// when it has none. A size outside 1 to the field's maximum is reported.
        /// </summary>
        private double? ListSize(Field field, OutputField? definition, Types.NamedType? parent)
        {
            double? given = null;
            foreach (var argument in field.Arguments.Where(a => a.Name.Value is "first" or "last"))
            {
                long? size = argument.Value switch
                {
                    IntValue literal when long.TryParse(literal.Value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var number) => number,
                    IntValue => long.MaxValue,
                    Variable variable when variables is { ValueKind: JsonValueKind.Object } values && values.TryGetProperty(variable.Name.Value, out var value)
                                           && value.ValueKind == JsonValueKind.Number => value.TryGetInt64(out var fromVariable) ? fromVariable : long.MaxValue,
                    _ => null,
                };
                if (size is not { } requested)
                {
                    continue;
                }

                var maximum = definition?.MaxPageSize ?? limits.MaxPageSize;
                if (requested < 1 || requested > maximum)
                {
                    PageSizeErrors.Add(new GraphQLError(
                        $"{parent?.Name}.{field.Name.Value}: {argument.Name.Value} must be from 1 to {maximum}; {requested.ToString(CultureInfo.InvariantCulture)} was asked for.",
                        [new ErrorLocation(argument.Location.Line, argument.Location.Column)]));
                }

                given ??= Math.Clamp(requested, 0, maximum);
            }

            if (given is not null)
            {
                return given;
            }

            return definition?.Arguments.FirstOrDefault(a => a.Name is "first" or "last" && a.DefaultValue is IntValue)?.DefaultValue is IntValue fallback
                   && int.TryParse(fallback.Value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var byDefault)
                ? Math.Max(byDefault, 0)
                : null;
        }
    }
}
