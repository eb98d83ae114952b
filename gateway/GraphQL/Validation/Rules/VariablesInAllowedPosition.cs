// VariablesInAllowedPosition (graphql-js: src/validation/rules/VariablesInAllowedPositionRule.ts): a variable is used only where its type fits (with the draft OneOf rule).
using MachCommerce.GraphQL.Language;
using MachCommerce.GraphQL.Types;

namespace MachCommerce.GraphQL.Validation;

public static partial class Validator
{
    private sealed partial class Walk
    {
        /// <summary>A variable used where a value of <see cref="Expected"/> goes.</summary>
        private sealed record TypedUsage(Variable Variable, TypeReference Expected, bool HasLocationDefault, InputObjectType? OneOfParent);

        /// <summary>The typed usages of each operation and fragment; <see cref="_scope"/> is the one being walked.</summary>
        private readonly Dictionary<Definition, List<TypedUsage>> _typedUsages = [];
        private List<TypedUsage> _scope = [];

        /// <summary>Where each variable in a literal is used, with the type expected there.</summary>
        private void Record(Language.Value value, TypeReference expected, bool hasLocationDefault, InputObjectType? oneOfParent)
        {
            switch (value)
            {
                case Variable variable:
                    _scope.Add(new TypedUsage(variable, expected, hasLocationDefault, oneOfParent));
                    break;
                case ListValue list:
                    var itemType = (expected is NonNull n ? n.OfType : expected) is ListOf l ? l.OfType : expected;
                    foreach (var item in list.Values)
                    {
                        Record(item, itemType, false, null);
                    }

                    break;
                case ObjectValue obj when expected.Named is InputObjectType input:
                    // As graphql-js: the OneOf rule looks at the enclosing type as written, so a OneOf object in a
                    // non-null position (Key!) is not checked here; coercion refuses a null variable there anyway.
                    var oneOf = expected is InputObjectType { IsOneOf: true } direct ? direct : null;
                    foreach (var field in obj.Fields)
                    {
                        if (input.Fields.Find(f => f.Name == field.Name.Value) is { } definition)
                        {
                            Record(field.Value, definition.Type, definition.DefaultValue is not null, oneOf);
                        }
                    }

                    break;
            }
        }

        /// <summary>VariablesInAllowedPosition, over the operation and every fragment it spreads.</summary>
        private void VariablesInAllowedPosition(OperationDefinition operation)
        {
            var reachable = new HashSet<string>(StringComparer.Ordinal);
            Spreads(operation.SelectionSet, reachable);
            var usages = _typedUsages[operation].Concat(reachable.Where(_fragments.ContainsKey).SelectMany(name => _typedUsages.GetValueOrDefault(_fragments[name]) ?? []));
            var definitions = operation.VariableDefinitions.GroupBy(v => v.Variable.Name.Value).ToDictionary(g => g.Key, g => g.First(), StringComparer.Ordinal);
            foreach (var usage in usages)
            {
                if (!definitions.TryGetValue(usage.Variable.Name.Value, out var definition) || _schema.TypeFromAst(definition.Type) is not { } variableType)
                {
                    continue;
                }

                if (usage.OneOfParent is { } oneOf && variableType is not NonNull)
                {
                    Report($"Variable \"${usage.Variable.Name.Value}\" is of type \"{variableType}\" but must be non-nullable to be used for OneOf Input Object \"{oneOf.Name}\".", definition, usage.Variable);
                }
                else if (!Allowed(variableType, definition.DefaultValue, usage.Expected, usage.HasLocationDefault))
                {
                    Report($"Variable \"${usage.Variable.Name.Value}\" of type \"{variableType}\" used in position expecting type \"{usage.Expected}\".", definition, usage.Variable);
                }
            }
        }

        private static bool Allowed(TypeReference variableType, Language.Value? variableDefault, TypeReference expected, bool hasLocationDefault)
        {
            if (expected is NonNull nonNull && variableType is not NonNull)
            {
                return (variableDefault is not null and not NullValue || hasLocationDefault) && SubType(variableType, nonNull.OfType);
            }

            return SubType(variableType, expected);
        }

        private static bool SubType(TypeReference sub, TypeReference super) => (sub, super) switch
        {
            (_, NonNull s) => sub is NonNull n && SubType(n.OfType, s.OfType),
            (NonNull n, _) => SubType(n.OfType, super),
            (_, ListOf s) => sub is ListOf l && SubType(l.OfType, s.OfType),
            (ListOf, _) => false,
            _ => sub.Named == super.Named,
        };
    }
}
