// UniqueFragmentNames (graphql-js: src/validation/rules/UniqueFragmentNamesRule.ts): no two fragments share a name.
using MachCommerce.GraphQL.Language;
using MachCommerce.GraphQL.Types;

namespace MachCommerce.GraphQL.Validation;

public static partial class Validator
{
    private sealed partial class Walk
    {
        private void UniqueFragmentNames()
        {
            foreach (var group in _document.Definitions.OfType<FragmentDefinition>().GroupBy(f => f.Name.Value).Where(g => g.Count() > 1))
            {
                Report($"There can be only one fragment named \"{group.Key}\".", [.. group.Select(f => (ILocated)f.Name)]);
            }
        }
    }
}
