// LoneAnonymousOperation (graphql-js: src/validation/rules/LoneAnonymousOperationRule.ts): an anonymous operation must be the only one.
using MachCommerce.GraphQL.Language;
using MachCommerce.GraphQL.Types;

namespace MachCommerce.GraphQL.Validation;

public static partial class Validator
{
    private sealed partial class Walk
    {
        private void LoneAnonymousOperation(List<OperationDefinition> operations)
        {
            if (operations.Count > 1)
            {
                foreach (var anonymous in operations.Where(o => o.Name is null))
                {
                    Report("This anonymous operation must be the only defined operation.", anonymous);
                }
            }
        }
    }
}
