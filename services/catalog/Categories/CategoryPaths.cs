namespace MachCommerce.Catalog.Categories;

/// <summary>
/// For each category id, the id and all its ancestors: what a product's <c>category_path</c> stores, so that
/// filtering by a category finds products filed under any of its descendants with one GIN-indexed overlap.
/// </summary>
internal static class CategoryPaths
{
    public static async Task<Dictionary<Guid, Guid[]>> LoadAsync(TenantScope db, IReadOnlyCollection<Guid> ids, CancellationToken cancellationToken)
    {
        var paths = new Dictionary<Guid, Guid[]>();
        if (ids.Count == 0)
        {
            return paths;
        }

        await using var command = db.Command(
            """
            WITH RECURSIVE up (origin, id, parent_id) AS (
                SELECT c.id, c.id, c.parent_id FROM categories c WHERE c.tenant_id = $1 AND c.id = ANY($2)
                UNION ALL
                SELECT up.origin, c.id, c.parent_id FROM categories c JOIN up ON c.id = up.parent_id WHERE c.tenant_id = $1
            )
            SELECT origin, array_agg(id) FROM up GROUP BY origin
            """);
        command.Parameters.Add(new() { Value = db.TenantId });
        command.Parameters.Add(new() { Value = ids.Distinct().ToArray() });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            paths[reader.GetGuid(0)] = reader.GetFieldValue<Guid[]>(1);
        }

        return paths;
    }

    /// <summary>The union of the paths of <paramref name="categoryIds"/>; null when one of them does not exist.</summary>
    public static Guid[]? PathOf(IEnumerable<Guid> categoryIds, Dictionary<Guid, Guid[]> paths, out List<int> missingPositions)
    {
        missingPositions = [];
        var union = new HashSet<Guid>();
        var position = 0;
        foreach (var id in categoryIds)
        {
            if (paths.TryGetValue(id, out var path))
            {
                union.UnionWith(path);
            }
            else
            {
                missingPositions.Add(position);
            }

            position++;
        }

        return missingPositions.Count == 0 ? [.. union] : null;
    }
}
