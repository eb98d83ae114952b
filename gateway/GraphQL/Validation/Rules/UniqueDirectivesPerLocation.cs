// UniqueDirectivesPerLocation (graphql-js: src/validation/rules/UniqueDirectivesPerLocationRule.ts): a directive that is not repeatable stands once at a location.
using MachCommerce.GraphQL.Language;
using MachCommerce.GraphQL.Types;

namespace MachCommerce.GraphQL.Validation;

public static partial class Validator
{
    private sealed partial class Walk
    {
        private void UniqueDirectivesPerLocation(Directive directive, DirectiveType definition, Dictionary<string, Directive> seen)
        {
            if (!definition.IsRepeatable && !seen.TryAdd(directive.Name.Value, directive))
            {
                Report($"The directive \"@{directive.Name.Value}\" can only be used once at this location.", seen[directive.Name.Value], directive);
            }
        }
    }
}
