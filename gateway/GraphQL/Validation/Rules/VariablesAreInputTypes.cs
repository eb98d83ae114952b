// VariablesAreInputTypes (graphql-js: src/validation/rules/VariablesAreInputTypesRule.ts): a variable is of a scalar, enum or input object type.
using MachCommerce.GraphQL.Language;
using MachCommerce.GraphQL.Types;

namespace MachCommerce.GraphQL.Validation;

public static partial class Validator
{
    private sealed partial class Walk
    {
        private void VariablesAreInputTypes(VariableDefinition variable, Types.NamedType type)
        {
            if (type is not (ScalarType or EnumType or InputObjectType))
            {
                Report($"Variable \"${variable.Variable.Name.Value}\" cannot be non-input type \"{ValuePrinter.Print(variable.Type)}\".", variable.Type);
            }
        }
    }
}
