// FragmentsOnCompositeTypes (graphql-js: src/validation/rules/FragmentsOnCompositeTypesRule.ts): a type condition names an object, interface or union type.
using MachCommerce.GraphQL.Language;
using MachCommerce.GraphQL.Types;

namespace MachCommerce.GraphQL.Validation;

public static partial class Validator
{
    private sealed partial class Walk
    {
        /// <summary>The type a fragment conditions on, or null after reporting it unknown or not composite.</summary>
        private Types.NamedType? TypeCondition(Language.NamedType condition, string nonComposite)
        {
            if (KnownTypeName(condition) is not { } type)
            {
                return null;
            }

            if (!IsComposite(type))
            {
                Report($"{nonComposite} \"{type.Name}\".", condition);
                return null;
            }

            return type;
        }
    }
}
