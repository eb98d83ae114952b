namespace MachCommerce.Catalog.CentralAssortment;

/// <summary>
/// A member shop's copies of the central categories: made where a subscription covers them (or the shop's own
/// category of the same slug taken instead), let go when none does, and renamed with the central ones.
/// </summary>
internal static class CentralCategories
{
    /// <summary>
    /// A renamed (or re-ordered) central category: the members' copies that their subscription made follow it, each in
    /// the member's own transaction; a shop's own category it was filed into keeps the shop's name. Where a central
    /// category moves to another parent, the copies stay where they are.
    /// </summary>
    public static async Task RenameCopiesAsync(CatalogDatabase database, string centralTenant, Guid centralId, IReadOnlyDictionary<string, string> name, int position, CancellationToken cancellationToken)
    {
        var members = new List<string>();
        await using (var across = await database.BeginAcrossMembersAsync(centralTenant, cancellationToken))
        {
            await using var command = across.Command("""
                SELECT c.tenant_id FROM categories c
                 WHERE c.central_id = $2 AND c.central_created AND c.tenant_id IN (SELECT tenant_id FROM central_subscriptions WHERE central_tenant = $1)
                """);
            command.Parameters.Add(new() { Value = centralTenant });
            command.Parameters.Add(new() { Value = centralId });
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                members.Add(reader.GetString(0));
            }
        }

        foreach (var member in members)
        {
            await using var db = await database.BeginAsync(member, cancellationToken);
            await using var update = db.Command(
                "UPDATE categories SET name = $3, position = $4, version = version + 1, updated_at = now() WHERE tenant_id = $1 AND central_id = $2 AND central_created");
            update.Parameters.Add(new() { Value = member });
            update.Parameters.Add(new() { Value = centralId });
            update.Parameters.Add(new() { Value = JsonSerializer.Serialize(name), NpgsqlDbType = NpgsqlDbType.Jsonb });
            update.Parameters.Add(new() { Value = position });
            await update.ExecuteNonQueryAsync(cancellationToken);
            await db.CommitAsync(cancellationToken);
        }
    }


    /// <summary>
    /// The shop's copies of the covered central categories (central id → the shop's category), made where missing,
    /// parents first. A central category whose slug the shop uses already is filed into that category of the shop.
    /// </summary>
    public static async Task<Dictionary<Guid, Guid>> CopyAsync(TenantScope db, CentralTree tree, HashSet<Guid> covered, CancellationToken cancellationToken)
    {
        var mine = new List<(Guid Id, Guid? CentralId, string Slug)>();
        await using (var command = db.Command("SELECT id, central_id, slug FROM categories WHERE tenant_id = $1"))
        {
            command.Parameters.Add(new() { Value = db.TenantId });
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                mine.Add((reader.GetGuid(0), reader.IsDBNull(1) ? null : reader.GetGuid(1), reader.GetString(2)));
            }
        }

        var copies = mine.Where(c => c.CentralId is not null).ToDictionary(c => c.CentralId!.Value, c => c.Id);
        var bySlug = mine.Where(c => c.CentralId is null).ToDictionary(c => c.Slug, c => c.Id, StringComparer.Ordinal);
        foreach (var category in tree.TopDown().Where(c => covered.Contains(c.Id) && !copies.ContainsKey(c.Id)))
        {
            // A covered category's parent is covered too unless the category is the subscribed one: that one is a root here.
            var parent = category.ParentId is { } p && covered.Contains(p) ? copies[p] : (Guid?)null;
            if (bySlug.Remove(category.Slug, out var own))
            {
                await using var adopt = db.Command("UPDATE categories SET central_id = $3 WHERE tenant_id = $1 AND id = $2");
                adopt.Parameters.Add(new() { Value = db.TenantId });
                adopt.Parameters.Add(new() { Value = own });
                adopt.Parameters.Add(new() { Value = category.Id });
                await adopt.ExecuteNonQueryAsync(cancellationToken);
                copies[category.Id] = own;
                continue;
            }

            var id = Guid.CreateVersion7();
            await using var insert = db.Command(
                "INSERT INTO categories (id, tenant_id, parent_id, slug, name, position, central_id, central_created) VALUES ($1, $2, $3, $4, $5, $6, $7, true)");
            insert.Parameters.Add(new() { Value = id });
            insert.Parameters.Add(new() { Value = db.TenantId });
            insert.Parameters.Add(new() { Value = (object?)parent ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Uuid });
            insert.Parameters.Add(new() { Value = category.Slug });
            insert.Parameters.Add(new() { Value = JsonSerializer.Serialize(category.Name), NpgsqlDbType = NpgsqlDbType.Jsonb });
            insert.Parameters.Add(new() { Value = category.Position });
            insert.Parameters.Add(new() { Value = category.Id });
            await insert.ExecuteNonQueryAsync(cancellationToken);
            copies[category.Id] = id;
        }

        return copies.Where(c => covered.Contains(c.Key)).ToDictionary();
    }

    /// <summary>
    /// The copies of central categories no subscription covers any more: those the subscription made go when no
    /// product of the shop is filed in them (deepest first), the shop's own ones it had filed them into just let go.
    /// </summary>
    public static async Task RemoveUnneededAsync(TenantScope db, HashSet<Guid> covered, CancellationToken cancellationToken)
    {
        await using var command = db.Command("""
            WITH unneeded AS (
                SELECT c.id, c.central_created, 0 AS depth FROM categories c
                 WHERE c.tenant_id = $1 AND c.central_id IS NOT NULL AND NOT c.central_id = ANY($2)
            ),
            kept_own AS (
                UPDATE categories SET central_id = NULL
                 WHERE tenant_id = $1 AND id IN (SELECT id FROM unneeded WHERE NOT central_created)
            ),
            removable AS (
                SELECT u.id FROM unneeded u
                 WHERE u.central_created
                   AND NOT EXISTS (SELECT 1 FROM products p WHERE p.tenant_id = $1 AND p.category_path @> ARRAY[u.id])
                   AND NOT EXISTS (SELECT 1 FROM categories child WHERE child.tenant_id = $1 AND child.parent_id = u.id
                                   AND child.id NOT IN (SELECT id FROM unneeded))
            )
            SELECT id FROM removable
            """);
        command.Parameters.Add(new() { Value = db.TenantId });
        command.Parameters.Add(new() { Value = covered.ToArray() });
        var removable = new HashSet<Guid>();
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                removable.Add(reader.GetGuid(0));
            }
        }

        // Children before parents (the parent reference is RESTRICT): delete leaves until nothing more goes.
        while (removable.Count > 0)
        {
            await using var delete = db.Command("""
                DELETE FROM categories c WHERE c.tenant_id = $1 AND c.id = ANY($2)
                   AND NOT EXISTS (SELECT 1 FROM categories child WHERE child.parent_id = c.id)
                RETURNING c.id
                """);
            delete.Parameters.Add(new() { Value = db.TenantId });
            delete.Parameters.Add(new() { Value = removable.ToArray() });
            var deleted = 0;
            await using (var reader = await delete.ExecuteReaderAsync(cancellationToken))
            {
                while (await reader.ReadAsync(cancellationToken))
                {
                    removable.Remove(reader.GetGuid(0));
                    deleted++;
                }
            }

            if (deleted == 0)
            {
                break; // the rest hold a category of the shop's own
            }
        }
    }
}
