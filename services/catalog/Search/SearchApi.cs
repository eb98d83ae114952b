using MachCommerce.Catalog.Products;

namespace MachCommerce.Catalog.Search;

/// <summary>
/// Listing (GET /products: filters, sort, cursor pages) and search (GET /search: full text in German and
/// English with stemming, weighted name > brand > attributes > description, typo tolerance and prefix matching
/// for search-as-you-type, and facets with counts).
/// </summary>
public static class SearchApi
{
    /// <summary>Upper bounds of the price facet's buckets (gross EUR); the last bucket is open.</summary>
    public static readonly decimal[] PriceBounds = [10, 25, 50, 100, 250, 500, 1000];

    /// <summary>How close (pg_trgm word similarity of German-folded text) a misspelt word must be to count as a match.</summary>
    public const double TypoThreshold = 0.45;

    public static IEndpointRouteBuilder MapSearchApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/products", List).WithTags("Products").RequireScope(Scopes.CatalogRead).WithQueryParameters([Presentation.Locale, .. ProductQuery.Parameters(search: false)]);
        app.MapGet("/search", Search).WithTags("Search").RequireScope(Scopes.CatalogRead).WithQueryParameters([Presentation.Locale, .. ProductQuery.Parameters(search: true)]);
        return app;
    }

    internal static async Task<Results<Ok<Page<ProductView>>, ValidationProblem>> List(HttpContext http, RequestIdentity identity, CatalogDatabase database,
        IOptions<CatalogOptions> options, CancellationToken cancellationToken)
    {
        var errors = new FieldErrors();
        if (ProductQuery.Parse(http.Request.Query, identity, search: false, errors) is not { } query)
        {
            return TypedResults.ValidationProblem(errors);
        }

        if (query.Sort == "relevance" || query.Text is not null)
        {
            return FieldErrors.Problem("q", "full-text queries go to /search.");
        }

        var presentation = Presentation.Of(http, identity, options);
        var parameters = new List<NpgsqlParameter>();
        var where = query.Where(identity.TenantId, parameters);
        var (orderBy, after) = query.Ordering(parameters);

        // The page's ids and sort keys first, then the products by id (ProductStore's prepared read, as batch get).
        await using var db = await database.BeginSearchAsync(identity, cancellationToken);
        var page = new List<(Guid Id, decimal MinPrice, string NameSort)>();
        await using (var command = db.Command(
            $"SELECT p.id, p.min_price_gross, p.name_sort FROM products p WHERE {where}{(after is null ? "" : " AND " + after)} ORDER BY {orderBy} LIMIT {query.Limit + 1}"))
        {
            command.Parameters.AddRange(parameters.ToArray());
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                page.Add((reader.GetGuid(0), reader.GetDecimal(1), reader.GetString(2)));
            }
        }

        var more = page.Count > query.Limit;
        if (more)
        {
            page.RemoveAt(page.Count - 1);
        }

        var backward = query.Before is not null;
        if (backward)
        {
            page.Reverse(); // read nearest first, shown in the listing's order
        }

        var cursors = page.Select(p => new Cursor(query.Sort, query.Sort switch
        {
            "price" or "-price" => p.MinPrice.ToString(CultureInfo.InvariantCulture),
            "name" => p.NameSort,
            _ => null,
        }, p.Id, 0).Encode()).ToList();
        // Forward, a page after a cursor has one before it; backward, a page before a cursor has one after it.
        var next = cursors.Count > 0 && (backward || more) ? cursors[^1] : null;
        var previous = cursors.Count > 0 && (backward ? more : query.After is not null) ? cursors[0] : null;

        var records = await ProductStore.FindManyAsync(db, [.. page.Select(p => p.Id)], presentation.CustomerGroup, cancellationToken);
        return TypedResults.Ok(new Page<ProductView>([.. records.Select(r => r.ToView(presentation.Language, presentation.DefaultLanguage, presentation.BusinessCustomer))], next, previous, cursors));
    }

    internal static async Task<Results<Ok<SearchResponse>, ValidationProblem>> Search(HttpContext http, RequestIdentity identity, CatalogDatabase database,
        SearchIndexes indexes, IOptions<CatalogOptions> options, CancellationToken cancellationToken)
    {
        var errors = new FieldErrors();
        if (ProductQuery.Parse(http.Request.Query, identity, search: true, errors) is not { } query)
        {
            return TypedResults.ValidationProblem(errors);
        }

        var terms = query.Text is null ? [] : Terms(query.Text);
        if (query.Text is not null && terms.Length == 0)
        {
            return FieldErrors.Problem("q", "must contain letters or digits.");
        }

        var presentation = Presentation.Of(http, identity, options);
        await using var db = await database.BeginSearchAsync(identity, cancellationToken);

        // Stemmed full text with every word first; then any word; only then typo-tolerant trigram matching, which
        // is far more expensive per row and would otherwise add loosely similar products to every good result.
        // The first two run in the tenant's in-memory index once it is built, in PostgreSQL until then.
        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        var (result, mode) = await InMemoryAsync(indexes, db, query, terms, presentation.Language, cancellationToken);
        var engine = result is null ? "postgres" : "index"; // which engine matched, for Server-Timing
        if (result is null)
        {
            mode = MatchMode.AllWords;
            result = await MatchAsync(db, query, terms, mode, presentation.Language, cancellationToken);
            if (result.Total == 0 && terms.Length > 1)
            {
                mode = MatchMode.AnyWord;
                result = await MatchAsync(db, query, terms, mode, presentation.Language, cancellationToken);
            }

            if (result.Total == 0 && terms.Length > 0 && query.HasFilters)
            {
                result = result with { WordsFound = await WordsFoundAsync(db, query, terms, mode, cancellationToken) };
            }
        }

        if (result.Total == 0 && terms.Length > 0 && !result.WordsFound)
        {
            await using (var threshold = db.Command($"SELECT set_config('pg_trgm.word_similarity_threshold', '{TypoThreshold.ToString(CultureInfo.InvariantCulture)}', true)"))
            {
                await threshold.ExecuteNonQueryAsync(cancellationToken);
            }

            mode = MatchMode.Similar;
            engine = "postgres";
            result = await MatchAsync(db, query, terms, mode, presentation.Language, cancellationToken);
        }

        var items = (await ProductStore.FindManyAsync(db, result.Ids, presentation.CustomerGroup, cancellationToken)).Select(p => p.ToView(presentation.Language, presentation.DefaultLanguage, presentation.BusinessCustomer)).ToList();
        // An item's cursor is the offset just after it: the page after it starts there, the page before it ends before it.
        var offset = query.After?.Offset ?? 0;
        var cursors = items.Select((_, i) => new Cursor(ProductQuery.SearchCursorSort(query.Sort), null, Guid.Empty, offset + i + 1).Encode()).ToList();
        var next = result.Total > offset + items.Count && cursors.Count > 0 ? cursors[^1] : null;
        var previous = offset > 0 && cursors.Count > 0 ? cursors[0] : null;
        // Which engine matched, and how long matching took (with the page's products): shown in browsers' developer tools.
        http.Response.Headers["Server-Timing"] = string.Create(CultureInfo.InvariantCulture,
            $"{engine};dur={System.Diagnostics.Stopwatch.GetElapsedTime(started).TotalMilliseconds:0.0}");
        return TypedResults.Ok(new SearchResponse(items, result.Total, result.Facets, next, mode != MatchMode.AllWords, mode == MatchMode.Similar, previous, cursors));
    }

    /// <param name="WordsFound">Some product the caller may see has the words, though the filters leave none: no typo matching then.</param>
    private sealed record MatchResult(long Total, List<Guid> Ids, Facets Facets, bool WordsFound = false);

    /// <summary>Whether a product the caller may see has the words (all or any, as in <paramref name="mode"/>), whatever the other filters.</summary>
    private static async Task<bool> WordsFoundAsync(TenantScope db, ProductQuery query, string[] terms, MatchMode mode, CancellationToken cancellationToken)
    {
        await using var command = db.Command($"SELECT EXISTS (SELECT 1 FROM products p WHERE p.tenant_id = $1 AND p.status = ANY($2) AND p.search_vector @@ {Stemmed("$3")})");
        command.Parameters.Add(new() { Value = db.TenantId });
        command.Parameters.Add(new() { Value = query.Statuses });
        command.Parameters.Add(new() { Value = TsQuery(terms, mode == MatchMode.AllWords ? " & " : " | ") });
        return (bool)(await command.ExecuteScalarAsync(cancellationToken))!;
    }

    /// <summary>The words of a tsquery parameter stemmed in German and in English, either language's reading matching.</summary>
    private static string Stemmed(string parameter) => $"(to_tsquery('german', {parameter}) || to_tsquery('english', {parameter}))";

    /// <summary>A category's name in the language of a parameter, else in German, else its slug.</summary>
    private static string CategoryLabel(string language) => $"coalesce(c.name ->> {language}, c.name ->> 'de', c.slug)";

    /// <summary>The tsquery of the words: all of them, the last one as a prefix (search-as-you-type).</summary>
    private static string TsQuery(string[] terms, string @operator) => string.Join(@operator, terms.Select((t, i) => i == terms.Length - 1 ? t + ":*" : t));

    /// <summary>
    /// All words (or any word) matched in the tenant's in-memory index, brought up to date first; null when the
    /// index is not built yet or the words stem into something it does not evaluate (PostgreSQL answers then).
    /// </summary>
    private static async Task<(MatchResult? Result, MatchMode Mode)> InMemoryAsync(SearchIndexes indexes, TenantScope db, ProductQuery query, string[] terms,
        string language, CancellationToken cancellationToken)
    {
        if (await indexes.ForAsync(db.TenantId, cancellationToken) is not { } index)
        {
            return (null, MatchMode.AllWords);
        }

        var stems = await SearchIndexes.RefreshAsync(index, db, terms.Length == 0 ? null : TsQuery(terms, " & "), cancellationToken);
        var text = stems is { } s ? TextQuery.From(s.German, s.English) : null;
        if (terms.Length > 0 && text is null)
        {
            return (null, MatchMode.AllWords);
        }

        var mode = MatchMode.AllWords;
        var (total, ids, facets, wordsFound) = index.Match(query, text, allWords: true);
        if (total == 0 && terms.Length > 1)
        {
            mode = MatchMode.AnyWord;
            (total, ids, facets, wordsFound) = index.Match(query, text, allWords: false);
        }

        if (total == 0)
        {
            return (new MatchResult(0, [], facets, wordsFound), mode);
        }

        if (facets.Categories.Count > 0)
        {
            // Category names come from the categories table, so a rename shows at once.
            await using var command = db.Command($"SELECT c.id::text, {CategoryLabel("$2")} FROM categories c WHERE c.tenant_id = $1 AND c.id = ANY($3)");
            command.Parameters.Add(new() { Value = db.TenantId });
            command.Parameters.Add(new() { Value = language });
            command.Parameters.Add(new() { Value = facets.Categories.Select(c => Guid.Parse(c.Value)).ToArray() });
            var labels = new Dictionary<string, string>();
            await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
            {
                while (await reader.ReadAsync(cancellationToken))
                {
                    labels[reader.GetString(0)] = reader.GetString(1);
                }
            }

            facets = facets with { Categories = [.. facets.Categories.Where(c => labels.ContainsKey(c.Value)).Select(c => c with { Label = labels[c.Value] })] };
        }

        return (new MatchResult(total, ids, facets), mode);
    }

    private enum MatchMode { AllWords, AnyWord, Similar }

    /// <summary>One round trip: the matching set (materialised once), its size, the page of ids and every facet.</summary>
    private static async Task<MatchResult> MatchAsync(TenantScope db, ProductQuery query, string[] terms, MatchMode mode, string language, CancellationToken cancellationToken)
    {
        var parameters = new List<NpgsqlParameter>();
        string Add(object value)
        {
            parameters.Add(new NpgsqlParameter { Value = value });
            return "$" + parameters.Count.ToString(CultureInfo.InvariantCulture);
        }

        var where = query.Where(db.TenantId, parameters);
        string rank;
        if (mode == MatchMode.Similar)
        {
            // Misspelt or compound words: pg_trgm word similarity of the German-folded query to name and brand.
            var folded = Add(TextFolding.Fold(query.Text!));
            where += $" AND {folded} <% p.search_folded";
            rank = $"word_similarity({folded}, p.search_folded)";
        }
        else if (terms.Length > 0)
        {
            // Stemmed full text in German and English; the last word as a prefix, for search-as-you-type.
            var tsQuery = Add(TsQuery(terms, mode == MatchMode.AllWords ? " & " : " | "));
            where += $" AND p.search_vector @@ {Stemmed(tsQuery)}";
            rank = $"ts_rank(p.search_vector, {Stemmed(tsQuery)})";
        }
        else
        {
            rank = "0";
        }

        // Search pages by offset whatever the sort (results are ranked and read shallowly; the offset is capped).
        // Only the ORDER BY of the listing's ordering: a search cursor is an offset, not a listing's keyset position.
        var orderBy = query.Sort == "relevance" ? "rank DESC, id" : (query with { After = null }).Ordering([]).OrderBy;
        var matchedOrder = orderBy.Replace("p.", "", StringComparison.Ordinal);
        var offset = query.After?.Offset ?? 0;
        var lang = Add(language);
        var bounds = Add(PriceBounds);
        var attributeFacets = new StringBuilder();
        foreach (var name in query.FacetAttributes)
        {
            var key = Add(name);
            attributeFacets.Append(CultureInfo.InvariantCulture, $"""
                ,(SELECT coalesce(json_agg(json_build_object('value', value, 'count', n) ORDER BY n DESC, value), '[]')::text FROM (
                    SELECT value, count(*) AS n FROM matched,
                           jsonb_array_elements_text(CASE WHEN NOT attributes ? {key} THEN '[]'::jsonb
                                                          WHEN jsonb_typeof(attributes -> {key}) = 'array' THEN attributes -> {key}
                                                          ELSE jsonb_build_array(attributes -> {key}) END) AS value
                     GROUP BY value ORDER BY n DESC, value LIMIT 30) a)
                """);
        }

        await using var command = db.Command($"""
            WITH matched AS MATERIALIZED (
                SELECT p.id, p.brand, p.category_ids, p.min_price_gross, p.name_sort{(query.FacetAttributes.Length > 0 ? ", p.attributes" : "")}, {rank} AS rank
                  FROM products p
                 WHERE {where}
            )
            SELECT (SELECT count(*) FROM matched),
                   (SELECT coalesce(json_agg(id ORDER BY ordinal), '[]')::text FROM (
                        SELECT id, row_number() OVER (ORDER BY {matchedOrder}) AS ordinal FROM matched ORDER BY {matchedOrder} LIMIT {query.Limit} OFFSET {offset}) page),
                   (SELECT coalesce(json_agg(json_build_object('value', brand, 'count', n) ORDER BY n DESC, brand), '[]')::text FROM (
                        SELECT brand, count(*) AS n FROM matched WHERE brand IS NOT NULL GROUP BY brand ORDER BY n DESC, brand LIMIT 30) b),
                   (SELECT coalesce(json_agg(json_build_object('value', c.id, 'count', n, 'label', {CategoryLabel(lang)}) ORDER BY n DESC), '[]')::text FROM (
                        SELECT category, count(*) AS n FROM matched, unnest(category_ids) AS category GROUP BY category ORDER BY n DESC LIMIT 50) cc
                        JOIN categories c ON c.id = cc.category),
                   (SELECT coalesce(json_agg(json_build_object('bucket', bucket, 'count', n) ORDER BY bucket), '[]')::text FROM (
                        SELECT width_bucket(min_price_gross, {bounds}::numeric[]) AS bucket, count(*) AS n FROM matched GROUP BY 1) pb)
                   {attributeFacets}
            """);
        command.Parameters.AddRange(parameters.ToArray());
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        await reader.ReadAsync(cancellationToken);
        var total = reader.GetInt64(0);
        var ids = JsonSerializer.Deserialize<List<Guid>>(reader.GetString(1))!;
        var brands = ReadFacet(reader.GetString(2));
        var categories = ReadFacet(reader.GetString(3));
        var prices = JsonDocument.Parse(reader.GetString(4)).RootElement.EnumerateArray().Select(bucket =>
        {
            var index = bucket.GetProperty("bucket").GetInt32();
            return new PriceBucket(index == 0 ? null : PriceBounds[index - 1], index < PriceBounds.Length ? PriceBounds[index] : null, bucket.GetProperty("count").GetInt64());
        }).ToList();
        var attributes = query.FacetAttributes.Select((name, i) => (name, values: ReadFacet(reader.GetString(5 + i))))
            .ToDictionary(a => a.name, a => a.values);
        return new MatchResult(total, ids, new Facets(brands, categories, prices, attributes));
    }

    private static IReadOnlyList<FacetValue> ReadFacet(string json) =>
        [.. JsonDocument.Parse(json).RootElement.EnumerateArray().Select(v => new FacetValue(
            v.GetProperty("value").ValueKind == JsonValueKind.String ? v.GetProperty("value").GetString()! : v.GetProperty("value").GetRawText(),
            v.GetProperty("count").GetInt64(),
            v.TryGetProperty("label", out var label) ? label.GetString() : null))];

    /// <summary>The words of a query as tsquery terms: letters and digits only, so no input can break the query syntax.</summary>
    internal static string[] Terms(string text)
    {
        var words = new List<string>();
        var current = new StringBuilder();
        foreach (var c in text.ToLowerInvariant().Append(' '))
        {
            if (char.IsLetterOrDigit(c))
            {
                current.Append(c);
            }
            else if (current.Length > 0)
            {
                words.Add(current.ToString());
                current.Clear();
            }
        }

        return [.. words.Take(10)];
    }
}
