using System.Globalization;
using System.Text.Json;
using MachCommerce.GraphQL.Execution;
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
    public static (RequestCost Cost, IReadOnlyList<GraphQLError> Errors) Check(Schema schema, Document document, OperationDefinition operation, JsonElement? variables, LimitOptions limits)
    {
        var fragments = document.Definitions.OfType<FragmentDefinition>().GroupBy(f => f.Name.Value).ToDictionary(g => g.Key, g => g.First(), StringComparer.Ordinal);
        var root = operation.Operation switch
        {
            OperationType.Query => schema.Query,
            OperationType.Mutation => schema.Mutation,
            _ => schema.Subscription,
        };
        var walk = new Walk(schema, fragments, variables, limits);
        var cost = walk.Selections(root, operation.SelectionSet, 1, []);
        var measured = new RequestCost(walk.Depth, walk.Aliases, (int)Math.Min(cost, int.MaxValue));
        var errors = new List<GraphQLError>();
        if (measured.Depth > limits.MaxDepth)
        {
            errors.Add(new GraphQLError($"The operation nests {measured.Depth} levels deep; at most {limits.MaxDepth} are allowed.", Where(operation)));
        }

        if (measured.Aliases > limits.MaxAliases)
        {
            errors.Add(new GraphQLError($"The document uses {measured.Aliases} aliases; at most {limits.MaxAliases} are allowed.", Where(operation)));
        }

        if (cost > limits.MaxCost)
        {
            errors.Add(new GraphQLError($"The operation's estimated cost is {cost.ToString(CultureInfo.InvariantCulture)}; at most {limits.MaxCost} is allowed. Ask for fewer items (first/last) or fewer fields.",
                Where(operation)));
        }

        return (measured, errors);
    }

    private static ErrorLocation[] Where(Node node) => [new ErrorLocation(node.Location.Line, node.Location.Column)];

    private sealed class Walk(Schema schema, Dictionary<string, FragmentDefinition> fragments, JsonElement? variables, LimitOptions limits)
    {
        public int Depth { get; private set; }

        public int Aliases { get; private set; }

        /// <param name="connectionSize">The first/last of the enclosing connection field, for its edges and nodes lists.</param>
        public double Selections(Types.NamedType? parent, SelectionSet selectionSet, int depth, HashSet<string> fragmentPath, double? connectionSize = null)
        {
            double cost = 0;
            foreach (var selection in selectionSet.Selections)
            {
                switch (selection)
                {
                    case Field field:
                        cost += Field(parent, field, depth, connectionSize);
                        break;
                    case InlineFragment inline:
                        cost += Selections(inline.TypeCondition is { } condition ? schema.Type(condition.Name.Value) : parent, inline.SelectionSet, depth, fragmentPath, connectionSize);
                        break;
                    case FragmentSpread spread when fragments.TryGetValue(spread.Name.Value, out var fragment) && fragmentPath.Add(spread.Name.Value):
                        cost += Selections(schema.Type(fragment.TypeCondition.Name.Value), fragment.SelectionSet, depth, fragmentPath, connectionSize);
                        fragmentPath.Remove(spread.Name.Value);
                        break;
                }
            }

            return cost;
        }

        private double Field(Types.NamedType? parent, Field field, int depth, double? connectionSize)
        {
            Depth = Math.Max(Depth, depth);
            if (field.Alias is not null)
            {
                Aliases++;
            }

            var definition = parent is FieldsType fields ? fields.Field(field.Name.Value) : null;
            if (field.Name.Value == "__typename")
            {
                return 0;
            }

            if (field.SelectionSet is not { } selectionSet)
            {
                return definition?.Cost ?? limits.LeafCost;
            }

            var weight = definition?.Cost ?? 1;

            // A list field multiplies what it selects by its size; a connection (an object field with first/last)
            // hands its size to the edges and nodes lists below it, as Relay connections work.
            var size = ListSize(field, definition);
            var isList = IsList(definition?.Type);
            var below = Selections(definition?.Type.Named ?? (field.Name.Value is "__schema" or "__type" ? Introspection.Schema : null), selectionSet, depth + 1, [],
                isList ? null : size);
            return weight + (isList ? size ?? connectionSize ?? limits.DefaultListSize : 1) * below;
        }

        private static bool IsList(TypeReference? type) => type switch
        {
            NonNull n => IsList(n.OfType),
            ListOf => true,
            _ => false,
        };

        /// <summary>The field's first/last: given as a literal or variable, else the argument's default in the schema; null when it has none.</summary>
        private double? ListSize(Field field, OutputField? definition)
        {
            foreach (var argument in field.Arguments.Where(a => a.Name.Value is "first" or "last"))
            {
                switch (argument.Value)
                {
                    case IntValue literal when int.TryParse(literal.Value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var size):
                        return Math.Max(size, 0);
                    case Variable variable when variables is { ValueKind: JsonValueKind.Object } values && values.TryGetProperty(variable.Name.Value, out var value)
                                                && value.TryGetInt32(out var fromVariable):
                        return Math.Max(fromVariable, 0);
                }
            }

            return definition?.Arguments.FirstOrDefault(a => a.Name is "first" or "last" && a.DefaultValue is IntValue)?.DefaultValue is IntValue fallback
                   && int.TryParse(fallback.Value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var byDefault)
                ? Math.Max(byDefault, 0)
                : null;
        }
    }
}
