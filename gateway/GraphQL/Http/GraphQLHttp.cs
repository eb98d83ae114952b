using MachCommerce.GraphQL.Execution;
using MachCommerce.GraphQL.Language;
using MachCommerce.GraphQL.Types;
using MachCommerce.GraphQL.Validation;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Net.Http.Headers;

namespace MachCommerce.GraphQL.Http;

/// <summary>How an endpoint serves one schema.</summary>
public sealed record GraphQLHttpOptions(Schema Schema)
{
    /// <summary>Largest request body; a larger one is refused with 413 before it is read.</summary>
    public long MaxBodyBytes { get; init; } = 1024 * 1024;

    public ParseOptions Parse { get; init; } = ParseOptions.Default;

    /// <summary>What resolvers get as <see cref="ResolveContext.Context"/>, per request (e.g. the caller's identity).</summary>
    public Func<HttpContext, object?>? Context { get; init; }

    public Protection.LimitOptions Limits { get; init; } = new();

    /// <summary>Serve GraphiQL to a browser that opens the endpoint (its assets are embedded; map them with <see cref="Http.Playground.MapGraphiQLAssets"/>).</summary>
    public bool Playground { get; init; }

    /// <summary>What GraphiQL's headers tab shows at first (JSON text), e.g. the header a key goes in.</summary>
    public string? PlaygroundHeaders { get; init; }

    /// <summary>
    /// Called once a valid operation's cost is known, before any resolver runs: a refusal ends the request with
    /// its status and message (a rate limit charged by cost answers 429 this way).
    /// </summary>
    public Func<HttpContext, Protection.RequestCost, ValueTask<GraphQLRefusal?>>? BeforeExecute { get; init; }

    /// <summary>Parsed and validated documents by their text (and persisted queries by hash), so a repeated document costs a lookup.</summary>
    internal DocumentCache Documents { get; } = new(schema: Schema);
}

/// <summary>Why a request is not executed: the HTTP status, the message of its GraphQL error and headers to add (e.g. Retry-After).</summary>
public sealed record GraphQLRefusal(int StatusCode, string Message, IReadOnlyDictionary<string, string>? Headers = null);

/// <summary>
/// Documents already parsed and validated, keyed by their text, and automatic persisted queries (Apollo's
/// <c>extensions.persistedQuery.sha256Hash</c>) keyed by hash. Bounded: when full it starts over, which costs a
/// re-parse, never a wrong answer.
/// </summary>
internal sealed class DocumentCache(Schema schema, int capacity = 2_000)
{
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, (Document Document, IReadOnlyList<GraphQLError> Errors)> _documents = new(StringComparer.Ordinal);
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, string> _persisted = new(StringComparer.Ordinal);

    public (Document Document, IReadOnlyList<GraphQLError> Errors) Get(string query, ParseOptions options, CancellationToken cancellationToken)
    {
        if (_documents.TryGetValue(query, out var cached))
        {
            return cached;
        }

        var document = Parser.Parse(query, options);
        var entry = (document, Validator.Validate(schema, document, cancellationToken));
        if (_documents.Count >= capacity)
        {
            _documents.Clear();
        }

        _documents[query] = entry;
        return entry;
    }

    public string? Persisted(string hash) => _persisted.GetValueOrDefault(hash);

    public void Persist(string hash, string query)
    {
        if (_persisted.Count >= capacity)
        {
            _persisted.Clear();
        }

        _persisted[hash] = query;
    }
}

/// <summary>
/// GraphQL over HTTP (the GraphQL-over-HTTP specification): POST with JSON, GET for queries only (a mutation by GET
/// is 405), the <c>application/graphql-response+json</c> media type with its status codes (400 when a request
/// fails before execution, no data entry then) and <c>application/json</c> for legacy clients (200 for every
/// well-formed request). Parameters are checked before anything runs: a malformed request is a 400 with a
/// GraphQL error, never a 500.
/// </summary>
public static class GraphQLHttp
{
    public const string GraphQLResponseJson = "application/graphql-response+json";
    public const string Json = "application/json";

    public static IEndpointConventionBuilder MapGraphQL(this IEndpointRouteBuilder endpoints, string pattern, GraphQLHttpOptions options)
    {
        if (options.Playground)
        {
            endpoints.MapGraphiQLAssets(pattern);
        }

        return endpoints.MapMethods(pattern, ["GET", "POST"], (HttpContext http) => HandleAsync(http, options));
    }

    public static async Task HandleAsync(HttpContext http, GraphQLHttpOptions options)
    {
        if (options.Playground && HttpMethods.IsGet(http.Request.Method) && !http.Request.Query.ContainsKey("query")
            && http.Request.GetTypedHeaders().Accept.Any(a => a.MediaType.Value == "text/html"))
        {
            http.Response.ContentType = "text/html; charset=utf-8";
            await http.Response.WriteAsync(Playground.Page(http.Request.PathBase + http.Request.Path, options.PlaygroundHeaders), http.RequestAborted);
            return;
        }

        var mediaType = Negotiate(http.Request);
        if (mediaType is null)
        {
            await WriteAsync(http, StatusCodes.Status406NotAcceptable, Json, Errors($"Accept one of {GraphQLResponseJson}, {Json}."));
            return;
        }

        var (request, problem, status) = await ReadAsync(http, options);
        if (request is null)
        {
            await WriteAsync(http, status, mediaType, Errors(problem!));
            return;
        }

        var query = request.Query;
        if (request.PersistedHash is { } hash)
        {
            if (query is null)
            {
                query = options.Documents.Persisted(hash);
                if (query is null)
                {
                    await WriteAsync(http, 200, mediaType, new { errors = new[] { new { message = "PersistedQueryNotFound", extensions = new { code = "PERSISTED_QUERY_NOT_FOUND" } } } });
                    return;
                }
            }
            else if (!string.Equals(Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(query))), hash, StringComparison.OrdinalIgnoreCase))
            {
                await WriteAsync(http, 400, mediaType, Errors("The persisted query's sha256Hash does not match the query."));
                return;
            }
            else
            {
                options.Documents.Persist(hash.ToLowerInvariant(), query);
            }
        }

        if (query is null)
        {
            await WriteAsync(http, 400, mediaType, Errors("The request must have a \"query\" parameter that is a string."));
            return;
        }

        // One deadline for everything the request makes the server do: validation and the limits included, not only execution.
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(http.RequestAborted);
        timeout.CancelAfter(options.Limits.ExecutionTimeout);
        try
        {
            await RunAsync(http, options, request, query, mediaType, timeout.Token);
        }
        catch (OperationCanceledException) when (!http.RequestAborted.IsCancellationRequested)
        {
            await WriteAsync(http, StatusCodes.Status504GatewayTimeout, mediaType,
                Errors($"The operation did not finish within {options.Limits.ExecutionTimeout.TotalSeconds:0.#} seconds and was stopped."));
        }
    }

    private static async Task RunAsync(HttpContext http, GraphQLHttpOptions options, GraphQLRequest request, string query, string mediaType, CancellationToken cancellationToken)
    {
        Document document;
        IReadOnlyList<GraphQLError> validationErrors;
        try
        {
            (document, validationErrors) = options.Documents.Get(query, options.Parse, cancellationToken);
        }
        catch (GraphQLSyntaxException e)
        {
            await WriteAsync(http, mediaType == Json ? 200 : 400, mediaType,
                Result(new ExecutionResult(null, [new GraphQLError(e.Message, [new ErrorLocation(e.Line, e.Column)])], false)));
            return;
        }

        if (validationErrors.Count > 0)
        {
            await WriteAsync(http, mediaType == Json ? 200 : 400, mediaType, Result(new ExecutionResult(null, validationErrors, false)));
            return;
        }

        var (operation, _) = Executor.FindOperation(document, request.OperationName);
        if (HttpMethods.IsGet(http.Request.Method) && operation is { Operation: not OperationType.Query })
        {
            http.Response.Headers.Allow = "POST";
            await WriteAsync(http, StatusCodes.Status405MethodNotAllowed, mediaType, Errors("Only query operations can be sent with GET; use POST for mutations."));
            return;
        }

        Protection.RequestCost? cost = null;
        if (operation is not null)
        {
            var (measured, limitErrors) = Protection.RequestLimits.Check(options.Schema, document, operation, request.Variables, options.Limits, cancellationToken);
            cost = measured;
            if (limitErrors.Count > 0)
            {
                await WriteAsync(http, mediaType == Json ? 200 : 400, mediaType, Result(new ExecutionResult(null, limitErrors, false), cost, options.Limits));
                return;
            }
        }

        if (options.BeforeExecute is { } beforeExecute && cost is not null && await beforeExecute(http, cost) is { } refusal)
        {
            foreach (var (name, value) in refusal.Headers ?? new Dictionary<string, string>())
            {
                http.Response.Headers[name] = value;
            }

            await WriteAsync(http, refusal.StatusCode, mediaType, Errors(refusal.Message));
            return;
        }

        var result = await Executor.ExecuteAsync(new ExecutionRequest(options.Schema, document, request.OperationName, request.Variables, null, options.Context?.Invoke(http)),
            cancellationToken);
        var failedBeforeExecution = !result.DataPresent;
        await WriteAsync(http, failedBeforeExecution && mediaType == GraphQLResponseJson ? 400 : 200, mediaType, Result(result, cost, options.Limits));
    }

    private sealed record GraphQLRequest(string? Query, string? OperationName, JsonElement? Variables, string? PersistedHash);

    /// <summary>The response media type the client accepts: graphql-response+json when it asks for it, else JSON; null when it accepts neither.</summary>
    private static string? Negotiate(HttpRequest request)
    {
        var accept = request.GetTypedHeaders().Accept;
        if (accept.Count == 0)
        {
            return Json;
        }

        foreach (var type in accept.OrderByDescending(a => a.Quality ?? 1))
        {
            var value = type.MediaType.Value;
            if (string.Equals(value, GraphQLResponseJson, StringComparison.OrdinalIgnoreCase))
            {
                return GraphQLResponseJson;
            }

            if (string.Equals(value, Json, StringComparison.OrdinalIgnoreCase) || value is "*/*" or "application/*")
            {
                return Json;
            }
        }

        return null;
    }

    private static async Task<(GraphQLRequest?, string?, int)> ReadAsync(HttpContext http, GraphQLHttpOptions options)
    {
        if (HttpMethods.IsGet(http.Request.Method))
        {
            var query = http.Request.Query;
            return Parameters(
                query.TryGetValue("query", out var q) ? JsonSerializer.SerializeToElement(q.ToString()) : null,
                query.TryGetValue("operationName", out var o) && o.ToString().Length > 0 ? JsonSerializer.SerializeToElement(o.ToString()) : null,
                query.TryGetValue("variables", out var v) && v.ToString().Length > 0 ? ParseJson(v.ToString()) : null,
                query.TryGetValue("extensions", out var x) && x.ToString().Length > 0 ? ParseJson(x.ToString()) : null);
        }

        if (http.Request.ContentLength > options.MaxBodyBytes)
        {
            return (null, $"The request body is larger than {options.MaxBodyBytes} bytes.", StatusCodes.Status413PayloadTooLarge);
        }

        if (!MediaTypeHeaderValue.TryParse(http.Request.ContentType, out var contentType) || !string.Equals(contentType.MediaType.Value, Json, StringComparison.OrdinalIgnoreCase))
        {
            return (null, $"Send the request as {Json}.", StatusCodes.Status415UnsupportedMediaType);
        }

        if (contentType.Charset.HasValue && !string.Equals(contentType.Charset.Value, "utf-8", StringComparison.OrdinalIgnoreCase))
        {
            return (null, "The request must be encoded as UTF-8.", StatusCodes.Status415UnsupportedMediaType);
        }

        JsonElement body;
        try
        {
            using var buffer = new MemoryStream();
            await http.Request.Body.CopyToAsync(buffer, http.RequestAborted);
            if (buffer.Length > options.MaxBodyBytes)
            {
                return (null, $"The request body is larger than {options.MaxBodyBytes} bytes.", StatusCodes.Status413PayloadTooLarge);
            }

            if (buffer.Length == 0)
            {
                return (null, "The request body is empty; send {\"query\": \"...\"}.", StatusCodes.Status400BadRequest);
            }

            body = JsonDocument.Parse(buffer.ToArray()).RootElement;
        }
        catch (JsonException e)
        {
            return (null, $"The request body is not valid JSON: {e.Message}", StatusCodes.Status400BadRequest);
        }

        if (body.ValueKind != JsonValueKind.Object)
        {
            return (null, "The request body must be a JSON object: {\"query\": \"...\", \"variables\": {...}}.", StatusCodes.Status400BadRequest);
        }

        return Parameters(Property(body, "query"), Property(body, "operationName"), Property(body, "variables"), Property(body, "extensions"));
    }

    private static JsonElement? Property(JsonElement body, string name) => body.TryGetProperty(name, out var value) ? value : null;

    private static JsonElement? ParseJson(string text)
    {
        try
        {
            return JsonDocument.Parse(text).RootElement;
        }
        catch (JsonException)
        {
            // Reported as a parameter of the wrong kind.
            return JsonSerializer.SerializeToElement(text);
        }
    }

    private static (GraphQLRequest?, string?, int) Parameters(JsonElement? query, JsonElement? operationName, JsonElement? variables, JsonElement? extensions)
    {
        var persistedHash = extensions is { ValueKind: JsonValueKind.Object } x && x.TryGetProperty("persistedQuery", out var persisted)
            && persisted.ValueKind == JsonValueKind.Object && persisted.TryGetProperty("sha256Hash", out var hash) && hash.ValueKind == JsonValueKind.String
            ? hash.GetString()
            : null;
        if (query is not { ValueKind: JsonValueKind.String } && !(persistedHash is not null && query is null or { ValueKind: JsonValueKind.Null }))
        {
            return (null, "The request must have a \"query\" parameter that is a string.", 400);
        }

        if (operationName is { ValueKind: not (JsonValueKind.String or JsonValueKind.Null) })
        {
            return (null, "The \"operationName\" parameter must be a string.", 400);
        }

        if (variables is { ValueKind: not (JsonValueKind.Object or JsonValueKind.Null) })
        {
            return (null, "The \"variables\" parameter must be a map.", 400);
        }

        if (extensions is { ValueKind: not (JsonValueKind.Object or JsonValueKind.Null) })
        {
            return (null, "The \"extensions\" parameter must be a map.", 400);
        }

        return (new GraphQLRequest(query is { ValueKind: JsonValueKind.String } q ? q.GetString() : null, operationName is { ValueKind: JsonValueKind.String } o ? o.GetString() : null,
            variables is { ValueKind: JsonValueKind.Object } v ? v : null, persistedHash), null, 200);
    }

    private static object Errors(string message) => new { errors = new[] { new { message } } };

    /// <summary>
    /// The response body: errors (message, locations, path) first, then data, which is absent when execution never
    /// started, then extensions with the request's measured cost.
    /// </summary>
    public static Dictionary<string, object?> Result(ExecutionResult result, Protection.RequestCost? cost = null, Protection.LimitOptions? limits = null)
    {
        var body = new Dictionary<string, object?>();
        if (result.Errors.Count > 0)
        {
            body["errors"] = result.Errors.Select(e =>
            {
                var error = new Dictionary<string, object?> { ["message"] = e.Message };
                if (e.Locations is { Count: > 0 } locations)
                {
                    error["locations"] = locations.Select(l => new { line = l.Line, column = l.Column });
                }

                if (e.Path is { } path)
                {
                    error["path"] = path;
                }

                return error;
            }).ToList();
        }

        if (result.DataPresent)
        {
            body["data"] = result.Data;
        }

        if (cost is not null && limits is not null)
        {
            body["extensions"] = new { cost = new { depth = cost.Depth, aliases = cost.Aliases, requested = cost.Cost, maximum = limits.MaxCost } };
        }

        return body;
    }

    private static async Task WriteAsync(HttpContext http, int status, string mediaType, object body)
    {
        http.Response.StatusCode = status;
        http.Response.ContentType = mediaType + "; charset=utf-8";
        await http.Response.Body.WriteAsync(JsonSerializer.SerializeToUtf8Bytes(body, ResponseJson), http.RequestAborted);
    }

    /// <summary>
    /// Responses are JSON for API clients, never embedded in HTML: characters such as + and ä are written as they are
    /// instead of as \u escapes.
    /// </summary>
    public static readonly JsonSerializerOptions ResponseJson = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
}
