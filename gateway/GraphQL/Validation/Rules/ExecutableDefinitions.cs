// ExecutableDefinitions (graphql-js: src/validation/rules/ExecutableDefinitionsRule.ts): a document for execution holds operations and fragments only.
using MachCommerce.GraphQL.Language;
using MachCommerce.GraphQL.Types;

namespace MachCommerce.GraphQL.Validation;

public static partial class Validator
{
    private sealed partial class Walk
    {
        private void ExecutableDefinitions()
        {
            foreach (var definition in _document.Definitions.Where(d => d is not (OperationDefinition or FragmentDefinition)))
            {
                var name = definition is SchemaDefinition or SchemaExtension ? "schema" : $"\"{NameOf(definition)}\"";
                Report($"The {name} definition is not executable.", definition);
            }
        }

        private static string NameOf(Definition definition) => definition switch
        {
            TypeDefinition t => t.Name.Value,
            TypeExtension t => t.Name.Value,
            DirectiveDefinition d => d.Name.Value,
            _ => "",
        };
    }
}
