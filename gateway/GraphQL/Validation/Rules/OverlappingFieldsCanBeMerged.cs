using System.Runtime.CompilerServices;
using MachCommerce.GraphQL.Language;
using MachCommerce.GraphQL.Types;

namespace MachCommerce.GraphQL.Validation;

/// <summary>
/// Overlapping fields can be merged (spec 5.3.2): two selections with the same response name, reachable together
/// through fields, inline fragments and fragment spreads, must be the same field with the same arguments (unless
/// their parents are different object types, so only one can apply) and must return compatible shapes, all the way
/// down their sub-selections. The walk follows graphql-js's: field groups are collected once per selection set and
/// parent type, fragment pairs and field/fragment pairs are compared once (remembering whether the comparison was
/// under mutually exclusive parents), and a complexity budget stops a document built to make the check explode.
/// </summary>
internal sealed class OverlappingFieldsCanBeMerged(Schema schema, IReadOnlyDictionary<string, FragmentDefinition> fragments, Action<string, Node[]> report)
{
    private const int MaxConflictDetailLength = 1000;
    private const int MaxConflictNodes = 20;
    private const int ComplexityBudget = 500_000;

    /// <summary>Thrown when the budget is spent; the validator reports "Validation aborted." as graphql-js does.</summary>
    public sealed class BudgetExhaustedException : Exception
    {
        public BudgetExhaustedException()
            : base("Validation aborted.")
        {
        }
    }

    private sealed class FieldDetails(Types.NamedType? parentType, Field node, OutputField? definition)
    {
        public Types.NamedType? ParentType { get; } = parentType;
        public Field Node { get; } = node;
        public OutputField? Definition { get; } = definition;
        public bool IsSimpleLeaf { get; } = node.Arguments.Count == 0 && node.SelectionSet is null;

        private Dictionary<string, string>? _argumentKeys;

        /// <summary>Argument name to a canonical form of its value (object fields sorted), computed once.</summary>
        public Dictionary<string, string> ArgumentKeys => _argumentKeys ??= Node.Arguments
            .GroupBy(a => a.Name.Value, StringComparer.Ordinal).ToDictionary(g => g.Key, g => ValueKey(g.First().Value), StringComparer.Ordinal);
    }

    /// <summary>The fields of a selection set grouped by response name (in document order) and the fragments it spreads.</summary>
    private sealed class Collected
    {
        public Dictionary<string, List<FieldDetails>> Groups { get; } = new(StringComparer.Ordinal);
        public List<FragmentSpread> SpreadNodes { get; } = [];
        public List<FragmentDefinition?>? Spreads { get; set; }
        public Dictionary<Collected, List<(string Name, List<FieldDetails> First, List<FieldDetails> Second)>> Overlaps { get; } = new(ReferenceEqualityComparer.Instance);
    }

    private sealed record Conflict(string ResponseName, string Reason, List<Field> Fields1, List<Field> Fields2);

    private readonly Dictionary<(Types.NamedType?, SelectionSet), Collected> _collected = new(ReferencePairComparer<Types.NamedType?, SelectionSet>.Instance);
    private readonly Dictionary<(Collected, FragmentDefinition?), bool> _comparedFieldsAndFragments = new(ReferencePairComparer<Collected, FragmentDefinition?>.Instance);
    private readonly Dictionary<(FragmentDefinition?, FragmentDefinition?), bool> _comparedFragments = new(ReferencePairComparer<FragmentDefinition?, FragmentDefinition?>.Instance);
    private int _budget = ComplexityBudget;

    /// <summary>
    /// Checks one selection set of an operation, field or fragment definition (inline fragments are covered by the
    /// selection set that holds them). <paramref name="parentType"/> is null where the type is unknown.
    /// </summary>
    public void Check(Types.NamedType? parentType, SelectionSet selectionSet)
    {
        if (selectionSet.Selections.Count <= 1 && selectionSet.Selections is not [InlineFragment])
        {
            return;
        }

        foreach (var conflict in WithinSelectionSet(parentType, selectionSet))
        {
            report($"Fields \"{Abbreviate(conflict.ResponseName)}\" conflict because {conflict.Reason}. Use different aliases on the fields to fetch both if this was intentional.",
                [.. conflict.Fields1, .. conflict.Fields2]);
        }
    }

    private List<Conflict> WithinSelectionSet(Types.NamedType? parentType, SelectionSet selectionSet)
    {
        var conflicts = new List<Conflict>();
        var collected = Collect(parentType, selectionSet);
        foreach (var (responseName, fields) in collected.Groups)
        {
            for (var i = 0; i < fields.Count; i++)
            {
                for (var j = i + 1; j < fields.Count; j++)
                {
                    Add(conflicts, FindConflict(false, responseName, fields[i], fields[j]));
                }
            }
        }

        if (collected.SpreadNodes.Count != 0 && (collected.Groups.Count != 0 || collected.SpreadNodes.Count > 1))
        {
            var spreads = SpreadsOf(collected);
            for (var i = 0; i < spreads.Count; i++)
            {
                BetweenFieldsAndFragment(conflicts, false, collected, spreads[i]);
                for (var j = i + 1; j < spreads.Count; j++)
                {
                    BetweenFragments(conflicts, false, spreads[i], spreads[j]);
                }
            }
        }

        return conflicts;
    }

    private void BetweenFieldsAndFragment(List<Conflict> conflicts, bool exclusive, Collected collected, FragmentDefinition? fragment)
    {
        Spend(1);
        if (collected.Groups.Count == 0 || Compared(_comparedFieldsAndFragments, (collected, fragment), exclusive))
        {
            return;
        }

        _comparedFieldsAndFragments[(collected, fragment)] = exclusive;
        if (fragment is null)
        {
            return;
        }

        var fragmentCollected = CollectFragment(fragment);
        if (ReferenceEquals(collected, fragmentCollected))
        {
            return;
        }

        Between(conflicts, exclusive, collected, fragmentCollected);
        foreach (var referenced in SpreadsOf(fragmentCollected))
        {
            BetweenFieldsAndFragment(conflicts, exclusive, collected, referenced);
        }
    }

    private void BetweenFragments(List<Conflict> conflicts, bool exclusive, FragmentDefinition? first, FragmentDefinition? second)
    {
        Spend(2);
        if (ReferenceEquals(first, second)
            || Compared(_comparedFragments, (first, second), exclusive) || Compared(_comparedFragments, (second, first), exclusive))
        {
            return;
        }

        _comparedFragments[(first, second)] = exclusive;
        if (first is null || second is null)
        {
            return;
        }

        var collected1 = CollectFragment(first);
        var collected2 = CollectFragment(second);
        Between(conflicts, exclusive, collected1, collected2);
        foreach (var referenced in SpreadsOf(collected2))
        {
            BetweenFragments(conflicts, exclusive, first, referenced);
        }

        foreach (var referenced in SpreadsOf(collected1))
        {
            BetweenFragments(conflicts, exclusive, referenced, second);
        }
    }

    private List<Conflict> BetweenSubSelections(bool exclusive, Types.NamedType? parent1, SelectionSet selectionSet1, Types.NamedType? parent2, SelectionSet selectionSet2)
    {
        var conflicts = new List<Conflict>();
        var collected1 = Collect(parent1, selectionSet1);
        var spreads1 = SpreadsOf(collected1);
        var collected2 = Collect(parent2, selectionSet2);
        var spreads2 = SpreadsOf(collected2);
        Between(conflicts, exclusive, collected1, collected2);
        foreach (var spread in spreads2)
        {
            BetweenFieldsAndFragment(conflicts, exclusive, collected1, spread);
        }

        foreach (var spread in spreads1)
        {
            BetweenFieldsAndFragment(conflicts, exclusive, collected2, spread);
        }

        foreach (var spread1 in spreads1)
        {
            foreach (var spread2 in spreads2)
            {
                BetweenFragments(conflicts, exclusive, spread1, spread2);
            }
        }

        return conflicts;
    }

    private void Between(List<Conflict> conflicts, bool exclusive, Collected collected1, Collected collected2)
    {
        if (collected1.Groups.Count == 0 || collected2.Groups.Count == 0)
        {
            return;
        }

        foreach (var (responseName, fields1, fields2) in OverlapsOf(collected1, collected2))
        {
            foreach (var field1 in fields1)
            {
                foreach (var field2 in fields2)
                {
                    Add(conflicts, FindConflict(exclusive, responseName, field1, field2));
                }
            }
        }
    }

    private List<(string Name, List<FieldDetails> First, List<FieldDetails> Second)> OverlapsOf(Collected collected1, Collected collected2)
    {
        if (collected1.Overlaps.TryGetValue(collected2, out var cached))
        {
            return cached;
        }

        var overlaps = new List<(string, List<FieldDetails>, List<FieldDetails>)>();
        foreach (var (responseName, fields1) in collected1.Groups)
        {
            Spend(1);
            if (collected2.Groups.TryGetValue(responseName, out var fields2))
            {
                overlaps.Add((responseName, fields1, fields2));
            }
        }

        collected1.Overlaps[collected2] = overlaps;
        return overlaps;
    }

    private Conflict? FindConflict(bool parentsExclusive, string responseName, FieldDetails field1, FieldDetails field2)
    {
        // Fields of two different object types can never both apply to one value, so only their shapes must agree.
        var exclusive = parentsExclusive || field1.ParentType != field2.ParentType && field1.ParentType is ObjectType && field2.ParentType is ObjectType;
        Spend(2);
        var node1 = field1.Node;
        var node2 = field2.Node;
        if (field1.IsSimpleLeaf && field2.IsSimpleLeaf && field1.Definition?.Type == field2.Definition?.Type && node1.Name.Value == node2.Name.Value)
        {
            return null;
        }

        if (!exclusive)
        {
            if (node1.Name.Value != node2.Name.Value)
            {
                return new Conflict(responseName, $"\"{Abbreviate(node1.Name.Value)}\" and \"{Abbreviate(node2.Name.Value)}\" are different fields", [node1], [node2]);
            }

            if (!SameArguments(field1, field2))
            {
                return new Conflict(responseName, "they have differing arguments", [node1], [node2]);
            }
        }

        var type1 = field1.Definition?.Type;
        var type2 = field2.Definition?.Type;
        if (type1 is not null && type2 is not null && TypesConflict(type1, type2))
        {
            return new Conflict(responseName, $"they return conflicting types \"{type1}\" and \"{type2}\"", [node1], [node2]);
        }

        if (node1.SelectionSet is { } selectionSet1 && node2.SelectionSet is { } selectionSet2)
        {
            var conflicts = BetweenSubSelections(exclusive, type1?.Named, selectionSet1, type2?.Named, selectionSet2);
            return SubfieldConflicts(conflicts, responseName, node1, node2);
        }

        return null;
    }

    private bool SameArguments(FieldDetails field1, FieldDetails field2)
    {
        if (field1.Node.Arguments.Count != field2.Node.Arguments.Count)
        {
            return false;
        }

        var keys2 = field2.ArgumentKeys;
        foreach (var argument in field1.Node.Arguments)
        {
            Spend(1);
            if (!keys2.TryGetValue(argument.Name.Value, out var key2) || field1.ArgumentKeys[argument.Name.Value] != key2)
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Whether the two output types can hold incompatible values: different list/non-null wrapping or different leaf types.</summary>
    private bool TypesConflict(TypeReference type1, TypeReference type2)
    {
        if (type1 == type2)
        {
            return false;
        }

        Spend(1);
        return (type1, type2) switch
        {
            (ListOf list1, ListOf list2) => TypesConflict(list1.OfType, list2.OfType),
            (ListOf, _) or (_, ListOf) => true,
            (NonNull nonNull1, NonNull nonNull2) => TypesConflict(nonNull1.OfType, nonNull2.OfType),
            (NonNull, _) or (_, NonNull) => true,
            _ => (type1 is ScalarType or EnumType || type2 is ScalarType or EnumType) && type1 != type2,
        };
    }

    private static Conflict? SubfieldConflicts(List<Conflict> conflicts, string responseName, Field node1, Field node2)
    {
        if (conflicts.Count == 0)
        {
            return null;
        }

        var message = new StringBuilder();
        foreach (var conflict in conflicts)
        {
            message.Append(message.Length == 0 ? "" : " and ").Append("subfields \"").Append(Abbreviate(conflict.ResponseName))
                .Append("\" conflict because ").Append(conflict.Reason);
            if (message.Length > MaxConflictDetailLength)
            {
                break;
            }
        }

        return new Conflict(responseName, Abbreviate(message.ToString()), ConflictNodes(node1, conflicts, c => c.Fields1), ConflictNodes(node2, conflicts, c => c.Fields2));
    }

    /// <summary>The field itself and the fields of its sub-conflicts, at most twenty so the error stays readable.</summary>
    private static List<Field> ConflictNodes(Field node, List<Conflict> conflicts, Func<Conflict, List<Field>> side)
    {
        var nodes = new List<Field> { node };
        foreach (var conflict in conflicts)
        {
            var fields = side(conflict);
            var remaining = MaxConflictNodes - nodes.Count;
            nodes.AddRange(fields.Skip(Math.Max(0, fields.Count - remaining)));
            if (nodes.Count == MaxConflictNodes)
            {
                break;
            }
        }

        return nodes;
    }

    private Collected Collect(Types.NamedType? parentType, SelectionSet selectionSet)
    {
        if (!_collected.TryGetValue((parentType, selectionSet), out var collected))
        {
            collected = new Collected();
            CollectInto(parentType, selectionSet, collected);
            _collected[(parentType, selectionSet)] = collected;
        }

        return collected;
    }

    private Collected CollectFragment(FragmentDefinition fragment) => Collect(schema.Type(fragment.TypeCondition.Name.Value), fragment.SelectionSet);

    private void CollectInto(Types.NamedType? parentType, SelectionSet selectionSet, Collected collected)
    {
        foreach (var selection in selectionSet.Selections)
        {
            switch (selection)
            {
                case Field field:
                    // Only the type's own fields: __typename has no definition here, as in graphql-js.
                    var definition = parentType is FieldsType fieldsType ? fieldsType.Field(field.Name.Value) : null;
                    var responseName = field.ResponseKey;
                    if (!collected.Groups.TryGetValue(responseName, out var group))
                    {
                        collected.Groups[responseName] = group = [];
                    }

                    group.Add(new FieldDetails(parentType, field, definition));
                    break;
                case FragmentSpread spread:
                    collected.SpreadNodes.Add(spread);
                    break;
                case InlineFragment inline:
                    CollectInto(inline.TypeCondition is null ? parentType : schema.Type(inline.TypeCondition.Name.Value), inline.SelectionSet, collected);
                    break;
            }
        }
    }

    /// <summary>The distinct fragments a selection set spreads (an unknown name counts as one missing fragment).</summary>
    private List<FragmentDefinition?> SpreadsOf(Collected collected)
    {
        if (collected.Spreads is { } cached)
        {
            return cached;
        }

        var spreads = new List<FragmentDefinition?>();
        var seen = new HashSet<FragmentDefinition?>(ReferenceEqualityComparer.Instance);
        foreach (var node in collected.SpreadNodes)
        {
            Spend(1);
            var definition = fragments.GetValueOrDefault(node.Name.Value);
            if (seen.Add(definition))
            {
                spreads.Add(definition);
            }
        }

        return collected.Spreads = spreads;
    }

    /// <summary>
    /// Whether a pair was compared before: a comparison under mutually exclusive parents covers only that case,
    /// one without covers both.
    /// </summary>
    private static bool Compared<TKey>(Dictionary<TKey, bool> compared, TKey key, bool exclusive)
        where TKey : notnull =>
        compared.TryGetValue(key, out var storedExclusive) && (exclusive || !storedExclusive);

    private void Spend(int cost)
    {
        _budget -= cost;
        if (_budget < 0)
        {
            throw new BudgetExhaustedException();
        }
    }

    private static void Add(List<Conflict> conflicts, Conflict? conflict)
    {
        if (conflict is not null)
        {
            conflicts.Add(conflict);
        }
    }

    private static string Abbreviate(string text) => text.Length > MaxConflictDetailLength ? string.Concat(text.AsSpan(0, MaxConflictDetailLength), "...") : text;

    /// <summary>A value in canonical form: kind and content, object fields sorted by name, block strings distinct.</summary>
    private static string ValueKey(Value value)
    {
        var builder = new StringBuilder();
        Append(value);
        return builder.ToString();

        void Append(Value v)
        {
            switch (v)
            {
                case Variable variable:
                    builder.Append('$').Append(variable.Name.Value);
                    break;
                case ObjectValue objectValue:
                    builder.Append('{');
                    foreach (var field in objectValue.Fields.OrderBy(f => f.Name.Value, StringComparer.Ordinal))
                    {
                        builder.Append(field.Name.Value).Append(':');
                        Append(field.Value);
                        builder.Append(',');
                    }

                    builder.Append('}');
                    break;
                case ListValue list:
                    builder.Append('[');
                    foreach (var item in list.Values)
                    {
                        Append(item);
                        builder.Append(',');
                    }

                    builder.Append(']');
                    break;
                case StringValue s:
                    builder.Append(s.Block ? "B" : "S").Append(ValuePrinter.PrintString(s.Value));
                    break;
                case IntValue i:
                    builder.Append("I:").Append(i.Value);
                    break;
                case FloatValue f:
                    builder.Append("F:").Append(f.Value);
                    break;
                case BooleanValue b:
                    builder.Append(b.Value ? "true" : "false");
                    break;
                case NullValue:
                    builder.Append("null");
                    break;
                case EnumValue e:
                    builder.Append("E:").Append(e.Value);
                    break;
            }
        }
    }

    /// <summary>Pairs of AST nodes and types are compared by identity: two equal-looking selection sets are still two places.</summary>
    private sealed class ReferencePairComparer<TFirst, TSecond> : IEqualityComparer<(TFirst, TSecond)>
    {
        public static readonly ReferencePairComparer<TFirst, TSecond> Instance = new();

        public bool Equals((TFirst, TSecond) x, (TFirst, TSecond) y) => ReferenceEquals(x.Item1, y.Item1) && ReferenceEquals(x.Item2, y.Item2);

        public int GetHashCode((TFirst, TSecond) obj) => HashCode.Combine(RuntimeHelpers.GetHashCode(obj.Item1), RuntimeHelpers.GetHashCode(obj.Item2));
    }
}
