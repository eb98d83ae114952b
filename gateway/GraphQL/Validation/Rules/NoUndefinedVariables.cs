// NoUndefinedVariables (graphql-js: src/validation/rules/NoUndefinedVariablesRule.ts): every variable an operation uses (through its fragments too) is defined by it.
using MachCommerce.GraphQL.Language;
using MachCommerce.GraphQL.Types;

namespace MachCommerce.GraphQL.Validation;

public static partial class Validator
{
    private sealed partial class Walk
    {
        private void NoUndefinedVariables(OperationDefinition operation, List<Variable> usages)
        {
            var defined = operation.VariableDefinitions.Select(v => v.Variable.Name.Value).ToHashSet(StringComparer.Ordinal);
            foreach (var usage in usages.Where(u => !defined.Contains(u.Name.Value)))
            {
                Report(operation.Name is { } name ? $"Variable \"${usage.Name.Value}\" is not defined by operation \"{name.Value}\"." : $"Variable \"${usage.Name.Value}\" is not defined.",
                    usage, operation);
            }
        }

        /// <summary>Every variable the operation uses: in its directives, its selections and the fragments it spreads.</summary>
        private List<Variable> VariableUsages(OperationDefinition operation)
        {
            var usages = new List<Variable>();
            Usages(operation.SelectionSet, usages, new HashSet<string>(StringComparer.Ordinal));
            usages.AddRange(operation.Directives.SelectMany(d => d.Arguments).SelectMany(a => VariablesIn(a.Value)));
            return usages;
        }

        private void Usages(SelectionSet selectionSet, List<Variable> usages, HashSet<string> visited)
        {
            foreach (var selection in selectionSet.Selections)
            {
                var (arguments, directives, inner) = selection switch
                {
                    Field f => (f.Arguments, f.Directives, f.SelectionSet),
                    InlineFragment i => ([], i.Directives, i.SelectionSet),
                    FragmentSpread s => ([], s.Directives, null),
                    _ => ((IReadOnlyList<Argument>)[], (IReadOnlyList<Directive>)[], (SelectionSet?)null),
                };
                usages.AddRange(arguments.Concat(directives.SelectMany(d => d.Arguments)).SelectMany(a => VariablesIn(a.Value)));
                if (inner is not null)
                {
                    Usages(inner, usages, visited);
                }

                if (selection is FragmentSpread spread && visited.Add(spread.Name.Value) && _fragments.TryGetValue(spread.Name.Value, out var fragment))
                {
                    usages.AddRange(fragment.Directives.SelectMany(d => d.Arguments).SelectMany(a => VariablesIn(a.Value)));
                    Usages(fragment.SelectionSet, usages, visited);
                }
            }
        }

        private static IEnumerable<Variable> VariablesIn(Language.Value value) => value switch
        {
            Variable v => [v],
            ListValue l => l.Values.SelectMany(VariablesIn),
            ObjectValue o => o.Fields.SelectMany(f => VariablesIn(f.Value)),
            _ => [],
        };
    }
}
