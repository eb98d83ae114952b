// KnownTypeNames (graphql-js: src/validation/rules/KnownTypeNamesRule.ts): every named type (of a variable, of a type condition) is in the _schema.
using MachCommerce.GraphQL.Language;
using MachCommerce.GraphQL.Types;

namespace MachCommerce.GraphQL.Validation;

public static partial class Validator
{
    private sealed partial class Walk
    {
        /// <summary>The type <paramref name="named"/> names, or null after reporting it unknown (with similar names).</summary>
        private Types.NamedType? KnownTypeName(Language.NamedType named)
        {
            if (_schema.Type(named.Name.Value) is { } type)
            {
                return type;
            }

            Report($"Unknown type \"{named.Name.Value}\"." + Suggestions.DidYouMean(Suggestions.For(named.Name.Value, _schema.TypesByName.Keys)), named);
            return null;
        }

        private static Language.NamedType Named(TypeNode type) => type switch
        {
            NonNullType n => Named(n.Type),
            ListType l => Named(l.Type),
            _ => (Language.NamedType)type,
        };
    }
}
