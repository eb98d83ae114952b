using MachCommerce.Hosting.Problems;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Routing;
using Microsoft.OpenApi;

namespace MachCommerce.Hosting.Http;

/// <summary>A query parameter an endpoint reads itself (from <c>Request.Query</c>), for its documentation and its check.</summary>
/// <param name="Name">The parameter's name; with <paramref name="IsPrefix"/>, the prefix of a family such as <c>attr.</c>.</param>
/// <param name="Type">Its JSON schema type: string, integer, number or boolean.</param>
public sealed record QueryParameter(string Name, string Type, string Description, bool IsPrefix = false, bool Repeatable = false);

/// <summary>The query parameters an endpoint reads itself, besides those its handler binds.</summary>
public sealed class QueryParametersMetadata(IReadOnlyList<QueryParameter> parameters)
{
    public IReadOnlyList<QueryParameter> Parameters { get; } = parameters;
}

/// <summary>
/// A query parameter the endpoint does not know is a 400 naming it, not silently ignored (a partner who sent
/// <c>after</c> for <c>cursor</c> got page 1 forever). An endpoint knows the parameters its handler binds and the
/// ones it declares with <see cref="WithQueryParameters{TBuilder}"/>, which are also written into its OpenAPI operation.
/// </summary>
/// <summary>An endpoint of a protocol that defines its own query parameters and tells receivers to ignore unknown ones (OAuth 2.0).</summary>
public sealed class AnyQueryParametersMetadata;

public static class QueryParameters
{
    /// <summary>Lets the endpoint take query parameters it does not name (OAuth's endpoints must ignore unknown ones, RFC 6749 §3.1).</summary>
    public static TBuilder WithAnyQueryParameters<TBuilder>(this TBuilder builder) where TBuilder : IEndpointConventionBuilder =>
        builder.WithMetadata(new AnyQueryParametersMetadata());

    public static TBuilder WithQueryParameters<TBuilder>(this TBuilder builder, params QueryParameter[] parameters) where TBuilder : IEndpointConventionBuilder
    {
        builder.WithMetadata(new QueryParametersMetadata(parameters));
        builder.AddOpenApiOperationTransformer((operation, _, _) =>
        {
            operation.Parameters ??= [];
            foreach (var parameter in parameters.Where(p => operation.Parameters.All(existing => existing.Name != p.Name)))
            {
                operation.Parameters.Add(new OpenApiParameter
                {
                    Name = parameter.IsPrefix ? parameter.Name + "{name}" : parameter.Name,
                    In = ParameterLocation.Query,
                    Description = parameter.Description,
                    Schema = new OpenApiSchema { Type = parameter.Type switch
                    {
                        "integer" => JsonSchemaType.Integer,
                        "number" => JsonSchemaType.Number,
                        "boolean" => JsonSchemaType.Boolean,
                        _ => JsonSchemaType.String,
                    } },
                });
            }

            return Task.CompletedTask;
        });
        return builder;
    }

    public static IApplicationBuilder UseUnknownQueryParameterCheck(this IApplicationBuilder app) =>
        app.Use((http, next) => http.Request.QueryString.HasValue ? CheckAsync(http, next) : next(http));

    /// <summary>Only for a request with a query string (the middleware passes the others straight on).</summary>
    private static async Task CheckAsync(HttpContext http, RequestDelegate next)
    {
        if (http.GetEndpoint() is RouteEndpoint endpoint && endpoint.Metadata.GetMetadata<MethodInfo>() is { } handler
            && endpoint.Metadata.GetMetadata<AnyQueryParametersMetadata>() is null)
        {
            var known = Known(endpoint, handler);
            var unknown = http.Request.Query.Keys.FirstOrDefault(key => !known.Names.Contains(key) && !known.Prefixes.Any(p => key.StartsWith(p, StringComparison.OrdinalIgnoreCase)));
            if (unknown is not null)
            {
                var names = known.Names.Concat(known.Prefixes.Select(p => p + "…")).Order(StringComparer.Ordinal).ToList();
                var reason = names.Count == 0 ? "is not a parameter of this operation; it takes none." : $"is not a parameter of this operation; it takes {string.Join(", ", names)}.";
                await Results.ValidationProblem(new FieldErrors { [unknown] = [reason] }, detail: $"Unknown query parameter {unknown}.").ExecuteAsync(http);
                return;
            }
        }

        await next(http);
    }

    private sealed record KnownParameters(HashSet<string> Names, string[] Prefixes);

    private static readonly System.Collections.Concurrent.ConcurrentDictionary<Endpoint, KnownParameters> Cache = new();

    private static KnownParameters Known(RouteEndpoint endpoint, MethodInfo handler) => Cache.GetOrAdd(endpoint, _ =>
    {
        var declared = endpoint.Metadata.GetOrderedMetadata<QueryParametersMetadata>().SelectMany(m => m.Parameters).ToList();
        var names = new HashSet<string>(declared.Where(p => !p.IsPrefix).Select(p => p.Name), StringComparer.OrdinalIgnoreCase);
        var routeValues = endpoint.RoutePattern.Parameters.Select(p => p.Name).ToHashSet(StringComparer.OrdinalIgnoreCase);
        foreach (var parameter in handler.GetParameters())
        {
            AddBound(parameter.Name, parameter.ParameterType, parameter, routeValues, names);
        }

        return new KnownParameters(names, [.. declared.Where(p => p.IsPrefix).Select(p => p.Name)]);
    });

    /// <summary>The query names a handler's parameter binds: [FromQuery], a simple type that is no route value, or the properties of [AsParameters].</summary>
    private static void AddBound(string? name, Type type, ICustomAttributeProvider attributes, HashSet<string> routeValues, HashSet<string> names)
    {
        if (attributes.GetCustomAttributes(typeof(FromQueryAttribute), true).FirstOrDefault() is FromQueryAttribute fromQuery)
        {
            names.Add(fromQuery.Name ?? name ?? "");
            return;
        }

        if (attributes.IsDefined(typeof(AsParametersAttribute), true))
        {
            foreach (var property in type.GetProperties())
            {
                AddBound(property.Name, property.PropertyType, property, routeValues, names);
            }

            return;
        }

        var bindsElsewhere = attributes.GetCustomAttributes(true).Any(a => a is IFromRouteMetadata or IFromBodyMetadata or IFromServiceMetadata or IFromHeaderMetadata or IFromFormMetadata);
        if (name is not null && !bindsElsewhere && !routeValues.Contains(name) && IsSimple(type))
        {
            names.Add(name);
        }
    }

    private static bool IsSimple(Type type)
    {
        type = Nullable.GetUnderlyingType(type) ?? type;
        if (type.IsArray)
        {
            return IsSimple(type.GetElementType()!);
        }

        return type.IsPrimitive || type.IsEnum || type == typeof(string) || type == typeof(decimal) || type == typeof(Guid) || type == typeof(DateTime)
               || type == typeof(DateTimeOffset) || type == typeof(DateOnly) || type == typeof(TimeSpan)
               || type.GetMethod("TryParse", BindingFlags.Public | BindingFlags.Static, [typeof(string), type.MakeByRefType()]) is not null
               || type.GetMethod("TryParse", BindingFlags.Public | BindingFlags.Static, [typeof(string), typeof(IFormatProvider), type.MakeByRefType()]) is not null;
    }
}
