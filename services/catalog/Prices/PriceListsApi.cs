using Microsoft.AspNetCore.Mvc;

namespace MachCommerce.Catalog.Prices;

/// <summary>
/// Customer-group price lists for B2B accounts: a business customer in group "fachhandel" sees the list's net
/// prices for the variants it names and the list price for the rest. Replaced as a whole (an ERP export).
/// </summary>
public static partial class PriceListsApi
{
    public const int MaxEntries = 20_000;

    public static IEndpointRouteBuilder MapPriceListsApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/price-lists").WithTags("Price lists").RequireScope(Scopes.CatalogWrite);
        group.MapGet("/", List);
        group.MapGet("/{customerGroup}", Get);
        group.MapPut("/{customerGroup}", Replace).WithMetadata(new RequestSizeLimitAttribute(8 * 1024 * 1024));
        group.MapDelete("/{customerGroup}", Delete);
        return app;
    }

    internal static async Task<Ok<List<PriceListView>>> List(RequestIdentity identity, CatalogDatabase database, CancellationToken cancellationToken)
    {
        await using var db = await database.BeginAsync(identity, cancellationToken);
        await using var command = db.Command("SELECT customer_group, name, version FROM price_lists WHERE tenant_id = $1 ORDER BY customer_group");
        command.Parameters.Add(new() { Value = identity.TenantId });
        var lists = new List<PriceListView>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            lists.Add(new PriceListView(reader.GetString(0), reader.GetString(1), reader.GetInt32(2), []));
        }

        return TypedResults.Ok(lists);
    }

    internal static async Task<Results<Ok<PriceListView>, ProblemHttpResult>> Get(string customerGroup, RequestIdentity identity, CatalogDatabase database, CancellationToken cancellationToken)
    {
        await using var db = await database.BeginAsync(identity, cancellationToken);
        await using var command = db.Command(
            """
            SELECT l.name, l.version, e.variant_sku, e.price_net
              FROM price_lists l LEFT JOIN price_list_entries e ON e.price_list_id = l.id
             WHERE l.tenant_id = $1 AND l.customer_group = $2
             ORDER BY e.variant_sku
            """);
        command.Parameters.Add(new() { Value = identity.TenantId });
        command.Parameters.Add(new() { Value = customerGroup });
        string? name = null;
        var version = 0;
        var entries = new List<PriceListEntry>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            name = reader.GetString(0);
            version = reader.GetInt32(1);
            if (!reader.IsDBNull(2))
            {
                entries.Add(new PriceListEntry(reader.GetString(2), reader.GetDecimal(3)));
            }
        }

        return name is null
            ? TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "Not found", detail: $"No price list for customer group {customerGroup}.")
            : TypedResults.Ok(new PriceListView(customerGroup, name, version, entries));
    }

    internal static async Task<Results<Ok<PriceListView>, ValidationProblem, ProblemHttpResult>> Replace(string customerGroup, PriceListInput input, RequestIdentity identity, CatalogDatabase database, CancellationToken cancellationToken)
    {
        var errors = new FieldErrors();
        if (!GroupPattern().IsMatch(customerGroup))
        {
            errors["customerGroup"] = ["must be 1 to 40 lower-case letters, digits, '-' or '_'."];
        }

        if (string.IsNullOrWhiteSpace(input.Name) || input.Name.Length > 100)
        {
            errors["name"] = ["is required, at most 100 characters."];
        }

        var entries = input.Entries ?? [];
        if (entries.Count > MaxEntries)
        {
            errors["entries"] = [$"must hold at most {MaxEntries} entries."];
        }

        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < entries.Count && errors.Count < 50; i++)
        {
            if (string.IsNullOrWhiteSpace(entries[i].Sku) || entries[i].Sku!.Length > 64)
            {
                errors[$"entries[{i}].sku"] = ["is required."];
            }
            else if (!seen.Add(entries[i].Sku!))
            {
                errors[$"entries[{i}].sku"] = ["appears twice in this list."];
            }

            if (entries[i].PriceNet is null or < 0 or > 10_000_000)
            {
                errors[$"entries[{i}].priceNet"] = ["must be from 0 to 10000000 EUR."];
            }
        }

        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors);
        }

        await using var db = await database.BeginAsync(identity, cancellationToken);
        await using var upsert = db.Command(
            """
            WITH list AS (
                INSERT INTO price_lists (id, tenant_id, customer_group, name) VALUES ($1, $2, $3, $4)
                ON CONFLICT (tenant_id, customer_group) DO UPDATE SET name = excluded.name, version = price_lists.version + 1, updated_at = now()
                RETURNING id, version),
            cleared AS (DELETE FROM price_list_entries WHERE price_list_id = (SELECT id FROM list))
            SELECT id, version FROM list
            """);
        upsert.Parameters.Add(new() { Value = Guid.CreateVersion7() });
        upsert.Parameters.Add(new() { Value = identity.TenantId });
        upsert.Parameters.Add(new() { Value = customerGroup });
        upsert.Parameters.Add(new() { Value = input.Name!.Trim() });
        Guid listId;
        int version;
        await using (var reader = await upsert.ExecuteReaderAsync(cancellationToken))
        {
            await reader.ReadAsync(cancellationToken);
            listId = reader.GetGuid(0);
            version = reader.GetInt32(1);
        }

        await using (var insert = db.Command(
            "INSERT INTO price_list_entries (price_list_id, tenant_id, variant_sku, price_net) SELECT $1, $2, sku, price FROM unnest($3::text[], $4::numeric[]) AS e(sku, price)"))
        {
            insert.Parameters.Add(new() { Value = listId });
            insert.Parameters.Add(new() { Value = identity.TenantId });
            insert.Parameters.Add(new() { Value = entries.Select(e => e.Sku!).ToArray() });
            insert.Parameters.Add(new() { Value = entries.Select(e => e.PriceNet!.Value).ToArray() });
            await insert.ExecuteNonQueryAsync(cancellationToken);
        }

        await db.CommitAsync(cancellationToken);
        return TypedResults.Ok(new PriceListView(customerGroup, input.Name.Trim(), version, entries));
    }

    internal static async Task<Results<NoContent, ProblemHttpResult>> Delete(string customerGroup, RequestIdentity identity, CatalogDatabase database, CancellationToken cancellationToken)
    {
        await using var db = await database.BeginAsync(identity, cancellationToken);
        await using var delete = db.Command("DELETE FROM price_lists WHERE tenant_id = $1 AND customer_group = $2");
        delete.Parameters.Add(new() { Value = identity.TenantId });
        delete.Parameters.Add(new() { Value = customerGroup });
        var deleted = await delete.ExecuteNonQueryAsync(cancellationToken);
        await db.CommitAsync(cancellationToken);
        return deleted == 0
            ? TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "Not found", detail: $"No price list for customer group {customerGroup}.")
            : TypedResults.NoContent();
    }

    [GeneratedRegex("^[a-z0-9_-]{1,40}$")]
    private static partial Regex GroupPattern();
}
