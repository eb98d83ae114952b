using MachCommerce.Catalog.Products;

namespace MachCommerce.Catalog.CentralAssortment;

/// <summary>
/// A member shop's side of its cooperative's central assortment (Zentralsortiment): see it, subscribe to central
/// categories or products (they become the shop's products), cancel, and keep local overrides (price, stock, texts,
/// images, hidden) that survive central updates. Everything here needs catalog:write: it is the merchant's business. The cooperative's own staff keep the central assortment itself with
/// the ordinary /products and /categories in their central level, and see here how their members use it (counts).
/// </summary>
public static class CentralAssortmentApi
{
    public const int MaxPage = 200;
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public static IEndpointRouteBuilder MapCentralAssortmentApi(this IEndpointRouteBuilder app)
    {
        // The merchant's business only, reading included: a storefront key (catalog:read, public in every shopper's
        // browser) must not show which central products a shop could take, nor the cooperative's member list.
        var write = app.MapGroup("/central").WithTags("Central assortment").RequireScope(Scopes.CatalogWrite);
        write.MapGet("/", Overview);
        write.MapGet("/products", Products);
        write.MapGet("/overrides/{productId:guid}", GetOverrides);
        write.MapPost("/subscriptions", Subscribe);
        write.MapDelete("/subscriptions/{kind}/{centralId:guid}", Cancel);
        write.MapPut("/overrides/{productId:guid}", PutOverrides);
        write.MapDelete("/overrides/{productId:guid}", ResetOverrides);
        return app;
    }

    private static async Task<Results<Ok<CentralAssortmentView>, ProblemHttpResult>> Overview(RequestIdentity identity, CatalogDatabase database, CancellationToken cancellationToken)
    {
        if (identity.Cooperative is not { } cooperative)
        {
            return NoCooperative();
        }

        var centralTenant = CooperativeTenants.CentralTenant(cooperative);
        var tree = await CentralTree.LoadAsync(database, centralTenant, cancellationToken);
        int published;
        await using (var central = await database.BeginAsync(centralTenant, cancellationToken))
        {
            await using var count = central.Command("SELECT count(*)::int FROM products WHERE tenant_id = $1 AND status = 'published'");
            count.Parameters.Add(new() { Value = centralTenant });
            published = (int)(await count.ExecuteScalarAsync(cancellationToken))!;
        }

        if (CooperativeTenants.IsCentral(identity.TenantId))
        {
            return TypedResults.Ok(new CentralAssortmentView(cooperative, true, tree.Roots(), published, [], [], await MembersAsync(database, centralTenant, cancellationToken)));
        }

        await using var db = await database.BeginAsync(identity, cancellationToken);
        var subscriptions = await CentralSync.SubscriptionsAsync(db, centralTenant, cancellationToken);
        var views = await SubscriptionViewsAsync(db, database, centralTenant, tree, subscriptions, cancellationToken);
        return TypedResults.Ok(new CentralAssortmentView(cooperative, false, tree.Roots(), published, views, await CentralSync.ConflictsAsync(db, cancellationToken), []));
    }

    /// <summary>The published central products, by id, with the shop's copy where it took one.</summary>
    private static async Task<Results<Ok<CentralProductPage>, ValidationProblem, ProblemHttpResult>> Products(RequestIdentity identity, CatalogDatabase database,
        CancellationToken cancellationToken, Guid? categoryId = null, Guid? cursor = null, int limit = 50)
    {
        if (identity.Cooperative is not { } cooperative)
        {
            return NoCooperative();
        }

        if (limit is < 1 or > MaxPage)
        {
            return FieldErrors.Problem("limit", $"must be from 1 to {MaxPage}.");
        }

        var centralTenant = CooperativeTenants.CentralTenant(cooperative);
        var rows = new List<(Guid Id, string Sku, Dictionary<string, string> Name, string? Brand, decimal Price, Guid[] Categories)>();
        await using (var central = await database.BeginAsync(centralTenant, cancellationToken))
        {
            await using var command = central.Command("""
                SELECT id, sku, name::text, brand, min_price_gross, category_ids FROM products
                 WHERE tenant_id = $1 AND status = 'published' AND ($2::uuid IS NULL OR category_path @> ARRAY[$2::uuid]) AND ($3::uuid IS NULL OR id > $3)
                 ORDER BY id LIMIT $4
                """);
            command.Parameters.Add(new() { Value = centralTenant });
            command.Parameters.Add(new() { Value = (object?)categoryId ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Uuid });
            command.Parameters.Add(new() { Value = (object?)cursor ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Uuid });
            command.Parameters.Add(new() { Value = limit + 1 });
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                rows.Add((reader.GetGuid(0), reader.GetString(1), JsonSerializer.Deserialize<Dictionary<string, string>>(reader.GetString(2))!,
                    reader.IsDBNull(3) ? null : reader.GetString(3), reader.GetDecimal(4), reader.GetFieldValue<Guid[]>(5)));
            }
        }

        var page = rows.Take(limit).ToList();
        var copies = new Dictionary<Guid, Guid>();
        if (!CooperativeTenants.IsCentral(identity.TenantId))
        {
            await using var db = await database.BeginAsync(identity, cancellationToken);
            copies = await CentralSync.CopiesAsync(db, [.. page.Select(r => r.Id)], cancellationToken);
        }

        var items = page.ConvertAll(r => new CentralProductView(r.Id, r.Sku, NameOf(r.Name, r.Sku), r.Brand, r.Price, r.Categories, copies.TryGetValue(r.Id, out var copy) ? copy : null));
        return TypedResults.Ok(new CentralProductPage(items, rows.Count > limit ? page[^1].Id.ToString() : null));
    }

    private static async Task<Results<Created<CentralSubscriptionResult>, Ok<CentralSubscriptionResult>, ValidationProblem, ProblemHttpResult>> Subscribe(
        CentralSubscriptionInput input, RequestIdentity identity, CatalogDatabase database, CentralSync sync, CancellationToken cancellationToken)
    {
        if (MemberOnly(identity) is { } refused)
        {
            return refused;
        }

        if ((input.CategoryId is null) == (input.ProductId is null))
        {
            return TypedResults.ValidationProblem(new FieldErrors
            {
                [input.CategoryId is null ? "categoryId" : "productId"] = ["give either a central categoryId or a central productId."],
            });
        }

        var centralTenant = CooperativeTenants.CentralTenant(identity.Cooperative!);
        var tree = await CentralTree.LoadAsync(database, centralTenant, cancellationToken);
        var (kind, centralId) = input.CategoryId is { } category ? ("category", category) : ("product", input.ProductId!.Value);
        List<Guid> centralIds;
        await using (var central = await database.BeginAsync(centralTenant, cancellationToken))
        {
            if (kind == "category" && tree.Find(centralId) is null)
            {
                return FieldErrors.Problem("categoryId", "is not a category of your cooperative's central assortment.");
            }

            await using var command = central.Command(kind == "category"
                ? "SELECT id FROM products WHERE tenant_id = $1 AND category_path @> ARRAY[$2::uuid]"
                : "SELECT id FROM products WHERE tenant_id = $1 AND id = $2 AND status = 'published'");
            command.Parameters.Add(new() { Value = centralTenant });
            command.Parameters.Add(new() { Value = centralId });
            centralIds = [];
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                centralIds.Add(reader.GetGuid(0));
            }
        }

        if (kind == "product" && centralIds.Count == 0)
        {
            return FieldErrors.Problem("productId", "is not a published product of your cooperative's central assortment.");
        }

        var created = false;
        var (result, _) = await sync.SyncAsync<object>(identity.TenantId, centralTenant, centralIds, async db =>
        {
            await using var insert = db.Command("""
                INSERT INTO central_subscriptions (tenant_id, central_tenant, kind, central_id) VALUES ($1, $2, $3, $4)
                ON CONFLICT (tenant_id, kind, central_id) DO NOTHING RETURNING true
                """);
            insert.Parameters.Add(new() { Value = identity.TenantId });
            insert.Parameters.Add(new() { Value = centralTenant });
            insert.Parameters.Add(new() { Value = kind });
            insert.Parameters.Add(new() { Value = centralId });
            created = await insert.ExecuteScalarAsync(cancellationToken) is true;
            return null;
        }, cancellationToken, tree);

        await using var after = await database.BeginAsync(identity, cancellationToken);
        var subscription = (await CentralSync.SubscriptionsAsync(after, centralTenant, cancellationToken)).First(s => s.Kind == kind && s.CentralId == centralId);
        var view = (await SubscriptionViewsAsync(after, database, centralTenant, tree, [subscription], cancellationToken))[0];
        var answer = new CentralSubscriptionResult(view, result!);
        return created ? TypedResults.Created($"/central/subscriptions/{kind}/{centralId}", answer) : TypedResults.Ok(answer);
    }

    /// <summary>Cancels a subscription: the shop's copies no other subscription covers go (with their overrides); the shop's own products stay.</summary>
    private static async Task<Results<Ok<CentralSyncResult>, ProblemHttpResult>> Cancel(string kind, Guid centralId, RequestIdentity identity, CentralSync sync,
        CancellationToken cancellationToken)
    {
        if (MemberOnly(identity) is { } refused)
        {
            return refused;
        }

        var centralTenant = CooperativeTenants.CentralTenant(identity.Cooperative!);
        var (result, refusal) = await sync.SyncAsync(identity.TenantId, centralTenant, centralIds: null, async db =>
        {
            await using var delete = db.Command("DELETE FROM central_subscriptions WHERE tenant_id = $1 AND central_tenant = $2 AND kind = $3 AND central_id = $4 RETURNING 1");
            delete.Parameters.Add(new() { Value = identity.TenantId });
            delete.Parameters.Add(new() { Value = centralTenant });
            delete.Parameters.Add(new() { Value = kind });
            delete.Parameters.Add(new() { Value = centralId });
            return await delete.ExecuteScalarAsync(cancellationToken) is null
                ? TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "Not found", detail: $"Your shop has no subscription to the central {kind} {centralId}.")
                : null;
        }, cancellationToken);
        return refusal is not null ? refusal : TypedResults.Ok(result!);
    }

    private static async Task<Results<Ok<CentralOverridesView>, ProblemHttpResult>> GetOverrides(Guid productId, RequestIdentity identity, HttpContext http,
        CatalogDatabase database, CancellationToken cancellationToken)
    {
        if (MemberOnly(identity) is { } refused)
        {
            return refused;
        }

        await using var db = await database.BeginAsync(identity, cancellationToken);
        if (await CopyAsync(db, productId, cancellationToken) is not { } centralId)
        {
            return NotACopy(productId);
        }

        var view = await OverridesViewAsync(db, productId, centralId, cancellationToken);
        http.Response.Headers.ETag = Preconditions.ETag(view.Version);
        return TypedResults.Ok(view);
    }

    /// <summary>Replaces the shop's overrides of one central product (If-Match with the overrides' version, optional) and rebuilds its copy.</summary>
    private static async Task<Results<Ok<CentralOverridesView>, ValidationProblem, ProblemHttpResult>> PutOverrides(Guid productId, CentralOverridesInput input,
        RequestIdentity identity, HttpContext http, CatalogDatabase database, CentralSync sync, CancellationToken cancellationToken)
    {
        if (MemberOnly(identity) is { } refused)
        {
            return refused;
        }

        if (!Preconditions.TryReadIfMatch(http, out var expectedVersion, out var preconditionProblem, required: false))
        {
            return preconditionProblem!;
        }

        Guid centralId;
        await using (var db = await database.BeginAsync(identity, cancellationToken))
        {
            if (await CopyAsync(db, productId, cancellationToken) is not { } found)
            {
                return NotACopy(productId);
            }

            centralId = found;
        }

        var centralTenant = CooperativeTenants.CentralTenant(identity.Cooperative!);
        ProductRecord? central;
        await using (var scope = await database.BeginAsync(centralTenant, cancellationToken))
        {
            central = await ProductStore.FindAsync(scope, "id", centralId, null, cancellationToken);
        }

        if (central is null)
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, title: "Conflict",
                detail: $"The central product of {productId} is gone; the shop's copy goes with the next update.");
        }

        var errors = new FieldErrors();
        foreach (var sku in (input.Variants ?? []).Keys.Where(sku => central.Variants.All(v => v.Sku != sku)))
        {
            errors[$"variants.{sku}"] = ["is not a variant of this product."];
        }

        foreach (var (sku, variant) in input.Variants ?? [])
        {
            if (variant is { PriceNet: not null, PriceGross: not null })
            {
                errors[$"variants.{sku}.priceNet"] = ["give priceNet or priceGross, not both."];
            }
        }

        var validation = new FieldErrors();
        ProductValidator.Validate(CentralSync.Merge(central, input, []), validation);
        foreach (var (field, reasons) in CentralSync.ErrorsOfOverrides(validation, central))
        {
            errors.TryAdd(field, reasons);
        }

        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors);
        }

        var (_, refusal) = await sync.SyncAsync(identity.TenantId, centralTenant, [centralId], async db =>
        {
            await using var upsert = db.Command("""
                INSERT INTO central_overrides AS o (tenant_id, central_id, overrides) VALUES ($1, $2, $3)
                ON CONFLICT (tenant_id, central_id) DO UPDATE SET overrides = EXCLUDED.overrides, version = o.version + 1, updated_at = now()
                 WHERE $4::int IS NULL OR o.version = $4
                RETURNING version
                """);
            upsert.Parameters.Add(new() { Value = identity.TenantId });
            upsert.Parameters.Add(new() { Value = centralId });
            upsert.Parameters.Add(new() { Value = JsonSerializer.Serialize(input, Json), NpgsqlDbType = NpgsqlDbType.Jsonb });
            upsert.Parameters.Add(new() { Value = (object?)expectedVersion ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Integer });
            return await upsert.ExecuteScalarAsync(cancellationToken) is null ? Preconditions.Stale($"The overrides of product {productId}") : null;
        }, cancellationToken);
        if (refusal is not null)
        {
            return refusal;
        }

        await using var after = await database.BeginAsync(identity, cancellationToken);
        var view = await OverridesViewAsync(after, productId, centralId, cancellationToken);
        http.Response.Headers.ETag = Preconditions.ETag(view.Version);
        return TypedResults.Ok(view);
    }

    /// <summary>Drops the shop's overrides: the copy follows the central product wholly again.</summary>
    private static async Task<Results<NoContent, ProblemHttpResult>> ResetOverrides(Guid productId, RequestIdentity identity, CatalogDatabase database, CentralSync sync,
        CancellationToken cancellationToken)
    {
        if (MemberOnly(identity) is { } refused)
        {
            return refused;
        }

        Guid centralId;
        await using (var db = await database.BeginAsync(identity, cancellationToken))
        {
            if (await CopyAsync(db, productId, cancellationToken) is not { } found)
            {
                return NotACopy(productId);
            }

            centralId = found;
        }

        await sync.SyncAsync<ProblemHttpResult>(identity.TenantId, CooperativeTenants.CentralTenant(identity.Cooperative!), [centralId], async db =>
        {
            await using var delete = db.Command("DELETE FROM central_overrides WHERE tenant_id = $1 AND central_id = $2");
            delete.Parameters.Add(new() { Value = identity.TenantId });
            delete.Parameters.Add(new() { Value = centralId });
            await delete.ExecuteNonQueryAsync(cancellationToken);
            return null;
        }, cancellationToken);
        return TypedResults.NoContent();
    }

    private static async Task<CentralOverridesView> OverridesViewAsync(TenantScope db, Guid productId, Guid centralId, CancellationToken cancellationToken)
    {
        await using var command = db.Command("SELECT overrides::text, version, updated_at FROM central_overrides WHERE tenant_id = $1 AND central_id = $2");
        command.Parameters.Add(new() { Value = db.TenantId });
        command.Parameters.Add(new() { Value = centralId });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken)
            ? new CentralOverridesView(productId, centralId, JsonSerializer.Deserialize<CentralOverridesInput>(reader.GetString(0), Json)!, reader.GetInt32(1),
                reader.GetFieldValue<DateTimeOffset>(2))
            : new CentralOverridesView(productId, centralId, new CentralOverridesInput(), 0, null);
    }

    /// <summary>The central product a product of the shop is a copy of; null when it is none (or no product of the shop).</summary>
    private static async Task<Guid?> CopyAsync(TenantScope db, Guid productId, CancellationToken cancellationToken)
    {
        await using var command = db.Command("SELECT central_id FROM products WHERE tenant_id = $1 AND id = $2 AND central_id IS NOT NULL");
        command.Parameters.Add(new() { Value = db.TenantId });
        command.Parameters.Add(new() { Value = productId });
        return await command.ExecuteScalarAsync(cancellationToken) as Guid?;
    }

    private static async Task<List<CentralSubscriptionView>> SubscriptionViewsAsync(TenantScope db, CatalogDatabase database, string centralTenant, CentralTree tree,
        List<CentralSync.Subscription> subscriptions, CancellationToken cancellationToken)
    {
        var productNames = new Dictionary<Guid, string>();
        if (subscriptions.Where(s => s.Kind == "product").Select(s => s.CentralId).ToList() is { Count: > 0 } productIds)
        {
            await using var central = await database.BeginAsync(centralTenant, cancellationToken);
            productNames = (await ProductStore.FindManyAsync(central, productIds, null, cancellationToken)).ToDictionary(p => p.Id, p => NameOf(p.Name, p.Sku));
        }

        var views = new List<CentralSubscriptionView>();
        foreach (var subscription in subscriptions)
        {
            await using var count = db.Command(subscription.Kind == "product"
                ? "SELECT count(*)::int FROM products WHERE tenant_id = $1 AND central_id = ANY($2)"
                : """
                  SELECT count(*)::int FROM products p WHERE p.tenant_id = $1 AND p.central_id IS NOT NULL
                     AND p.category_path && ARRAY(SELECT c.id FROM categories c WHERE c.tenant_id = $1 AND c.central_id = ANY($2))
                  """);
            count.Parameters.Add(new() { Value = db.TenantId });
            count.Parameters.Add(new() { Value = subscription.Kind == "product" ? [subscription.CentralId] : tree.Subtrees([subscription.CentralId]).ToArray() });
            var name = subscription.Kind == "product"
                ? productNames.GetValueOrDefault(subscription.CentralId) ?? "(no longer in the central assortment)"
                : tree.Find(subscription.CentralId) is { } category ? NameOf(category.Name, category.Slug) : "(no longer in the central assortment)";
            views.Add(new CentralSubscriptionView(subscription.Kind, subscription.CentralId, name, (int)(await count.ExecuteScalarAsync(cancellationToken))!, subscription.CreatedAt));
        }

        return views;
    }

    /// <summary>How each member uses the central assortment: counts only, never a customer's data.</summary>
    private static async Task<List<CentralMemberUse>> MembersAsync(CatalogDatabase database, string centralTenant, CancellationToken cancellationToken)
    {
        await using var scope = await database.BeginAcrossMembersAsync(centralTenant, cancellationToken);
        await using var command = scope.Command("""
            SELECT s.tenant_id, count(*)::int,
                   (SELECT count(*)::int FROM products p WHERE p.tenant_id = s.tenant_id AND p.central_id IS NOT NULL),
                   (SELECT count(*)::int FROM central_overrides o WHERE o.tenant_id = s.tenant_id),
                   (SELECT count(*)::int FROM central_conflicts c WHERE c.tenant_id = s.tenant_id)
              FROM central_subscriptions s WHERE s.central_tenant = $1
             GROUP BY s.tenant_id ORDER BY s.tenant_id
            """);
        command.Parameters.Add(new() { Value = centralTenant });
        var members = new List<CentralMemberUse>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            members.Add(new CentralMemberUse(reader.GetString(0), reader.GetInt32(1), reader.GetInt32(2), reader.GetInt32(3), reader.GetInt32(4)));
        }

        return members;
    }

    private static string NameOf(IReadOnlyDictionary<string, string> name, string fallback) => name.GetValueOrDefault("de") ?? name.Values.FirstOrDefault() ?? fallback;

    private static ProblemHttpResult? MemberOnly(RequestIdentity identity) => identity.Cooperative is null
        ? NoCooperative()
        : CooperativeTenants.IsCentral(identity.TenantId)
            ? TypedResults.Problem(statusCode: StatusCodes.Status400BadRequest, title: "Bad request",
                detail: "This is the central assortment itself: keep its products with /products and /categories; member shops subscribe to them here.")
            : null;

    private static ProblemHttpResult NoCooperative() => TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "Not found",
        detail: "Your shop is not a member of a cooperative, so it has no central assortment.");

    private static ProblemHttpResult NotACopy(Guid productId) => TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "Not found",
        detail: $"No product {productId} of this shop comes from the central assortment (a product of the shop's own is changed with PUT /products/{productId}).");
}
