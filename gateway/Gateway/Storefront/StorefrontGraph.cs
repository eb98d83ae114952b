using MachCommerce.Gateway.Callers;
using MachCommerce.Gateway.Identity;
using MachCommerce.Gateway.RateLimits;
using MachCommerce.Gateway.Services;
using MachCommerce.GraphQL.Http;
using MachCommerce.GraphQL.Protection;
using MachCommerce.Hosting.Http;

namespace MachCommerce.Gateway.Storefront;

/// <summary>
/// The storefront GraphQL schema (Storefront/storefront.graphql) on our engine at <c>/graphql</c>: built once at
/// start-up with every field's resolver attached, served with the engine's GraphQL over HTTP, and charged to the
/// caller's key by each request's computed cost before any resolver runs.
/// </summary>
public static class StorefrontGraph
{
    public const string Path = "/graphql";

    public static Schema BuildSchema()
    {
        using var stream = typeof(StorefrontGraph).Assembly.GetManifestResourceStream("MachCommerce.Gateway.Storefront.storefront.graphql")
            ?? throw new InvalidOperationException("The storefront schema is not embedded in the gateway.");
        using var reader = new StreamReader(stream);
        var schema = SdlSchemaBuilder.Build(reader.ReadToEnd(), [CommonScalars.DateTime, CommonScalars.Decimal, CommonScalars.Url, CommonScalars.Json]);
        var graph = new GraphWiring(schema);
        CatalogFields.Wire(graph);
        ShopperFields.Wire(graph);
        PersonalizationFields.Wire(graph);
        JointFields.Wire(graph);
        graph.EnsureComplete();
        return schema;
    }

    public static IServiceCollection AddStorefrontGraph(this IServiceCollection services)
    {
        services.AddSingleton(sp =>
        {
            var gateway = sp.GetRequiredService<IOptions<GatewayOptions>>().Value;
            var limits = sp.GetRequiredService<KeyRateLimits>();
            var calls = sp.GetRequiredService<ServiceCalls>();
            var joint = sp.GetRequiredService<Cooperatives.JointSearch>();
            return new GraphQLHttpOptions(BuildSchema())
            {
                Playground = gateway.Playground,
                PlaygroundHeaders = """
                    {
                      "Authorization": "Bearer mc_sf_… (your storefront key: the launcher prints the demo shop's)",
                      "X-Visitor-Id": "v-graphiql"
                    }
                    """,
                Limits = new LimitOptions { MaxDepth = 12, MaxAliases = 30, MaxCost = 5_000, LeafCost = 0 },
                Context = http => new StorefrontRequest(http.Caller()!, Language(http), calls, joint),
                BeforeExecute = (http, cost) =>
                {
                    var caller = http.Caller()!;
                    var (allowed, retryAfter) = limits.TryAcquire(caller, cost.Cost);
                    return ValueTask.FromResult(allowed
                        ? null
                        : new GraphQLRefusal(StatusCodes.Status429TooManyRequests,
                            $"This key's rate limit ({caller.Plan.PerSecond} cost units per second, bursts of {caller.Plan.Burst}) cannot pay for this request (cost {cost.Cost}); retry after {RateLimitMiddleware.Seconds(retryAfter)} s.",
                            new Dictionary<string, string> { ["Retry-After"] = RateLimitMiddleware.Seconds(retryAfter) }));
                },
            };
        });
        return services;
    }

    /// <summary>
    /// The endpoint is open so that a browser can load the playground page; every GraphQL request itself needs a
    /// valid key, checked here (the answer to a missing or bad key is the same 401 as anywhere else).
    /// </summary>
    public static void MapStorefrontGraph(this WebApplication app)
    {
        app.MapGraphiQLAssets(Path).AllowAnonymous().ExcludeFromDescription();
        app.MapMethods(Path, ["GET", "POST"], async (HttpContext http, GraphQLHttpOptions options) =>
        {
            var wantsPage = options.Playground && HttpMethods.IsGet(http.Request.Method) && !http.Request.Query.ContainsKey("query");
            if (http.Caller() is null && !wantsPage)
            {
                await http.ChallengeAsync(ApiKeyAuthentication.SchemeName);
                return;
            }

            await GraphQLHttp.HandleAsync(http, options);
        }).AllowAnonymous().WithTags("GraphQL").ExcludeFromDescription().WithQueryParameters(
            new QueryParameter("query", "string", "The GraphQL document (GET: queries only)."),
            new QueryParameter("operationName", "string", "Which operation of the document to run."),
            new QueryParameter("variables", "string", "The variables as JSON."),
            new QueryParameter("extensions", "string", "Extensions as JSON (persisted queries)."));
    }

    /// <summary>de or en from Accept-Language (the first of them the client prefers), else de.</summary>
    private static string Language(HttpContext http) =>
        http.Request.GetTypedHeaders().AcceptLanguage.OrderByDescending(l => l.Quality ?? 1)
            .Select(l => l.Value.Value is { Length: >= 2 } tag ? tag[..2].ToLowerInvariant() : null)
            .FirstOrDefault(tag => tag is "de" or "en") ?? "de";
}
