using Microsoft.AspNetCore.Http.HttpResults;

namespace MachCommerce.Hosting.Problems;

/// <summary>
/// Every problem of one request, keyed by the JSON path of the field (or the name of the query parameter or header),
/// each with its reasons in our words: what a 400 <c>ValidationProblem</c> reports. Every service collects its errors
/// in this one type. It is the dictionary <c>TypedResults.ValidationProblem</c> takes, so it is passed as it is.
/// </summary>
public sealed class FieldErrors : Dictionary<string, string[]>
{
    public FieldErrors() : base(StringComparer.Ordinal)
    {
    }

    /// <summary>Whether any field has a problem.</summary>
    public bool Any => Count > 0;

    /// <summary>Adds a reason; a second reason for the same field joins the first instead of replacing it.</summary>
    public void Add(string field, string reason) =>
        this[field] = TryGetValue(field, out var reasons) ? [.. reasons, reason] : [reason];

    /// <summary>The 400 for a request with one problem.</summary>
    public static ValidationProblem Problem(string field, string reason) => TypedResults.ValidationProblem(new FieldErrors { { field, reason } });
}
