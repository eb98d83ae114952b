namespace MachCommerce.Client;

/// <summary>
/// The platform refused a request: the HTTP status, and the problem details it answered with (RFC 9457): a title,
/// the detail in words, and for bad input the errors per field, keyed by the field's JSON path (e.g. <c>variants[0].sku</c>).
/// </summary>
public sealed class MachCommerceApiException(HttpStatusCode status, string title, string? detail, IReadOnlyDictionary<string, string[]> errors, string? body)
    : Exception(Describe(status, title, detail, errors))
{
    public HttpStatusCode Status { get; } = status;

    public string Title { get; } = title;

    public string? Detail { get; } = detail;

    /// <summary>Field → what is wrong with it; empty unless the request's content was refused (400).</summary>
    public IReadOnlyDictionary<string, string[]> Errors { get; } = errors;

    /// <summary>The answer's body as it came, for logging.</summary>
    public string? Body { get; } = body;

    /// <summary>The message a log shows: status, title, detail and each field's errors, so one line says what to fix.</summary>
    private static string Describe(HttpStatusCode status, string title, string? detail, IReadOnlyDictionary<string, string[]> errors)
    {
        var message = detail is null ? $"{(int)status} {title}" : $"{(int)status} {title}: {detail}";
        return errors.Count == 0 ? message : message + " " + string.Join("; ", errors.Select(e => $"{e.Key}: {string.Join(" ", e.Value)}"));
    }
}
