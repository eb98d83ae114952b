// UniqueVariableNames (graphql-js: src/validation/rules/UniqueVariableNamesRule.ts): an operation defines each variable once.
using MachCommerce.GraphQL.Language;
using MachCommerce.GraphQL.Types;

namespace MachCommerce.GraphQL.Validation;

public static partial class Validator
{
    private sealed partial class Walk
    {
        private void UniqueVariableNames(OperationDefinition operation)
        {
            foreach (var group in operation.VariableDefinitions.GroupBy(v => v.Variable.Name.Value).Where(g => g.Count() > 1))
            {
                Report($"There can be only one variable named \"${group.Key}\".", [.. group.Select(v => (ILocated)v.Variable.Name)]);
            }
        }
    }
}
