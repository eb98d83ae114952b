using MachCommerce.Hosting.Problems;
using Microsoft.AspNetCore.Http.HttpResults;

namespace MachCommerce.Hosting.Http;

/// <summary>
/// Optimistic concurrency over HTTP: resources carry an ETag <c>"v{version}"</c>, and a change names the version it
/// was based on in If-Match, so two editors never overwrite each other silently.
/// </summary>
public static class Preconditions
{
    public static string ETag(int version) => $"\"v{version}\"";

    /// <summary>
    /// Reads If-Match ("v3", W/"v3" or *) into the version it guards. When <paramref name="required"/> and it is
    /// missing, the answer is 428; when it is not an ETag of this API, 400.
    /// </summary>
    public static bool TryReadIfMatch(HttpContext http, out int? version, out ProblemHttpResult? problem, bool required = true)
    {
        version = null;
        problem = null;
        var header = http.Request.Headers.IfMatch.ToString().Trim();
        if (header.Length == 0)
        {
            if (required)
            {
                problem = TypedResults.Problem(statusCode: StatusCodes.Status428PreconditionRequired, title: "If-Match required",
                    detail: "Send the resource's ETag in If-Match, so that a concurrent change is not overwritten.");
                return false;
            }

            return true;
        }

        if (header == "*")
        {
            return true;
        }

        var text = header.StartsWith("W/", StringComparison.Ordinal) ? header[2..] : header;
        if (text.Length > 3 && text[0] == '"' && text[^1] == '"' && text[1] == 'v'
            && int.TryParse(text[2..^1].Split('-')[0], System.Globalization.CultureInfo.InvariantCulture, out var parsed))
        {
            version = parsed;
            return true;
        }

        // A 400 with the field, as a validation problem is written, in the one result type a handler's union names.
        problem = TypedResults.Problem(new Microsoft.AspNetCore.Http.HttpValidationProblemDetails(
            new FieldErrors { ["If-Match"] = ["must be an ETag of this API, e.g. \"v3\"."] }) { Status = StatusCodes.Status400BadRequest });
        return false;
    }

    public static ProblemHttpResult Stale(string what) => TypedResults.Problem(statusCode: StatusCodes.Status412PreconditionFailed, title: "Stale version",
        detail: $"{what} was changed since the version in If-Match; read it again and reapply your change.");
}
