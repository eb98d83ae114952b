// UniqueInputFieldNames (graphql-js: src/validation/rules/UniqueInputFieldNamesRule.ts): an input object literal gives each field once.
using MachCommerce.GraphQL.Language;
using MachCommerce.GraphQL.Types;

namespace MachCommerce.GraphQL.Validation;

public static partial class Validator
{
    private sealed partial class Walk
    {
        private void UniqueInputFieldNames(ObjectValue obj)
        {
            foreach (var group in obj.Fields.GroupBy(f => f.Name.Value).Where(g => g.Count() > 1))
            {
                Report($"There can be only one input field named \"{group.Key}\".", [.. group.Select(f => (ILocated)f.Name)]);
            }
        }
    }
}
