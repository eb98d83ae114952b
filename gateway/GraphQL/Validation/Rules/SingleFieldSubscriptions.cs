// SingleFieldSubscriptions (graphql-js: src/validation/rules/SingleFieldSubscriptionsRule.ts): a subscription selects one top-level field, not an introspection one.
using MachCommerce.GraphQL.Language;
using MachCommerce.GraphQL.Types;

namespace MachCommerce.GraphQL.Validation;

public static partial class Validator
{
    private sealed partial class Walk
    {
        private void SingleFieldSubscriptions(OperationDefinition operation)
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
    }
}
