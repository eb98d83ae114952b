// ProvidedRequiredArguments (graphql-js: src/validation/rules/ProvidedRequiredArgumentsRule.ts): every non-null argument without a default is given.
using MachCommerce.GraphQL.Language;
using MachCommerce.GraphQL.Types;

namespace MachCommerce.GraphQL.Validation;

public static partial class Validator
{
    private sealed partial class Walk
    {
        private void ProvidedRequiredArguments(IReadOnlyList<Argument> given, IReadOnlyList<InputValue>? defined, string? owner, Node at)
        {
            foreach (var required in (defined ?? []).Where(d => d.Type is NonNull && d.DefaultValue is null && !given.Any(a => a.Name.Value == d.Name)))
            {
                Report($"Argument \"{owner}({required.Name}:)\" of type \"{required.Type}\" is required, but it was not provided.", at);
            }
        }
    }
}
