// FieldsOnCorrectType (graphql-js: src/validation/rules/FieldsOnCorrectTypeRule.ts): a field is defined on the type it is selected on.
using MachCommerce.GraphQL.Language;
using MachCommerce.GraphQL.Types;

namespace MachCommerce.GraphQL.Validation;

public static partial class Validator
{
    private sealed partial class Walk
    {
        private void FieldsOnCorrectType(Types.NamedType? parent, Field field, OutputField? definition)
        {
            if (parent is not null && definition is null && IsComposite(parent))
            {
                Report($"Cannot query field \"{field.Name.Value}\" on type \"{parent.Name}\"." + FieldSuggestion(parent, field.Name.Value), field);
            }
        }

        /// <summary>
        /// For an unknown field: the types of an abstract parent that do have it (most used first), else similar field names.
        /// </summary>
        private string FieldSuggestion(Types.NamedType parent, string fieldName)
        {
            if (parent is IAbstractType)
            {
                var usage = new Dictionary<Types.NamedType, int>();
                foreach (var possible in _schema.PossibleTypes(parent).Where(t => t.Field(fieldName) is not null))
                {
                    usage[possible] = 1;
                    foreach (var @interface in possible.Interfaces.Where(i => i.Field(fieldName) is not null))
                    {
                        usage[@interface] = usage.GetValueOrDefault(@interface) + 1;
                    }
                }

                var types = usage.Keys.ToList();
                types.Sort((a, b) => usage[b] != usage[a] ? usage[b] - usage[a]
                    : Implements(b, a) ? -1
                    : Implements(a, b) ? 1
                    : Suggestions.NaturalCompare(a.Name, b.Name));
                if (types.Count > 0)
                {
                    return Suggestions.DidYouMean([.. types.Select(t => t.Name)], "to use an inline fragment on");
                }
            }

            return parent is FieldsType fields ? Suggestions.DidYouMean(Suggestions.For(fieldName, fields.Fields.Select(f => f.Name))) : "";
        }

        /// <summary>An interface ranks before the types that implement it.</summary>
        private static bool Implements(Types.NamedType maybeSub, Types.NamedType super) =>
            super is InterfaceType @interface && maybeSub is FieldsType fields && fields.Interfaces.Contains(@interface);
    }
}
