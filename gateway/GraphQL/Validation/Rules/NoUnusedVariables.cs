// NoUnusedVariables (graphql-js: src/validation/rules/NoUnusedVariablesRule.ts): every variable an operation defines is used, in it or its fragments.
using MachCommerce.GraphQL.Language;
using MachCommerce.GraphQL.Types;

namespace MachCommerce.GraphQL.Validation;

public static partial class Validator
{
    private sealed partial class Walk
    {
        private void NoUnusedVariables(OperationDefinition operation, List<Variable> usages)
        {
            var usedNames = usages.Select(u => u.Name.Value).ToHashSet(StringComparer.Ordinal);
            foreach (var variable in operation.VariableDefinitions.Where(v => !usedNames.Contains(v.Variable.Name.Value)))
            {
                Report(operation.Name is { } name
                    ? $"Variable \"${variable.Variable.Name.Value}\" is never used in operation \"{name.Value}\"."
                    : $"Variable \"${variable.Variable.Name.Value}\" is never used.", variable);
            }
        }
    }
}
