using MachCommerce.Personalization.Subjects;

namespace MachCommerce.Personalization.Definitions;

/// <summary>
/// What a condition is evaluated against at decision time. Without consent only what the request itself says
/// (customer group from the signed identity, locale) is filled in, so personal conditions are simply false.
/// </summary>
internal sealed record SubjectFacts(
    bool Known, bool Consent, string? Kind, string? CustomerGroup, string? Locale, IReadOnlyDictionary<string, JsonElement> Traits,
    SubjectModel? Model, DateTimeOffset Now, TimeSpan HalfLife)
{
    public static readonly IReadOnlyDictionary<string, JsonElement> NoTraits = new Dictionary<string, JsonElement>();
}

/// <summary>
/// A merchant's targeting rule, compiled from JSON:
/// <c>{"all": [...]}</c>, <c>{"any": [...]}</c>, <c>{"not": {...}}</c>, or a comparison
/// <c>{"field": "affinity.category.{id}", "op": "gte", "value": 2}</c>. Fields: kind, customerGroup, locale, known,
/// consent, events, trait.{name}, rfm.recencyDays, rfm.frequency, rfm.monetary, affinity.category.{id},
/// affinity.brand.{brand}, affinity.attribute.{key}={value}. Operators: eq, neq, in, gt, gte, lt, lte, exists.
/// </summary>
internal abstract class Condition
{
    public const int MaxDepth = 8, MaxNodes = 100;

    public abstract bool Matches(SubjectFacts facts);

    /// <summary>Category ids and brands the condition looks at: what a reason can point to.</summary>
    public abstract IEnumerable<string> AffinityKeys();

    public static Condition? Parse(JsonElement json, string path, FieldErrors errors)
    {
        var nodes = 0;
        return Parse(json, path, errors, 0, ref nodes);
    }

    private static Condition? Parse(JsonElement json, string path, FieldErrors errors, int depth, ref int nodes)
    {
        if (++nodes > MaxNodes)
        {
            errors.Add(path, $"a condition may have at most {MaxNodes} parts.");
            return null;
        }

        if (depth > MaxDepth)
        {
            errors.Add(path, $"conditions may be nested at most {MaxDepth} deep.");
            return null;
        }

        if (json.ValueKind != JsonValueKind.Object)
        {
            errors.Add(path, "must be an object: {\"all\": [...]}, {\"any\": [...]}, {\"not\": {...}} or {\"field\", \"op\", \"value\"}.");
            return null;
        }

        var names = json.EnumerateObject().Select(p => p.Name).ToList();
        if (names.Count == 1 && names[0] is "all" or "any")
        {
            var list = json.GetProperty(names[0]);
            if (list.ValueKind != JsonValueKind.Array || list.GetArrayLength() == 0)
            {
                errors.Add($"{path}.{names[0]}", "must be a non-empty array of conditions.");
                return null;
            }

            var parts = new List<Condition>();
            var index = 0;
            foreach (var item in list.EnumerateArray())
            {
                if (Parse(item, $"{path}.{names[0]}[{index++}]", errors, depth + 1, ref nodes) is { } part)
                {
                    parts.Add(part);
                }
            }

            return parts.Count == list.GetArrayLength() ? new Combination(names[0] == "all", parts) : null;
        }

        if (names.Count == 1 && names[0] == "not")
        {
            return Parse(json.GetProperty("not"), $"{path}.not", errors, depth + 1, ref nodes) is { } inner ? new Negation(inner) : null;
        }

        return Comparison.ParseComparison(json, path, errors);
    }

    private sealed class Combination(bool all, List<Condition> parts) : Condition
    {
        public override bool Matches(SubjectFacts facts) => all ? parts.TrueForAll(p => p.Matches(facts)) : parts.Exists(p => p.Matches(facts));

        public override IEnumerable<string> AffinityKeys() => parts.SelectMany(p => p.AffinityKeys());
    }

    private sealed class Negation(Condition inner) : Condition
    {
        public override bool Matches(SubjectFacts facts) => !inner.Matches(facts);

        public override IEnumerable<string> AffinityKeys() => [];
    }
}

internal sealed class Comparison : Condition
{
    private static readonly HashSet<string> Operators = ["eq", "neq", "in", "gt", "gte", "lt", "lte", "exists"];
    private static readonly HashSet<string> PlainFields = ["kind", "customerGroup", "locale", "known", "consent", "events", "rfm.recencyDays", "rfm.frequency", "rfm.monetary"];

    private readonly string _field;
    private readonly string _op;
    private readonly JsonElement _value;
    private readonly string? _affinityKey;

    private Comparison(string field, string op, JsonElement value, string? affinityKey)
    {
        _field = field;
        _op = op;
        _value = value;
        _affinityKey = affinityKey;
    }

    public static Comparison? ParseComparison(JsonElement json, string path, FieldErrors errors)
    {
        var before = errors.Count;
        var field = json.TryGetProperty("field", out var f) && f.ValueKind == JsonValueKind.String ? f.GetString()! : null;
        var op = json.TryGetProperty("op", out var o) && o.ValueKind == JsonValueKind.String ? o.GetString()! : null;
        var hasValue = json.TryGetProperty("value", out var value);
        foreach (var unknown in json.EnumerateObject().Select(p => p.Name).Except(["field", "op", "value"]))
        {
            errors.Add($"{path}.{unknown}", "is not part of a condition (field, op, value; or all, any, not).");
        }

        string? affinityKey = null;
        if (field is null)
        {
            errors.Add($"{path}.field", "is required.");
        }
        else if (field.StartsWith("affinity.category.", StringComparison.Ordinal))
        {
            if (Guid.TryParse(field["affinity.category.".Length..], out var category))
            {
                affinityKey = Subjects.AffinityKeys.Category(category);
            }
            else
            {
                errors.Add($"{path}.field", "affinity.category. must be followed by a category id (UUID).");
            }
        }
        else if (field.StartsWith("affinity.brand.", StringComparison.Ordinal) && field.Length > "affinity.brand.".Length)
        {
            affinityKey = Subjects.AffinityKeys.Brand(field["affinity.brand.".Length..]);
        }
        else if (field.StartsWith("affinity.attribute.", StringComparison.Ordinal) && field.IndexOf('=', StringComparison.Ordinal) > "affinity.attribute.".Length)
        {
            var pair = field["affinity.attribute.".Length..].Split('=', 2);
            affinityKey = Subjects.AffinityKeys.Attribute(Subjects.AffinityKeys.AttributeText(pair[0], pair[1]));
        }
        else if (!(field.StartsWith("trait.", StringComparison.Ordinal) && field.Length > "trait.".Length) && !PlainFields.Contains(field))
        {
            errors.Add($"{path}.field", $"'{field}' is not a field; use kind, customerGroup, locale, known, consent, events, trait.{{name}}, rfm.recencyDays, rfm.frequency, rfm.monetary, affinity.category.{{id}}, affinity.brand.{{brand}} or affinity.attribute.{{key}}={{value}}.");
        }

        if (op is null || !Operators.Contains(op))
        {
            errors.Add($"{path}.op", $"must be one of {string.Join(", ", Operators)}.");
        }
        else if (op == "exists")
        {
            if (hasValue)
            {
                errors.Add($"{path}.value", "exists takes no value.");
            }
        }
        else if (!hasValue)
        {
            errors.Add($"{path}.value", "is required.");
        }
        else if (op == "in" && (value.ValueKind != JsonValueKind.Array || value.GetArrayLength() == 0 || value.GetArrayLength() > 100))
        {
            errors.Add($"{path}.value", "in needs an array of 1 to 100 values.");
        }
        else if (op is "gt" or "gte" or "lt" or "lte" && value.ValueKind != JsonValueKind.Number)
        {
            errors.Add($"{path}.value", $"{op} compares numbers; the value must be a number.");
        }
        else if (op is "eq" or "neq" && value.ValueKind is JsonValueKind.Object or JsonValueKind.Array)
        {
            errors.Add($"{path}.value", $"{op} compares with a string, number or boolean.");
        }

        return errors.Count == before ? new Comparison(field!, op!, hasValue ? value.Clone() : default, affinityKey) : null;
    }

    public override IEnumerable<string> AffinityKeys() => _affinityKey is null || _op is "lt" or "lte" or "neq" ? [] : [_affinityKey];

    public override bool Matches(SubjectFacts facts)
    {
        var actual = Read(facts);
        if (_op == "exists")
        {
            return actual is not null;
        }

        if (actual is null)
        {
            return false;
        }

        return _op switch
        {
            "eq" => Same(actual, _value),
            "neq" => !Same(actual, _value),
            "in" => _value.EnumerateArray().Any(v => Same(actual, v)),
            _ => Number(actual) is { } number && _value.GetDouble() is var limit && _op switch
            {
                "gt" => number > limit,
                "gte" => number >= limit,
                "lt" => number < limit,
                _ => number <= limit,
            },
        };
    }

    /// <summary>The subject's value of the field (string, double or bool); null when unknown, which fails every test but exists.</summary>
    private object? Read(SubjectFacts facts)
    {
        if (_affinityKey is not null)
        {
            return facts.Model?.AffinityAt(_affinityKey, facts.Now, facts.HalfLife);
        }

        var model = facts.Model;
        return _field switch
        {
            "kind" => facts.Kind,
            "customerGroup" => facts.CustomerGroup,
            "locale" => facts.Locale,
            "known" => facts.Known,
            "consent" => facts.Consent,
            "events" => model is null ? null : (double)model.Events,
            "rfm.recencyDays" => model?.LastPurchaseAt is { } last ? (facts.Now - last).TotalDays : null,
            "rfm.frequency" => model is null ? null : (double)model.Orders,
            "rfm.monetary" => model is null ? null : (double)model.Monetary,
            _ when _field.StartsWith("trait.", StringComparison.Ordinal) => facts.Traits.TryGetValue(_field["trait.".Length..], out var trait) ? Scalar(trait) : null,
            _ => null,
        };
    }

    private static object? Scalar(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.String => value.GetString(),
        JsonValueKind.Number => value.GetDouble(),
        JsonValueKind.True => true,
        JsonValueKind.False => false,
        _ => null,
    };

    private static double? Number(object value) => value switch
    {
        double d => d,
        string s when double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out var parsed) => parsed,
        _ => null,
    };

    private static bool Same(object actual, JsonElement expected) => actual switch
    {
        bool b => expected.ValueKind is JsonValueKind.True or JsonValueKind.False && expected.GetBoolean() == b,
        double d => expected.ValueKind == JsonValueKind.Number ? expected.GetDouble() == d
            : expected.ValueKind == JsonValueKind.String && double.TryParse(expected.GetString(), NumberStyles.Float, CultureInfo.InvariantCulture, out var e) && e == d,
        string s => expected.ValueKind switch
        {
            JsonValueKind.String => string.Equals(s, expected.GetString(), StringComparison.OrdinalIgnoreCase),
            JsonValueKind.Number => Number(s) is { } n && n == expected.GetDouble(),
            JsonValueKind.True => s.Equals("true", StringComparison.OrdinalIgnoreCase),
            JsonValueKind.False => s.Equals("false", StringComparison.OrdinalIgnoreCase),
            _ => false,
        },
        _ => false,
    };
}
