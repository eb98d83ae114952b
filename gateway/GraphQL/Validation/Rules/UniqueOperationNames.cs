// UniqueOperationNames (graphql-js: src/validation/rules/UniqueOperationNamesRule.ts): no two operations share a name.
using MachCommerce.GraphQL.Language;
using MachCommerce.GraphQL.Types;

namespace MachCommerce.GraphQL.Validation;

public static partial class Validator
{
    private sealed partial class Walk
    {
        private void UniqueOperationNames(List<OperationDefinition> operations)
        {
            foreach (var group in operations.Where(o => o.Name is not null).GroupBy(o => o.Name?.Value).Where(g => g.Count() > 1))
            {
                Report($"There can be only one operation named \"{group.Key}\".", [.. group.Select(o => (ILocated)o.Name!.Value)]);
            }
        }
    }
}
