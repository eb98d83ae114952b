// KnownFragmentNames (graphql-js: src/validation/rules/KnownFragmentNamesRule.ts): every spread names a fragment of the _document.
using MachCommerce.GraphQL.Language;
using MachCommerce.GraphQL.Types;

namespace MachCommerce.GraphQL.Validation;

public static partial class Validator
{
    private sealed partial class Walk
    {
        private FragmentDefinition? KnownFragmentName(FragmentSpread spread)
        {
            if (_fragments.TryGetValue(spread.Name.Value, out var fragment))
            {
                return fragment;
            }

            Report($"Unknown fragment \"{spread.Name.Value}\".", spread.Name);
            return null;
        }
    }
}
