// KnownDirectives (graphql-js: src/validation/rules/KnownDirectivesRule.ts): every directive is defined, and used where its definition allows.
using MachCommerce.GraphQL.Language;
using MachCommerce.GraphQL.Types;

namespace MachCommerce.GraphQL.Validation;

public static partial class Validator
{
    private sealed partial class Walk
    {
        private DirectiveType? KnownDirectives(Directive directive, string location)
        {
            var definition = _schema.Directives.FirstOrDefault(d => d.Name == directive.Name.Value);
            if (definition is null)
            {
                Report($"Unknown directive \"@{directive.Name.Value}\".", directive);
            }
            else if (!definition.Locations.Contains(location))
            {
                Report($"Directive \"@{directive.Name.Value}\" may not be used on {location}.", directive);
            }

            return definition;
        }
    }
}
