using MachCommerce.Catalog.Search;

namespace MachCommerce.Catalog.CentralAssortment;

/// <summary>
/// A cooperative's member shops side by side ("gemeinsam vermarkten"): which members sell these SKUs, and one search
/// over all members' published products, grouped by SKU. Only the gateway asks (<see cref="Scopes.CatalogJoint"/>, which
/// it grants on its own cooperative routes), naming the cooperative's active members; only published products and
/// what a shopper sees of them anyway (name, price, availability) come back.
/// </summary>
public static class JointApi
{
    public const int MaxMembers = 500;
    public const int MaxSkus = 50;
    public const int MaxResults = 50;

    /// <summary>How many brands the joint search counts (the most frequent).</summary>
    private const int BrandFacets = 20;

    public static IEndpointRouteBuilder MapJointApi(this IEndpointRouteBuilder app)
    {
        var joint = app.MapGroup("/joint").WithTags("Joint search").RequireScope(Scopes.CatalogJoint).WithQueryParameters(Presentation.Locale);
        joint.MapPost("/offers", Offers);
        joint.MapPost("/search", Search);
        return app;
    }

    private static async Task<Results<Ok<List<JointOffer>>, ValidationProblem>> Offers(JointOffersRequest request, RequestIdentity identity, HttpContext http,
        CatalogDatabase database, IOptions<CatalogOptions> options, CancellationToken cancellationToken)
    {
        var errors = new FieldErrors();
        var members = Members(request.Members, errors);
        if (request.Skus is not { Count: > 0 and <= MaxSkus } skus || skus.Any(string.IsNullOrWhiteSpace))
        {
            errors["skus"] = [$"must hold 1 to {MaxSkus} SKUs."];
        }

        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors);
        }

        var presentation = Presentation.Of(http, identity, options);
        await using var db = await database.BeginAcrossMembersAsync(identity.TenantId, cancellationToken);
        return TypedResults.Ok(await OffersAsync(db, members, [.. request.Skus!], presentation, cancellationToken));
    }

    private static async Task<Results<Ok<JointSearchAnswer>, ValidationProblem>> Search(JointSearchRequest request, RequestIdentity identity, HttpContext http,
        CatalogDatabase database, SearchIndexes indexes, IOptions<CatalogOptions> options, CancellationToken cancellationToken)
    {
        var errors = new FieldErrors();
        var members = Members(request.Members, errors);
        var text = request.Q?.Trim() ?? "";
        if (text.Length is 0 or > 200 || SearchApi.Terms(text).Length == 0)
        {
            errors["q"] = ["must be 1 to 200 characters with letters or digits."];
        }

        var limit = request.Limit ?? 20;
        if (limit is < 1 or > MaxResults)
        {
            errors["limit"] = [$"must be from 1 to {MaxResults}."];
        }

        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors);
        }

        var presentation = Presentation.Of(http, identity, options);
        await using var db = await database.BeginAcrossMembersAsync(identity.TenantId, cancellationToken);

        // Stemmed German and English full text over the members' published products, every word, the last one as a
        // prefix (search as you type), as the shop's own search does for one tenant; the SKUs ranked by their best
        // product, the brands counted by SKU. In memory when the members' joint index is built (a common word
        // matches tens of thousands of rows, which PostgreSQL ranks one by one), else in one SQL statement.
        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        var inMemory = await InMemoryAsync(indexes, db, members, text, request.Brand, limit, cancellationToken);
        var (total, skus, brands) = inMemory ?? await InDatabaseAsync(db, members, text, request.Brand, limit, cancellationToken);
        // Which engine matched, and how long matching took: shown in browsers' developer tools, as the shop search does.
        http.Response.Headers["Server-Timing"] = $"{(inMemory is null ? "postgres" : "index")};dur={System.Diagnostics.Stopwatch.GetElapsedTime(started).TotalMilliseconds:0.0}";
        var offers = skus.Count == 0 ? [] : await OffersAsync(db, members, [.. skus], presentation, cancellationToken);
        return TypedResults.Ok(new JointSearchAnswer(total, skus, offers, brands));
    }

    /// <summary>The joint index's answer, brought up to date in the search's own transaction first; null while it is being built.</summary>
    private static async Task<(long, List<string>, List<FacetValue>)?> InMemoryAsync(SearchIndexes indexes, TenantScope db, string[] members, string text, string? brand,
        int limit, CancellationToken cancellationToken)
    {
        if (await indexes.ForMembersAsync(members, cancellationToken) is not { } index
            || await SearchIndexes.RefreshAsync(index, db, TsQuery(text), cancellationToken) is not { } stems
            || TextQuery.From(stems.German, stems.English) is not { } query)
        {
            return null;
        }

        var (total, top, brands) = index.MatchBySku(query, brand, limit, BrandFacets);
        return (total, top, [.. brands.Select(b => new FacetValue(b.Brand, b.Skus))]);
    }

    private static async Task<(long, List<string>, List<FacetValue>)> InDatabaseAsync(TenantScope db, string[] members, string text, string? brand, int limit,
        CancellationToken cancellationToken)
    {
        var skus = new List<string>();
        var brands = new List<FacetValue>();
        long total = 0;
        await using (var search = db.Command("""
            WITH q AS (SELECT to_tsquery('german', $2) || to_tsquery('english', $2) AS query),
            hits AS MATERIALIZED (
                SELECT p.sku, p.brand, ts_rank(p.search_vector, q.query) AS rank
                  FROM products p, q
                 WHERE p.tenant_id = ANY($1) AND p.status = 'published' AND p.search_vector @@ q.query AND ($3::text IS NULL OR p.brand = $3)),
            groups AS (SELECT sku, max(rank) AS rank FROM hits GROUP BY sku),
            top AS (SELECT sku, rank FROM groups ORDER BY rank DESC, sku LIMIT $4),
            brands AS (SELECT brand, count(DISTINCT sku) AS skus FROM hits WHERE brand IS NOT NULL GROUP BY brand ORDER BY 2 DESC, 1 LIMIT $5)
            SELECT 0 AS part, sku AS value, rank::float8 AS score, (SELECT count(*) FROM groups) AS number FROM top
            UNION ALL
            SELECT 1, brand, NULL, skus FROM brands
            ORDER BY part, score DESC NULLS LAST, number DESC, value
            """))
        {
            AddSearchParameters(search, members, TsQuery(text), brand);
            search.Parameters.Add(new() { Value = limit });
            search.Parameters.Add(new() { Value = BrandFacets });
            await using var reader = await search.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                if (reader.GetInt32(0) == 0)
                {
                    skus.Add(reader.GetString(1));
                    total = reader.GetInt64(3);
                }
                else
                {
                    brands.Add(new FacetValue(reader.GetString(1), reader.GetInt64(3)));
                }
            }
        }

        return (total, skus, brands);
    }

    /// <summary>The words of the query (letters and digits only, so nothing in it is tsquery syntax), all required, the last as a prefix.</summary>
    private static string TsQuery(string text)
    {
        var words = SearchApi.Terms(text);
        return string.Join(" & ", words.Select((word, i) => i == words.Length - 1 ? word + ":*" : word));
    }

    private static void AddSearchParameters(Npgsql.NpgsqlCommand command, string[] members, string text, string? brand)
    {
        command.Parameters.Add(new() { Value = members });
        command.Parameters.Add(new() { Value = text });
        command.Parameters.Add(new() { Value = (object?)brand ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Text });
    }

    private static async Task<List<JointOffer>> OffersAsync(TenantScope db, string[] members, string[] skus, Presentation presentation, CancellationToken cancellationToken)
    {
        await using var command = db.Command("""
            SELECT tenant_id, id, sku, slug, name::text, brand, images -> 0 ->> 'url', min_price_gross, available
              FROM products WHERE tenant_id = ANY($1) AND sku = ANY($2) AND status = 'published'
             ORDER BY sku, tenant_id
            """);
        command.Parameters.Add(new() { Value = members });
        command.Parameters.Add(new() { Value = skus });
        var offers = new List<JointOffer>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            var names = JsonSerializer.Deserialize<Dictionary<string, string>>(reader.GetString(4))!;
            var name = names.GetValueOrDefault(presentation.Language) ?? names.GetValueOrDefault(presentation.DefaultLanguage) ?? names.Values.FirstOrDefault() ?? reader.GetString(2);
            offers.Add(new JointOffer(reader.GetString(0), reader.GetGuid(1), reader.GetString(2), reader.GetString(3), name, reader.IsDBNull(5) ? null : reader.GetString(5),
                reader.IsDBNull(6) ? null : reader.GetString(6), reader.GetDecimal(7), reader.GetBoolean(8)));
        }

        return offers;
    }

    private static string[] Members(List<string>? members, FieldErrors errors)
    {
        if (members is not { Count: > 0 and <= MaxMembers } || members.Any(m => string.IsNullOrWhiteSpace(m) || CooperativeTenants.IsCentral(m)))
        {
            errors["members"] = [$"must name 1 to {MaxMembers} member shops."];
            return [];
        }

        return [.. members.Distinct(StringComparer.Ordinal)];
    }
}
