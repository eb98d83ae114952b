// ScalarLeafs (graphql-js: src/validation/rules/ScalarLeafsRule.ts): leaves (scalars, enums) have no selection; every other field has one.
using MachCommerce.GraphQL.Language;
using MachCommerce.GraphQL.Types;

namespace MachCommerce.GraphQL.Validation;

public static partial class Validator
{
    private sealed partial class Walk
    {
        private void ScalarLeafs(Field field, OutputField definition)
        {
            if (definition.Type.Named is ScalarType or EnumType)
            {
                if (field.SelectionSet is not null)
                {
                    Report($"Field \"{field.Name.Value}\" must not have a selection since type \"{definition.Type}\" has no subfields.", field.SelectionSet);
                }
            }
            else if (field.SelectionSet is null)
            {
                Report($"Field \"{field.Name.Value}\" of type \"{definition.Type}\" must have a selection of subfields. Did you mean \"{field.Name.Value} {{ ... }}\"?", field);
            }
        }
    }
}
