namespace MachCommerce.Personalization;

/// <summary>Every problem of one request, keyed by the JSON path of the field, as ValidationProblem reports them.</summary>
internal sealed class FieldErrors
{
    public Dictionary<string, string[]> ByField { get; } = new(StringComparer.Ordinal);

    public bool Any => ByField.Count > 0;

    public void Add(string field, string reason) =>
        ByField[field] = ByField.TryGetValue(field, out var reasons) ? [.. reasons, reason] : [reason];
}
