// KnownOperationTypes (graphql-js: src/validation/rules/KnownOperationTypesRule.ts): the schema has a root type for the operation.
using MachCommerce.GraphQL.Language;
using MachCommerce.GraphQL.Types;

namespace MachCommerce.GraphQL.Validation;

public static partial class Validator
{
    private sealed partial class Walk
    {
        private void KnownOperationTypes(OperationDefinition operation, ObjectType? root)
        {
            if (root is null)
            {
                Report($"The {operation.Operation.ToString().ToLowerInvariant()} operation is not supported by the _schema.", operation);
            }
        }
    }
}
