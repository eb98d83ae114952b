using System.Diagnostics;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http.Json;

namespace MachCommerce.Hosting.Problems;

/// <summary>
/// Every error leaves a service as RFC 9457 ProblemDetails: unhandled exceptions (500 without a stack trace),
/// bad requests found while binding (400 with the field that failed), too-large bodies (413), wrong content
/// types (415) and bare status codes such as 404 and 405.
/// </summary>
public static class ProblemDetailsDefaults
{
    public static IServiceCollection AddProblemDetailsDefaults(this IServiceCollection services)
    {
        services.AddProblemDetails(options => options.CustomizeProblemDetails = context =>
        {
            var http = context.HttpContext;
            context.ProblemDetails.Instance ??= $"{http.Request.Method} {http.Request.Path}";
            context.ProblemDetails.Extensions["traceId"] = Activity.Current?.Id ?? http.TraceIdentifier;
            if (http.Items.TryGetValue(Logging.CorrelationId.ItemKey, out var correlationId))
            {
                context.ProblemDetails.Extensions["correlationId"] = correlationId;
            }
        });
        // After the framework's writer, which writes only for clients that accept JSON: a browser asking for HTML
        // still gets the problem as JSON rather than a 500 for want of a writer.
        services.AddSingleton<IProblemDetailsWriter, AnyClientProblemWriter>();
        services.AddExceptionHandler<BadRequestExceptionHandler>();
        services.AddExceptionHandler<UnhandledExceptionHandler>();

        // Minimal APIs answer binding failures with a bare 400 unless they throw; throwing lets the handler
        // above say which parameter or JSON path was wrong.
        services.Configure<Microsoft.AspNetCore.Routing.RouteHandlerOptions>(options => options.ThrowOnBadRequest = true);
        services.Configure<JsonOptions>(options => options.SerializerOptions.UnmappedMemberHandling = System.Text.Json.Serialization.JsonUnmappedMemberHandling.Skip);
        return services;
    }

    private sealed class AnyClientProblemWriter(Microsoft.Extensions.Options.IOptions<JsonOptions> json) : IProblemDetailsWriter
    {
        public bool CanWrite(ProblemDetailsContext context) => true;

        public ValueTask WriteAsync(ProblemDetailsContext context) =>
            new(context.HttpContext.Response.WriteAsJsonAsync(context.ProblemDetails, json.Value.SerializerOptions, "application/problem+json"));
    }

    private sealed class BadRequestExceptionHandler(IProblemDetailsService problems) : IExceptionHandler
    {
        public async ValueTask<bool> TryHandleAsync(HttpContext context, Exception exception, CancellationToken cancellationToken)
        {
            if (exception is not BadHttpRequestException badRequest)
            {
                return false;
            }

            var problem = new Microsoft.AspNetCore.Mvc.ProblemDetails
            {
                Status = badRequest.StatusCode,
                Title = badRequest.StatusCode switch
                {
                    StatusCodes.Status413PayloadTooLarge => "Request body too large",
                    StatusCodes.Status415UnsupportedMediaType => "Unsupported media type",
                    _ => "Bad request",
                },
                Detail = ClientErrorText.LooksInternal(badRequest.Message) ? null : badRequest.Message,
            };

            // The field in the client's terms (a JSON path or the parameter's name) and the reason in ours: the
            // framework's own messages name .NET types and parameters.
            var (field, reason) = badRequest.InnerException is JsonException json
                ? ClientErrorText.ForJson(json)
                : ClientErrorText.ForBinding(badRequest.Message) ?? (null!, null!);
            if (field is not null)
            {
                problem.Detail = badRequest.InnerException is JsonException || field == "$"
                    ? "The request body is not valid JSON for this operation."
                    : $"The parameter {field} is not valid.";
                problem.Extensions["errors"] = new FieldErrors { [field] = [reason] };
            }
            else if (badRequest.StatusCode == StatusCodes.Status400BadRequest)
            {
                problem.Detail ??= "The request does not fit this operation.";
            }

            context.Response.StatusCode = badRequest.StatusCode;
            return await problems.TryWriteAsync(new ProblemDetailsContext { HttpContext = context, ProblemDetails = problem, Exception = exception });
        }
    }

    private sealed class UnhandledExceptionHandler(IProblemDetailsService problems, ILogger<UnhandledExceptionHandler> logger) : IExceptionHandler
    {
        public async ValueTask<bool> TryHandleAsync(HttpContext context, Exception exception, CancellationToken cancellationToken)
        {
            if (exception is OperationCanceledException && context.RequestAborted.IsCancellationRequested)
            {
                // The client went away; nobody is left to read an answer, and it is not our fault.
                context.Response.StatusCode = 499;
                return true;
            }

            logger.LogError(exception, "Unhandled exception for {Method} {Path}", context.Request.Method, context.Request.Path);
            context.Response.StatusCode = StatusCodes.Status500InternalServerError;
            return await problems.TryWriteAsync(new ProblemDetailsContext
            {
                HttpContext = context,
                Exception = null, // never expose the exception itself
                ProblemDetails =
                {
                    Status = StatusCodes.Status500InternalServerError,
                    Title = "Internal server error",
                    Detail = "The server could not complete the request. Quote the traceId when reporting it.",
                },
            });
        }
    }
}
