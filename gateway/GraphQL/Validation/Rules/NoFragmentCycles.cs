// NoFragmentCycles (graphql-js: src/validation/rules/NoFragmentCyclesRule.ts): no fragment spreads itself, directly or through others.
using MachCommerce.GraphQL.Language;
using MachCommerce.GraphQL.Types;

namespace MachCommerce.GraphQL.Validation;

public static partial class Validator
{
    private sealed partial class Walk
    {
        /// <summary>NoFragmentCycles: a depth-first walk over the spreads, reporting each cycle once with the spreads along it.</summary>
        private void NoFragmentCycles()
        {
            var visited = new HashSet<string>(StringComparer.Ordinal);
            var path = new List<FragmentSpread>();
            var indexInPath = new Dictionary<string, int>(StringComparer.Ordinal);
            foreach (var fragment in _document.Definitions.OfType<FragmentDefinition>())
            {
                Detect(fragment);
            }

            void Detect(FragmentDefinition fragment)
            {
                if (!visited.Add(fragment.Name.Value))
                {
                    return;
                }

                var spreads = new List<FragmentSpread>();
                CollectSpreads(fragment.SelectionSet, spreads);
                if (spreads.Count == 0)
                {
                    return;
                }

                indexInPath[fragment.Name.Value] = path.Count;
                foreach (var spread in spreads)
                {
                    var name = spread.Name.Value;
                    path.Add(spread);
                    if (!indexInPath.TryGetValue(name, out var cycleIndex))
                    {
                        if (_fragments.TryGetValue(name, out var next))
                        {
                            Detect(next);
                        }
                    }
                    else
                    {
                        var cycle = path.Skip(cycleIndex).ToList();
                        var via = cycle.Take(cycle.Count - 1).Select(s => $"\"{s.Name.Value}\"").ToList();
                        Report($"Cannot spread fragment \"{name}\" within itself{(via.Count > 0 ? " via " + string.Join(", ", via) : "")}.", [.. cycle]);
                    }

                    path.RemoveAt(path.Count - 1);
                }

                indexInPath.Remove(fragment.Name.Value);
            }
        }

        private static void CollectSpreads(SelectionSet selectionSet, List<FragmentSpread> spreads)
        {
            foreach (var selection in selectionSet.Selections)
            {
                switch (selection)
                {
                    case FragmentSpread spread:
                        spreads.Add(spread);
                        break;
                    case Field { SelectionSet: { } inner }:
                        CollectSpreads(inner, spreads);
                        break;
                    case InlineFragment inline:
                        CollectSpreads(inline.SelectionSet, spreads);
                        break;
                }
            }
        }
    }
}
