// MaxIntrospectionDepth (graphql-js: src/validation/rules/MaxIntrospectionDepthRule.ts): an introspection query nests the list fields at most twice.
using MachCommerce.GraphQL.Language;
using MachCommerce.GraphQL.Types;

namespace MachCommerce.GraphQL.Validation;

public static partial class Validator
{
    private sealed partial class Walk
    {
        private readonly Dictionary<string, int> _checkedFragments = new(StringComparer.Ordinal);
        private readonly Dictionary<string, int> _exceededFragments = new(StringComparer.Ordinal);

        private void MaxIntrospectionDepth(Field field)
        {
            if (field.Name.Value is "__schema" or "__type" && IntrospectionTooDeep(field, new Dictionary<string, int>(StringComparer.Ordinal), 0))
            {
                Report("Maximum introspection depth exceeded", field);
            }
        }

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
    }
}
