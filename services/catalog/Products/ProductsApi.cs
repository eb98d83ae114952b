using MachCommerce.Catalog.Categories;
using Microsoft.AspNetCore.Mvc;

namespace MachCommerce.Catalog.Products;

/// <summary>Products: read by id, SKU or slug (with ETags), batch get, create, replace (If-Match), archive, delete, bulk upsert.</summary>
public static class ProductsApi
{
    public const int MaxBatchGet = 100;
    public const int MaxBulkItems = 1_000;
    private static readonly string[] UnknownCategory = ["is not a category of this shop."];

    public static IEndpointRouteBuilder MapProductsApi(this IEndpointRouteBuilder app)
    {
        var read = app.MapGroup("/products").WithTags("Products").RequireScope(Scopes.CatalogRead).WithQueryParameters(Presentation.Locale);
        read.MapGet("/{id:guid}", GetById).WithName("GetProduct");
        read.MapGet("/by-sku/{sku}", GetBySku);
        read.MapGet("/by-slug/{slug}", GetBySlug);
        read.MapPost("/batch-get", BatchGet);

        var write = app.MapGroup("/products").WithTags("Products").RequireScope(Scopes.CatalogWrite).WithQueryParameters(Presentation.Locale);
        write.MapPost("/", Create);
        write.MapPut("/{id:guid}", Replace);
        write.MapPost("/{id:guid}/archive", Archive);
        write.MapDelete("/{id:guid}", Delete);
        write.MapPost("/bulk", BulkUpsert).WithMetadata(new RequestSizeLimitAttribute(32 * 1024 * 1024));
        return app;
    }

    internal static Task<Results<Ok<ProductView>, ProblemHttpResult, StatusCodeHttpResult>> GetById(Guid id, RequestIdentity identity, HttpContext http, CatalogDatabase database, IOptions<CatalogOptions> options, CancellationToken cancellationToken) =>
        GetOne("id", id, identity, http, database, options, cancellationToken);

    internal static Task<Results<Ok<ProductView>, ProblemHttpResult, StatusCodeHttpResult>> GetBySku(string sku, RequestIdentity identity, HttpContext http, CatalogDatabase database, IOptions<CatalogOptions> options, CancellationToken cancellationToken) =>
        GetOne("sku", sku, identity, http, database, options, cancellationToken);

    internal static Task<Results<Ok<ProductView>, ProblemHttpResult, StatusCodeHttpResult>> GetBySlug(string slug, RequestIdentity identity, HttpContext http, CatalogDatabase database, IOptions<CatalogOptions> options, CancellationToken cancellationToken) =>
        GetOne("slug", slug, identity, http, database, options, cancellationToken);

    private static async Task<Results<Ok<ProductView>, ProblemHttpResult, StatusCodeHttpResult>> GetOne(string column, object key, RequestIdentity identity, HttpContext http, CatalogDatabase database,
        IOptions<CatalogOptions> options, CancellationToken cancellationToken)
    {
        var presentation = Presentation.Of(http, identity, options);
        var product = await ProductStore.FindAsync(database, identity, column, key, presentation.CustomerGroup, cancellationToken);
        if (product is null || !Visible(product.Status, identity))
        {
            return NotFound(key);
        }

        // The ETag covers the caller's price list too: a B2B and a B2C caller never share a cached body.
        var etag = presentation.CustomerGroup is null ? product.ETag : $"\"v{product.Version}-{presentation.CustomerGroup}\"";
        http.Response.Headers.ETag = etag;
        http.Response.Headers.CacheControl = "private, no-cache";
        if (http.Request.Headers.IfNoneMatch.Any(value => value == etag || value == "*"))
        {
            return TypedResults.StatusCode(StatusCodes.Status304NotModified);
        }

        return TypedResults.Ok(product.ToView(presentation.Language, presentation.DefaultLanguage, presentation.BusinessCustomer));
    }

    internal static async Task<Results<Ok<BatchGetResponse>, ValidationProblem>> BatchGet(BatchGetRequest request, RequestIdentity identity, HttpContext http,
        CatalogDatabase database, IOptions<CatalogOptions> options, CancellationToken cancellationToken)
    {
        var ids = request.Ids ?? [];
        if (ids.Count is 0 or > MaxBatchGet)
        {
            return FieldErrors.Problem("ids", $"must hold 1 to {MaxBatchGet} product ids.");
        }

        var presentation = Presentation.Of(http, identity, options);
        // In the order asked for, so a DataLoader can zip answers to keys.
        var found = (await ProductStore.FindManyAsync(database, identity, ids, presentation.CustomerGroup, cancellationToken)).Where(p => Visible(p.Status, identity)).ToList();
        var items = found.ConvertAll(p => p.ToView(presentation.Language, presentation.DefaultLanguage, presentation.BusinessCustomer));
        return TypedResults.Ok(new BatchGetResponse(items, [.. ids.Except(found.Select(p => p.Id))]));
    }

    internal static async Task<Results<Created<ProductView>, ValidationProblem, ProblemHttpResult>> Create(ProductInput input, RequestIdentity identity,
        HttpContext http, CatalogDatabase database, IEventOutbox outbox, IOptions<CatalogOptions> options, CancellationToken cancellationToken)
    {
        var errors = new FieldErrors();
        var product = ProductValidator.Validate(input, errors);
        await using var db = await database.BeginAsync(identity, cancellationToken);
        var paths = await CategoryPaths.LoadAsync(db, input.CategoryIds ?? [], cancellationToken);
        var categoryPath = CategoryPaths.PathOf(input.CategoryIds ?? [], paths, out var missing);
        foreach (var position in missing)
        {
            errors[$"categoryIds[{position}]"] = UnknownCategory;
        }

        if (product is null || categoryPath is null)
        {
            return TypedResults.ValidationProblem(errors);
        }

        var id = Guid.CreateVersion7();
        var outcome = await ProductStore.WriteAsync(db, outbox, id, product, categoryPath, existing: null, expectedVersion: null, cancellationToken);
        if (outcome.Failure == WriteFailure.Conflict)
        {
            return Conflict(outcome);
        }

        var created = (await ProductStore.FindAsync(db, "id", id, null, cancellationToken))!;
        await db.CommitAsync(cancellationToken);
        http.Response.Headers.ETag = created.ETag;
        var presentation = Presentation.Of(http, identity, options);
        return TypedResults.Created($"/products/{id}", created.ToView(presentation.Language, presentation.DefaultLanguage, presentation.BusinessCustomer));
    }

    internal static async Task<Results<Ok<ProductView>, ValidationProblem, ProblemHttpResult>> Replace(Guid id, ProductInput input, RequestIdentity identity, HttpContext http, CatalogDatabase database,
        IEventOutbox outbox, IOptions<CatalogOptions> options, CancellationToken cancellationToken)
    {
        if (!Preconditions.TryReadIfMatch(http, out var expectedVersion, out var preconditionProblem))
        {
            return preconditionProblem!;
        }

        var errors = new FieldErrors();
        var product = ProductValidator.Validate(input, errors);
        await using var db = await database.BeginAsync(identity, cancellationToken);
        var (existing, refusal) = await OwnProductAsync(db, id,
            "Change its price, stock, texts, images or visibility as the shop's own with PUT /central/overrides/{id}; the rest is the cooperative's.", cancellationToken);
        if (existing is null)
        {
            return refusal!;
        }

        var categoryPath = CategoryPaths.PathOf(input.CategoryIds ?? [], await CategoryPaths.LoadAsync(db, input.CategoryIds ?? [], cancellationToken), out var missing);
        foreach (var position in missing)
        {
            errors[$"categoryIds[{position}]"] = UnknownCategory;
        }

        if (product is null || categoryPath is null)
        {
            return TypedResults.ValidationProblem(errors);
        }

        var outcome = await ProductStore.WriteAsync(db, outbox, id, product, categoryPath, existing, expectedVersion, cancellationToken);
        switch (outcome.Failure)
        {
            case WriteFailure.Conflict:
                return Conflict(outcome);
            case WriteFailure.StaleVersion:
                return Stale(id);
        }

        var updated = (await ProductStore.FindAsync(db, "id", id, null, cancellationToken))!;
        await db.CommitAsync(cancellationToken);
        http.Response.Headers.ETag = updated.ETag;
        var presentation = Presentation.Of(http, identity, options);
        return TypedResults.Ok(updated.ToView(presentation.Language, presentation.DefaultLanguage, presentation.BusinessCustomer));
    }

    internal static async Task<Results<NoContent, ProblemHttpResult>> Archive(Guid id, RequestIdentity identity, HttpContext http, CatalogDatabase database, IEventOutbox outbox, CancellationToken cancellationToken)
    {
        if (!Preconditions.TryReadIfMatch(http, out var expectedVersion, out var preconditionProblem, required: false))
        {
            return preconditionProblem!;
        }

        await using var db = await database.BeginAsync(identity, cancellationToken);
        var (existing, refusal) = await OwnProductAsync(db, id, HideCopy, cancellationToken);
        if (existing is null)
        {
            return refusal!;
        }

        if (await ProductStore.SetStatusAsync(db, id, "archived", expectedVersion, cancellationToken) is not { } version)
        {
            return Stale(id);
        }

        if (existing.Status != "archived")
        {
            await outbox.AddAsync(db.Transaction, new ProductArchived { TenantId = identity.TenantId, OccurredAt = DateTimeOffset.UtcNow, ProductId = id, Sku = existing.Sku }, id.ToString(), cancellationToken);
        }

        await db.CommitAsync(cancellationToken);
        http.Response.Headers.ETag = $"\"v{version}\"";
        return TypedResults.NoContent();
    }

    internal static async Task<Results<NoContent, ProblemHttpResult>> Delete(Guid id, RequestIdentity identity, HttpContext http, CatalogDatabase database, IEventOutbox outbox, CancellationToken cancellationToken)
    {
        if (!Preconditions.TryReadIfMatch(http, out var expectedVersion, out var preconditionProblem, required: false))
        {
            return preconditionProblem!;
        }

        await using var db = await database.BeginAsync(identity, cancellationToken);
        if ((await OwnProductAsync(db, id, HideCopy, cancellationToken)).Refusal is { } refusal)
        {
            return refusal;
        }

        if (await ProductStore.DeleteAsync(db, id, expectedVersion, cancellationToken) is not { } sku)
        {
            var exists = (await ProductStore.ExistingAsync(db, [id], [], cancellationToken)).Count > 0;
            return exists ? Stale(id) : NotFound(id);
        }

        await outbox.AddAsync(db.Transaction, new ProductArchived { TenantId = identity.TenantId, OccurredAt = DateTimeOffset.UtcNow, ProductId = id, Sku = sku, Deleted = true }, id.ToString(), cancellationToken);
        await db.CommitAsync(cancellationToken);
        return TypedResults.NoContent();
    }

    /// <summary>
    /// Upserts up to 1,000 products by SKU in one transaction, each behind its own savepoint: an invalid or
    /// conflicting item is reported and skipped, the others are stored.
    /// </summary>
    internal static async Task<Results<Ok<BulkUpsertResponse>, ValidationProblem>> BulkUpsert(BulkUpsertRequest request, RequestIdentity identity,
        CatalogDatabase database, IEventOutbox outbox, CancellationToken cancellationToken)
    {
        var items = request.Items ?? [];
        if (items.Count is 0 or > MaxBulkItems)
        {
            return FieldErrors.Problem("items", $"must hold 1 to {MaxBulkItems} products.");
        }

        var results = new BulkItemResult?[items.Count];
        var valid = new List<(int Index, ValidProduct Product)>();
        var skusSeen = new Dictionary<string, int>(StringComparer.OrdinalIgnoreCase);
        for (var i = 0; i < items.Count; i++)
        {
            var errors = new FieldErrors();
            var product = ProductValidator.Validate(items[i], errors);
            if (product is not null && !skusSeen.TryAdd(product.Sku, i))
            {
                errors["sku"] = [$"repeats the SKU of item {skusSeen[product.Sku]} in this request."];
                product = null;
            }

            if (product is null)
            {
                results[i] = new BulkItemResult(i, items[i].Sku, "invalid", null, null, errors);
            }
            else
            {
                valid.Add((i, product));
            }
        }

        await using var db = await database.BeginAsync(identity, cancellationToken);
        var existing = (await ProductStore.ExistingAsync(db, [], [.. valid.Select(v => v.Product.Sku)], cancellationToken))
            .ToDictionary(e => e.Sku, StringComparer.Ordinal);
        var paths = await CategoryPaths.LoadAsync(db, [.. valid.SelectMany(v => v.Product.CategoryIds).Distinct()], cancellationToken);
        foreach (var (index, product) in valid)
        {
            var categoryPath = CategoryPaths.PathOf(product.CategoryIds, paths, out var missing);
            if (categoryPath is null)
            {
                results[index] = new BulkItemResult(index, product.Sku, "invalid", null, null,
                    missing.ToDictionary(position => $"categoryIds[{position}]", _ => UnknownCategory));
                continue;
            }

            var before = existing.GetValueOrDefault(product.Sku);
            if (before?.CentralId is not null)
            {
                results[index] = new BulkItemResult(index, product.Sku, "conflict", null, null, new FieldErrors
                {
                    ["sku"] = [$"belongs to a product of your cooperative's central assortment; change it with PUT /central/overrides/{before.Id}."],
                });
                continue;
            }

            var id = before?.Id ?? Guid.CreateVersion7();
            var outcome = await ProductStore.WriteAsync(db, outbox, id, product, categoryPath, before, expectedVersion: null, cancellationToken);
            results[index] = outcome.Failure == WriteFailure.None
                ? new BulkItemResult(index, product.Sku, before is null ? "created" : "updated", id, outcome.Version, null)
                : new BulkItemResult(index, product.Sku, "conflict", null, null,
                    new FieldErrors { [outcome.ConflictField ?? "sku"] = [outcome.ConflictReason ?? "conflicts with another product."] });
        }

        await db.CommitAsync(cancellationToken);
        var all = results.Select(r => r!).ToList();
        return TypedResults.Ok(new BulkUpsertResponse(all.Count(r => r.Status == "created"), all.Count(r => r.Status == "updated"),
            all.Count(r => r.Status is "invalid" or "conflict"), all));
    }

    /// <summary>Storefront keys (read scope only) see published products; a merchant's keys see drafts and archive too.</summary>
    internal static bool Visible(string status, RequestIdentity identity) => status == "published" || identity.Assertion.HasScope(Scopes.CatalogWrite);

    internal static ProblemHttpResult NotFound(object key) =>
        TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "Not found", detail: $"No product {key} in this shop.");

    /// <summary>
    /// Product <paramref name="id"/> as this shop may change it, or why not: it is not there (404), or it is a copy of the
    /// cooperative's (409, saying <paramref name="insteadOfCopy"/>).
    /// </summary>
    private static async Task<(ExistingProduct? Product, ProblemHttpResult? Refusal)> OwnProductAsync(TenantScope db, Guid id, string insteadOfCopy, CancellationToken cancellationToken) =>
        (await ProductStore.ExistingAsync(db, [id], [], cancellationToken)).FirstOrDefault(e => e.Id == id) switch
        {
            null => (null, NotFound(id)),
            { CentralId: not null } => (null, CentralCopy(id, insteadOfCopy)),
            var own => (own, null),
        };

    private const string HideCopy = "Hide it with PUT /central/overrides/{id} ({\"hidden\": true}) or cancel its subscription at /central/subscriptions.";

    /// <summary>A member's copy of a central product is rebuilt from the central one: the shop changes it through its overrides.</summary>
    private static ProblemHttpResult CentralCopy(Guid id, string how) => TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, title: "Conflict",
        detail: $"Product {id} comes from your cooperative's central assortment. {how.Replace("{id}", id.ToString())}");

    private static ProblemHttpResult Stale(Guid id) => Preconditions.Stale($"Product {id}");

    private static ProblemHttpResult Conflict(WriteOutcome outcome) => TypedResults.Problem(
        statusCode: StatusCodes.Status409Conflict, title: "Conflict", detail: outcome.ConflictReason,
        extensions: new Dictionary<string, object?> { ["errors"] = new FieldErrors { [outcome.ConflictField ?? "sku"] = [outcome.ConflictReason ?? "conflict"] } });
}
