using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Serialization.Metadata;
using MachCommerce.Gateway.Callers;
using MachCommerce.Gateway.Identity;
using MachCommerce.Gateway.Proxy;
using Polly;
using Polly.CircuitBreaker;
using Polly.Retry;
using Polly.Timeout;

namespace MachCommerce.Gateway.Services;

/// <summary>A service call that did not give an answer the caller can use; its message is what a GraphQL field error shows.</summary>
public sealed class ServiceCallException(string message, HttpStatusCode? status = null) : Exception(message)
{
    public HttpStatusCode? Status { get; } = status;
}

/// <summary>
/// The gateway's own calls to the services (GraphQL resolvers, customer tokens), as the caller: a signed assertion
/// per call, a timeout per call, a circuit breaker per service (a service that keeps failing is left alone for a
/// while and answered for at once), and retries only for reads. The failure of one service is an exception its
/// resolver turns into a field error; the rest of a GraphQL response still arrives.
/// </summary>
public sealed class ServiceCalls
{
    public const string HttpClientName = "services";

    /// <summary>The services the gateway calls itself (the names of their YARP clusters).</summary>
    public static readonly IReadOnlyList<string> Services = ["catalog", "profiles", "personalization", "identity"];

    private readonly IHttpClientFactory _clients;
    private readonly ServiceEndpoints _endpoints;
    private readonly ServiceAssertions _assertions;
    private readonly Dictionary<string, (ResiliencePipeline<HttpResponseMessage> Read, ResiliencePipeline<HttpResponseMessage> Write)> _pipelines;

    public ServiceCalls(IHttpClientFactory clients, ServiceEndpoints endpoints, ServiceAssertions assertions, IOptions<GatewayOptions> options)
    {
        _clients = clients;
        _endpoints = endpoints;
        _assertions = assertions;
        var timeout = options.Value.ServiceCallTimeout;
        _pipelines = Services.ToDictionary(s => s, _ =>
        {
            // One breaker per service, shared by its reads and writes: both go to the same instances.
            var breaker = new CircuitBreakerStrategyOptions<HttpResponseMessage>
            {
                FailureRatio = 0.5,
                MinimumThroughput = 10,
                SamplingDuration = TimeSpan.FromSeconds(10),
                BreakDuration = TimeSpan.FromSeconds(5),
                ShouldHandle = Failure,
            };
            var breakerStrategy = new ResiliencePipelineBuilder<HttpResponseMessage>().AddCircuitBreaker(breaker).Build();
            var read = new ResiliencePipelineBuilder<HttpResponseMessage>()
                .AddRetry(new RetryStrategyOptions<HttpResponseMessage>
                {
                    MaxRetryAttempts = 2,
                    Delay = TimeSpan.FromMilliseconds(50),
                    BackoffType = DelayBackoffType.Exponential,
                    UseJitter = true,
                    ShouldHandle = Failure,
                })
                .AddPipeline(breakerStrategy)
                .AddTimeout(timeout)
                .Build();
            var write = new ResiliencePipelineBuilder<HttpResponseMessage>().AddPipeline(breakerStrategy).AddTimeout(timeout).Build();
            return (read, write);
        });
    }

    private static readonly PredicateBuilder<HttpResponseMessage> Failure = new PredicateBuilder<HttpResponseMessage>()
        .Handle<HttpRequestException>()
        .Handle<TimeoutRejectedException>()
        .HandleResult(response => (int)response.StatusCode >= 500);

    /// <summary>GET (or another read) and the JSON answer; null on 404.</summary>
    public async Task<JsonElement?> GetAsync(Caller caller, string service, string pathAndQuery, CancellationToken cancellationToken,
        IReadOnlyList<string>? scopes = null, string? locale = null)
    {
        using var response = await SendAsync(caller, service, HttpMethod.Get, pathAndQuery, null, read: true, scopes, locale, cancellationToken);
        return response.StatusCode == HttpStatusCode.NotFound ? null : await ReadAsync(service, response, cancellationToken);
    }

    /// <summary>A POST/PUT; <paramref name="read"/> marks one that only reads (batch get) and may be retried.</summary>
    public async Task<JsonElement?> SendJsonAsync(Caller caller, string service, HttpMethod method, string pathAndQuery, object body, CancellationToken cancellationToken,
        bool read = false, IReadOnlyList<string>? scopes = null, string? locale = null, string? ifMatch = null)
    {
        using var response = await SendAsync(caller, service, method, pathAndQuery, body, read, scopes, locale, cancellationToken, ifMatch);
        return response.StatusCode == HttpStatusCode.NotFound ? null : await ReadAsync(service, response, cancellationToken);
    }

    /// <summary>
    /// A call whose answer the gateway's own endpoint passes on as the service gave it (status and JSON body, field
    /// errors included): for routes where the gateway adds a check of its own in front of a service's API.
    /// </summary>
    public async Task<IResult> ForwardAsync(Caller caller, string service, HttpMethod method, string pathAndQuery, object? body, IReadOnlyList<string> scopes,
        CancellationToken cancellationToken)
    {
        using var response = await SendAsync(caller, service, method, pathAndQuery, body, read: method == HttpMethod.Get, scopes, null, cancellationToken);
        if ((int)response.StatusCode >= 500)
        {
            throw new ServiceCallException($"The {service} service failed ({(int)response.StatusCode}).", response.StatusCode);
        }

        var text = await response.Content.ReadAsStringAsync(cancellationToken);
        return text.Length == 0
            ? Results.StatusCode((int)response.StatusCode)
            : Results.Content(text, response.Content.Headers.ContentType?.ToString() ?? "application/json", System.Text.Encoding.UTF8, (int)response.StatusCode);
    }

    /// <summary>
    /// The same calls read straight into a shared API type (contracts/Api) instead of a JSON tree: the field names
    /// are the compiler's to check, on the gateway's side as on the service's. Null on 404.
    /// </summary>
    public async Task<T?> GetAsync<T>(Caller caller, string service, string pathAndQuery, JsonTypeInfo<T> type, CancellationToken cancellationToken, string? locale = null)
        where T : class
    {
        using var response = await SendAsync(caller, service, HttpMethod.Get, pathAndQuery, null, read: true, null, locale, cancellationToken);
        return response.StatusCode == HttpStatusCode.NotFound ? null : await ReadAsync(service, response, type, cancellationToken);
    }

    /// <inheritdoc cref="GetAsync{T}"/>
    public async Task<T?> SendJsonAsync<TBody, T>(Caller caller, string service, HttpMethod method, string pathAndQuery, TBody body, JsonTypeInfo<T> type,
        CancellationToken cancellationToken, bool read = false, string? locale = null, IReadOnlyList<string>? scopes = null)
        where TBody : class where T : class
    {
        using var response = await SendAsync(caller, service, method, pathAndQuery, body, read, scopes, locale, cancellationToken);
        return response.StatusCode == HttpStatusCode.NotFound ? null : await ReadAsync(service, response, type, cancellationToken);
    }

    private async Task<HttpResponseMessage> SendAsync(Caller caller, string service, HttpMethod method, string pathAndQuery, object? body, bool read,
        IReadOnlyList<string>? scopes, string? locale, CancellationToken cancellationToken, string? ifMatch = null)
    {
        var (readPipeline, writePipeline) = _pipelines[service];
        var client = _clients.CreateClient(HttpClientName);
        try
        {
            return await (read ? readPipeline : writePipeline).ExecuteAsync(async token =>
            {
                // A destination per attempt: a retry may well land on another, healthy instance.
                var baseAddress = _endpoints.Pick(service) ?? throw new ServiceCallException($"No instance of the {service} service is available.", HttpStatusCode.ServiceUnavailable);
                using var request = new HttpRequestMessage(method, new Uri(baseAddress, pathAndQuery.TrimStart('/')));
                request.Headers.Add(IdentityAssertionCodec.HeaderName, _assertions.For(caller, service, scopes));
                request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
                if (locale is not null)
                {
                    request.Headers.AcceptLanguage.Add(new StringWithQualityHeaderValue(locale));
                }

                if (ifMatch is not null)
                {
                    request.Headers.TryAddWithoutValidation("If-Match", ifMatch);
                }

                if (body is not null)
                {
                    request.Content = JsonContent.Create(body, body.GetType(), options: Json);
                }

                return await client.SendAsync(request, token);
            }, cancellationToken);
        }
        catch (BrokenCircuitException)
        {
            throw new ServiceCallException($"The {service} service is failing; the gateway is not calling it for a few seconds.", HttpStatusCode.ServiceUnavailable);
        }
        catch (TimeoutRejectedException)
        {
            throw new ServiceCallException($"The {service} service did not answer in time.", HttpStatusCode.GatewayTimeout);
        }
        catch (HttpRequestException)
        {
            throw new ServiceCallException($"The {service} service is unreachable.", HttpStatusCode.BadGateway);
        }
    }

    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull,
    };

    private static async Task<JsonElement> ReadAsync(string service, HttpResponseMessage response, CancellationToken cancellationToken)
    {
        await EnsureAnsweredAsync(service, response, cancellationToken);
        if (response.StatusCode == HttpStatusCode.NoContent)
        {
            return default;
        }

        await using var stream = await response.Content.ReadAsStreamAsync(cancellationToken);
        using var document = await JsonDocument.ParseAsync(stream, cancellationToken: cancellationToken);
        return document.RootElement.Clone();
    }

    private static async Task<T?> ReadAsync<T>(string service, HttpResponseMessage response, JsonTypeInfo<T> type, CancellationToken cancellationToken) where T : class
    {
        await EnsureAnsweredAsync(service, response, cancellationToken);
        if (response.StatusCode == HttpStatusCode.NoContent)
        {
            return null;
        }

        await using var stream = await response.Content.ReadAsStreamAsync(cancellationToken);
        return await JsonSerializer.DeserializeAsync(stream, type, cancellationToken);
    }

    /// <summary>A problem the service explains (400 with field errors, 409, 412) reaches the client in its words; a failure only as such.</summary>
    private static async Task EnsureAnsweredAsync(string service, HttpResponseMessage response, CancellationToken cancellationToken)
    {
        if (response.IsSuccessStatusCode)
        {
            return;
        }

        var text = await response.Content.ReadAsStringAsync(cancellationToken);
        var detail = Problem(text);
        throw new ServiceCallException((int)response.StatusCode >= 500
            ? $"The {service} service failed ({(int)response.StatusCode})."
            : $"{service}: {detail ?? response.ReasonPhrase}", response.StatusCode);
    }

    private static string? Problem(string text)
    {
        try
        {
            using var json = JsonDocument.Parse(text);
            var root = json.RootElement;
            if (root.TryGetProperty("errors", out var errors) && errors.ValueKind == JsonValueKind.Object)
            {
                return string.Join(" ", errors.EnumerateObject().Select(e => $"{e.Name} {string.Join(" ", e.Value.EnumerateArray().Select(m => m.GetString()))}"));
            }

            return root.TryGetProperty("detail", out var detail) ? detail.GetString() : root.TryGetProperty("title", out var title) ? title.GetString() : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }
}

public static class ServiceCallsRegistration
{
    public static IServiceCollection AddServiceCalls(this IServiceCollection services)
    {
        services.AddHttpClient(ServiceCalls.HttpClientName).ConfigurePrimaryHttpMessageHandler(() => new SocketsHttpHandler
        {
            PooledConnectionLifetime = TimeSpan.FromMinutes(2),
            AutomaticDecompression = DecompressionMethods.None,
            UseCookies = false,
        });
        services.AddSingleton<ServiceCalls>();
        return services;
    }
}
