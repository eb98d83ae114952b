// KnownArgumentNames (graphql-js: src/validation/rules/KnownArgumentNamesRule.ts): every argument is defined on its field or directive.
using MachCommerce.GraphQL.Language;
using MachCommerce.GraphQL.Types;

namespace MachCommerce.GraphQL.Validation;

public static partial class Validator
{
    private sealed partial class Walk
    {
        private void KnownArgumentNames(Argument argument, IReadOnlyList<InputValue>? defined, string? owner, bool isDirective)
        {
            if (defined is not null && !defined.Any(d => d.Name == argument.Name.Value))
            {
                var suggestion = Suggestions.DidYouMean(Suggestions.For(argument.Name.Value, defined.Select(d => d.Name)));
                Report(isDirective ? $"Unknown argument \"{argument.Name.Value}\" on directive \"{owner}\".{suggestion}" : $"Unknown argument \"{argument.Name.Value}\" on field \"{owner}\".{suggestion}", argument);
            }
        }
    }
}
