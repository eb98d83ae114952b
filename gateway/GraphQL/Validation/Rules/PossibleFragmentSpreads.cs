// PossibleFragmentSpreads (graphql-js: src/validation/rules/PossibleFragmentSpreadsRule.ts): a fragment is spread only where its type can occur.
using MachCommerce.GraphQL.Language;
using MachCommerce.GraphQL.Types;

namespace MachCommerce.GraphQL.Validation;

public static partial class Validator
{
    private sealed partial class Walk
    {
        private void PossibleFragmentSpreads(Types.NamedType? parent, Types.NamedType? type, InlineFragment inline)
        {
            if (inline.TypeCondition is not null && parent is not null && type is not null && !Overlap(parent, type))
            {
                Report($"Fragment cannot be spread here as objects of type \"{parent.Name}\" can never be of type \"{type.Name}\".", inline);
            }
        }

        private void PossibleFragmentSpreads(Types.NamedType? parent, FragmentSpread spread, FragmentDefinition fragment)
        {
            if (parent is not null && _schema.Type(fragment.TypeCondition.Name.Value) is { } fragmentType && IsComposite(fragmentType) && !Overlap(parent, fragmentType))
            {
                Report($"Fragment \"{spread.Name.Value}\" cannot be spread here as objects of type \"{parent.Name}\" can never be of type \"{fragmentType.Name}\".", spread);
            }
        }

        private bool Overlap(Types.NamedType a, Types.NamedType b) => a == b || _schema.PossibleTypes(a).Intersect(_schema.PossibleTypes(b)).Any();
    }
}
