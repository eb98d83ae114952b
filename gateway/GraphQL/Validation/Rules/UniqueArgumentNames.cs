// UniqueArgumentNames (graphql-js: src/validation/rules/UniqueArgumentNamesRule.ts): a field or directive takes each argument once.
using MachCommerce.GraphQL.Language;
using MachCommerce.GraphQL.Types;

namespace MachCommerce.GraphQL.Validation;

public static partial class Validator
{
    private sealed partial class Walk
    {
        private void UniqueArgumentNames(IReadOnlyList<Argument> given)
        {
            foreach (var group in given.GroupBy(a => a.Name.Value).Where(g => g.Count() > 1))
            {
                Report($"There can be only one argument named \"{group.Key}\".", [.. group.Select(a => (ILocated)a.Name)]);
            }
        }
    }
}
