using System.Text.Json;
using System.Text.Json.Nodes;
using MachCommerce.MerchantConsole.Localization;

namespace MachCommerce.MerchantConsole.Segments;

/// <summary>One rule of the builder: a field the platform's conditions know, a comparison, a value.</summary>
public sealed class SegmentRule
{
    public string Field { get; set; } = "rfm.frequency";

    /// <summary>The category id or brand or trait name for the fields that need one (affinity.category.{id}, ...).</summary>
    public string Subject { get; set; } = "";

    public string Op { get; set; } = "gte";

    public string Value { get; set; } = "";
}

/// <summary>
/// The rule builder's fields in a merchant's words (German keys of <see cref="ConsoleTexts"/>), and the way between its rows and the platform's conditions JSON
/// (<c>{"all"|"any": [{"field", "op", "value"}]}</c>). Conditions of another shape (nested, negated) stay JSON.
/// </summary>
public static class SegmentRules
{
    public sealed record FieldChoice(string Key, string Label, bool NeedsSubject, bool Numeric);

    public static readonly IReadOnlyList<FieldChoice> Fields =
    [
        new("rfm.frequency", "Anzahl Käufe", false, true),
        new("rfm.monetary", "Umsatz (EUR)", false, true),
        new("rfm.recencyDays", "Tage seit dem letzten Kauf", false, true),
        new("affinity.category.", "Interesse an Kategorie", true, true),
        new("affinity.brand.", "Interesse an Marke", true, true),
        new("kind", "Kundenart (person, company)", false, false),
        new("customerGroup", "Kundengruppe", false, false),
        new("locale", "Sprache", false, false),
        new("known", "Kundenkonto (true) oder Besuch (false)", false, false),
        new("trait.", "Merkmal", true, false),
    ];

    public static readonly IReadOnlyList<(string Key, string Label)> Operators =
    [
        ("gte", "mindestens"), ("gt", "mehr als"), ("lte", "höchstens"), ("lt", "weniger als"), ("eq", "ist"), ("neq", "ist nicht"), ("exists", "ist bekannt"),
    ];

    public static FieldChoice FieldOf(string key) => Fields.FirstOrDefault(f => f.Key == key) ?? Fields[0];

    /// <summary>The rows as the platform's conditions: one comparison alone, else all/any of them.</summary>
    public static JsonElement ToConditions(IReadOnlyList<SegmentRule> rules, bool all)
    {
        var parts = rules.Select(rule =>
        {
            var field = FieldOf(rule.Field);
            var comparison = new JsonObject { ["field"] = field.NeedsSubject ? field.Key + rule.Subject.Trim() : field.Key, ["op"] = rule.Op };
            if (rule.Op != "exists")
            {
                comparison["value"] = Value(rule.Value.Trim(), field.Numeric);
            }

            return (JsonNode)comparison;
        }).ToList();
        JsonNode conditions = parts.Count == 1 ? parts[0] : new JsonObject { [all ? "all" : "any"] = new JsonArray([.. parts]) };
        return JsonSerializer.SerializeToElement(conditions);
    }

    /// <summary>The builder's rows for conditions it can show as rows; null for another shape.</summary>
    public static (List<SegmentRule> Rules, bool All)? FromConditions(JsonElement conditions)
    {
        if (conditions.ValueKind != JsonValueKind.Object)
        {
            return null;
        }

        if (conditions.TryGetProperty("field", out _))
        {
            return Rule(conditions) is { } single ? ([single], true) : null;
        }

        foreach (var combinator in new[] { "all", "any" })
        {
            if (conditions.TryGetProperty(combinator, out var list) && list.ValueKind == JsonValueKind.Array)
            {
                var rules = list.EnumerateArray().Select(Rule).ToList();
                return rules.All(r => r is not null) ? ([.. rules.OfType<SegmentRule>()], combinator == "all") : null;
            }
        }

        return null;
    }

    /// <summary>A short sentence for the list of segments.</summary>
    public static string Describe(JsonElement conditions, IStringLocalizer<ConsoleTexts> L)
    {
        if (FromConditions(conditions) is not { } rows)
        {
            return L["eigene Bedingungen (JSON)"];
        }

        var parts = rows.Rules.Select(r =>
        {
            var field = FieldOf(r.Field);
            var op = Operators.FirstOrDefault(o => o.Key == r.Op).Label is { } label ? L[label] : r.Op;
            return $"{L[field.Label]}{(field.NeedsSubject ? " " + r.Subject : "")} {op}{(r.Op == "exists" ? "" : " " + r.Value)}";
        });
        return string.Join(rows.All ? L[" und "] : L[" oder "], parts);
    }

    private static SegmentRule? Rule(JsonElement comparison)
    {
        if (comparison.ValueKind != JsonValueKind.Object || !comparison.TryGetProperty("field", out var fieldValue) || !comparison.TryGetProperty("op", out var op)
            || fieldValue.GetString() is not { } field)
        {
            return null;
        }

        var choice = Fields.FirstOrDefault(f => f.NeedsSubject ? field.StartsWith(f.Key, StringComparison.Ordinal) : f.Key == field);
        if (choice is null || op.GetString() is not { } opKey || Operators.All(o => o.Key != opKey))
        {
            return null;
        }

        var value = comparison.TryGetProperty("value", out var v) ? v.ValueKind switch
        {
            JsonValueKind.String => v.GetString()!,
            JsonValueKind.Number => v.GetDecimal().ToString(CultureInfo.InvariantCulture),
            JsonValueKind.True => "true",
            JsonValueKind.False => "false",
            _ => null,
        } : "";
        return value is null ? null : new SegmentRule { Field = choice.Key, Subject = choice.NeedsSubject ? field[choice.Key.Length..] : "", Op = opKey, Value = value };
    }

    /// <summary>A number where the field compares numbers (a German comma accepted), true/false as such, else the text.</summary>
    private static JsonNode? Value(string text, bool numeric)
    {
        if (numeric && decimal.TryParse(text.Replace(',', '.'), NumberStyles.Number, CultureInfo.InvariantCulture, out var number))
        {
            return JsonValue.Create(number);
        }

        return text switch
        {
            "true" => JsonValue.Create(true),
            "false" => JsonValue.Create(false),
            _ => JsonValue.Create(text),
        };
    }
}
