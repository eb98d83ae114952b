// NoUnusedFragments (graphql-js: src/validation/rules/NoUnusedFragmentsRule.ts): every fragment is spread by some operation, directly or through other fragments.
using MachCommerce.GraphQL.Language;
using MachCommerce.GraphQL.Types;

namespace MachCommerce.GraphQL.Validation;

public static partial class Validator
{
    private sealed partial class Walk
    {
        private void NoUnusedFragments(List<OperationDefinition> operations)
        {
            var used = new HashSet<string>(StringComparer.Ordinal);
            foreach (var operation in operations)
            {
                Spreads(operation.SelectionSet, used);
            }

            foreach (var fragment in _document.Definitions.OfType<FragmentDefinition>().Where(f => !used.Contains(f.Name.Value)))
            {
                Report($"Fragment \"{fragment.Name.Value}\" is never used.", fragment);
            }
        }

        /// <summary>The names of the fragments a selection set spreads, directly or through other fragments.</summary>
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
    }
}
