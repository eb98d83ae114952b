namespace MachCommerce.Catalog.Categories;

/// <summary>The category tree of a shop: create, read (one or the whole tree), update (If-Match), delete.</summary>
public static partial class CategoriesApi
{
    public const int MaxCategories = 5_000;

    public static IEndpointRouteBuilder MapCategoriesApi(this IEndpointRouteBuilder app)
    {
        var read = app.MapGroup("/categories").WithTags("Categories").RequireScope(Scopes.CatalogRead);
        read.MapGet("/", Tree);
        read.MapGet("/{id:guid}", Get);
        var write = app.MapGroup("/categories").WithTags("Categories").RequireScope(Scopes.CatalogWrite);
        write.MapPost("/", Create);
        write.MapPut("/{id:guid}", Update);
        write.MapDelete("/{id:guid}", Delete);
        return app;
    }

    internal static async Task<Ok<List<CategoryView>>> Tree(RequestIdentity identity, CatalogDatabase database, CancellationToken cancellationToken)
    {
        await using var db = await database.BeginAsync(identity, cancellationToken);
        var all = await AllAsync(db, cancellationToken);
        return TypedResults.Ok(Build(all.ToLookup(c => c.ParentId), null));
    }

    internal static async Task<Results<Ok<CategoryView>, ProblemHttpResult>> Get(Guid id, RequestIdentity identity, CatalogDatabase database, CancellationToken cancellationToken)
    {
        await using var db = await database.BeginAsync(identity, cancellationToken);
        var all = await AllAsync(db, cancellationToken);
        var category = all.FirstOrDefault(c => c.Id == id);
        return category is null ? NotFound(id) : TypedResults.Ok(category with { Children = Build(all.ToLookup(c => c.ParentId), id) });
    }

    internal static async Task<Results<Created<CategoryView>, ValidationProblem, ProblemHttpResult>> Create(CategoryInput input, RequestIdentity identity, CatalogDatabase database, CancellationToken cancellationToken)
    {
        if (Validate(input) is { Count: > 0 } errors)
        {
            return TypedResults.ValidationProblem(errors);
        }

        await using var db = await database.BeginAsync(identity, cancellationToken);
        if (input.ParentId is { } parent && !await ExistsAsync(db, parent, cancellationToken))
        {
            return FieldErrors.Problem("parentId", "is not a category of this shop.");
        }

        var id = Guid.CreateVersion7();
        await using var insert = db.Command("INSERT INTO categories (id, tenant_id, parent_id, slug, name, position) VALUES ($1, $2, $3, $4, $5, $6)");
        insert.Parameters.Add(new() { Value = id });
        insert.Parameters.Add(new() { Value = identity.TenantId });
        insert.Parameters.Add(new() { Value = (object?)input.ParentId ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Uuid });
        insert.Parameters.Add(new() { Value = input.Slug!.Trim() });
        insert.Parameters.Add(new() { Value = JsonSerializer.Serialize(input.Name), NpgsqlDbType = NpgsqlDbType.Jsonb });
        insert.Parameters.Add(new() { Value = input.Position ?? 0 });
        try
        {
            await insert.ExecuteNonQueryAsync(cancellationToken);
        }
        catch (PostgresException exception) when (exception.SqlState == PostgresErrorCodes.UniqueViolation)
        {
            return SlugTaken(input.Slug);
        }

        await db.CommitAsync(cancellationToken);
        var view = new CategoryView(id, input.ParentId, input.Slug.Trim(), input.Name!, input.Position ?? 0, 1, []);
        return TypedResults.Created($"/categories/{id}", view);
    }

    internal static async Task<Results<Ok<CategoryView>, ValidationProblem, ProblemHttpResult>> Update(Guid id, CategoryInput input, RequestIdentity identity, HttpContext http,
        CatalogDatabase database, CancellationToken cancellationToken)
    {
        if (!Hosting.Http.Preconditions.TryReadIfMatch(http, out var expectedVersion, out var problem))
        {
            return problem!;
        }

        if (Validate(input) is { Count: > 0 } errors)
        {
            return TypedResults.ValidationProblem(errors);
        }

        await using var db = await database.BeginAsync(identity, cancellationToken);
        if (!await ExistsAsync(db, id, cancellationToken))
        {
            return NotFound(id);
        }

        if (input.ParentId is { } parent && (parent == id || !await ExistsAsync(db, parent, cancellationToken) || await IsDescendantAsync(db, parent, id, cancellationToken)))
        {
            return FieldErrors.Problem("parentId", "must be another category of this shop that is not below this one.");
        }

        await using var update = db.Command(
            "UPDATE categories SET parent_id = $3, slug = $4, name = $5, position = $6, version = version + 1, updated_at = now() WHERE id = $1 AND tenant_id = $2 AND ($7::int IS NULL OR version = $7) RETURNING version");
        update.Parameters.Add(new() { Value = id });
        update.Parameters.Add(new() { Value = identity.TenantId });
        update.Parameters.Add(new() { Value = (object?)input.ParentId ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Uuid });
        update.Parameters.Add(new() { Value = input.Slug!.Trim() });
        update.Parameters.Add(new() { Value = JsonSerializer.Serialize(input.Name), NpgsqlDbType = NpgsqlDbType.Jsonb });
        update.Parameters.Add(new() { Value = input.Position ?? 0 });
        update.Parameters.Add(new() { Value = (object?)expectedVersion ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Integer });
        int? version;
        try
        {
            version = await update.ExecuteScalarAsync(cancellationToken) as int?;
        }
        catch (PostgresException exception) when (exception.SqlState == PostgresErrorCodes.UniqueViolation)
        {
            return SlugTaken(input.Slug);
        }

        if (version is null)
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status412PreconditionFailed, title: "Stale version", detail: $"Category {id} was changed since the version in If-Match.");
        }

        // A moved category moves its products' ancestor lists with it.
        await using (var repath = db.Command(
            """
            UPDATE products p SET category_path = (
                WITH RECURSIVE up (id, parent_id) AS (
                    SELECT c.id, c.parent_id FROM categories c WHERE c.id = ANY(p.category_ids)
                    UNION SELECT c.id, c.parent_id FROM categories c JOIN up ON c.id = up.parent_id)
                SELECT coalesce(array_agg(DISTINCT id), '{}') FROM up)
             WHERE p.tenant_id = $1 AND p.category_path @> ARRAY[$2]::uuid[]
            """))
        {
            repath.Parameters.Add(new() { Value = identity.TenantId });
            repath.Parameters.Add(new() { Value = id });
            await repath.ExecuteNonQueryAsync(cancellationToken);
        }

        await db.CommitAsync(cancellationToken);
        if (CooperativeTenants.IsCentral(identity.TenantId))
        {
            await CentralAssortment.CentralCategories.RenameCopiesAsync(database, identity.TenantId, id, input.Name!, input.Position ?? 0, cancellationToken);
        }

        http.Response.Headers.ETag = $"\"v{version}\"";
        return TypedResults.Ok(new CategoryView(id, input.ParentId, input.Slug.Trim(), input.Name!, input.Position ?? 0, version.Value, []));
    }

    internal static async Task<Results<NoContent, ProblemHttpResult>> Delete(Guid id, RequestIdentity identity, CatalogDatabase database, CancellationToken cancellationToken)
    {
        await using var db = await database.BeginAsync(identity, cancellationToken);
        await using var inUse = db.Command(
            "SELECT (SELECT count(*) FROM categories WHERE tenant_id = $1 AND parent_id = $2) + (SELECT count(*) FROM products WHERE tenant_id = $1 AND category_ids @> ARRAY[$2]::uuid[])");
        inUse.Parameters.Add(new() { Value = identity.TenantId });
        inUse.Parameters.Add(new() { Value = id });
        if ((long)(await inUse.ExecuteScalarAsync(cancellationToken))! > 0)
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, title: "Category in use",
                detail: "Move or delete its subcategories and take its products out of it first.");
        }

        await using var delete = db.Command("DELETE FROM categories WHERE id = $1 AND tenant_id = $2");
        delete.Parameters.Add(new() { Value = id });
        delete.Parameters.Add(new() { Value = identity.TenantId });
        if (await delete.ExecuteNonQueryAsync(cancellationToken) == 0)
        {
            return NotFound(id);
        }

        await db.CommitAsync(cancellationToken);
        return TypedResults.NoContent();
    }

    private static FieldErrors Validate(CategoryInput input)
    {
        var errors = new FieldErrors();
        if (input.Slug is null || !SlugPattern().IsMatch(input.Slug.Trim()) || input.Slug.Length > 80)
        {
            errors["slug"] = ["is required: lower-case letters and digits joined by hyphens, at most 80 characters."];
        }

        if (input.Name is null || input.Name.Count == 0 || input.Name.Any(n => n.Key is not ("de" or "en") || string.IsNullOrWhiteSpace(n.Value) || n.Value.Length > 100))
        {
            errors["name"] = ["is required: de and/or en, each 1 to 100 characters."];
        }

        if (input.Position is < 0 or > 100_000)
        {
            errors["position"] = ["must be from 0 to 100000."];
        }

        return errors;
    }

    private static async Task<bool> ExistsAsync(Hosting.Data.TenantScope db, Guid id, CancellationToken cancellationToken)
    {
        await using var command = db.Command("SELECT EXISTS (SELECT 1 FROM categories WHERE tenant_id = $1 AND id = $2)");
        command.Parameters.Add(new() { Value = db.TenantId });
        command.Parameters.Add(new() { Value = id });
        return (bool)(await command.ExecuteScalarAsync(cancellationToken))!;
    }

    private static async Task<bool> IsDescendantAsync(Hosting.Data.TenantScope db, Guid candidate, Guid ancestor, CancellationToken cancellationToken)
    {
        var paths = await CategoryPaths.LoadAsync(db, [candidate], cancellationToken);
        return paths.TryGetValue(candidate, out var path) && path.Contains(ancestor);
    }

    /// <summary>Every category of the scope's tenant, flat (children empty).</summary>
    internal static async Task<List<CategoryView>> AllAsync(Hosting.Data.TenantScope db, CancellationToken cancellationToken)
    {
        await using var command = db.Command("SELECT id, parent_id, slug, name::text, position, version FROM categories WHERE tenant_id = $1");
        command.Parameters.Add(new() { Value = db.TenantId });
        var all = new List<CategoryView>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            all.Add(new CategoryView(reader.GetGuid(0), reader.IsDBNull(1) ? null : reader.GetGuid(1), reader.GetString(2),
                JsonSerializer.Deserialize<Dictionary<string, string>>(reader.GetString(3))!, reader.GetInt32(4), reader.GetInt32(5), []));
        }

        return all;
    }

    internal static List<CategoryView> Build(ILookup<Guid?, CategoryView> byParent, Guid? parent) =>
        [.. byParent[parent].OrderBy(c => c.Position).ThenBy(c => c.Slug, StringComparer.Ordinal).Select(c => c with { Children = Build(byParent, c.Id) })];

    private static ProblemHttpResult NotFound(Guid id) => TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "Not found", detail: $"No category {id} in this shop.");

    private static ProblemHttpResult SlugTaken(string? slug) => TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, title: "Conflict",
        detail: $"The slug {slug} belongs to another category.",
        extensions: new Dictionary<string, object?> { ["errors"] = new FieldErrors { ["slug"] = ["belongs to another category."] } });

    [GeneratedRegex(@"^[a-z0-9]+(-[a-z0-9]+)*$")]
    private static partial Regex SlugPattern();
}
