namespace MachCommerce.Webhooks.Audit;

/// <summary>What happened to a tenant's subscriptions and by whom, written in the same transaction as the change.</summary>
public static class AuditLog
{
    /// <summary>The actor of what the service decides itself (switching off a failing subscription).</summary>
    public const string Service = "webhooks-service";

    public static Task WriteAsync(TenantScope scope, string actor, string action, Guid? subscriptionId, string detail, CancellationToken cancellationToken) =>
        WriteAsync(scope.Transaction, scope.TenantId, actor, action, subscriptionId, detail, cancellationToken);

    public static async Task WriteAsync(NpgsqlTransaction transaction, string tenantId, string actor, string action, Guid? subscriptionId, string detail,
        CancellationToken cancellationToken)
    {
        await using var insert = new NpgsqlCommand(
            "INSERT INTO webhooks.audit_log (id, tenant_id, actor, action, subscription_id, detail) VALUES ($1, $2, $3, $4, $5, $6)", transaction.Connection, transaction);
        insert.Parameters.Add(new() { Value = Guid.CreateVersion7() });
        insert.Parameters.Add(new() { Value = tenantId });
        insert.Parameters.Add(new() { Value = actor });
        insert.Parameters.Add(new() { Value = action });
        insert.Parameters.Add(new() { Value = (object?)subscriptionId ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Uuid });
        insert.Parameters.Add(new() { Value = detail });
        await insert.ExecuteNonQueryAsync(cancellationToken);
    }

    public static async Task<(IReadOnlyList<AuditEntry> Page, string? Next)> ReadAsync(WebhooksDatabase database, Hosting.Identity.RequestIdentity identity, Guid? before,
        int limit, CancellationToken cancellationToken)
    {
        await using var scope = await database.BeginAsync(identity, cancellationToken);
        await using var query = scope.Command("""
            SELECT id, at, actor, action, subscription_id, detail FROM audit_log
            WHERE tenant_id = $1 AND ($2::uuid IS NULL OR id < $2) ORDER BY id DESC LIMIT $3
            """);
        query.Parameters.Add(new() { Value = identity.TenantId });
        query.Parameters.Add(new() { Value = (object?)before ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Uuid });
        query.Parameters.Add(new() { Value = limit + 1 });
        var entries = new List<AuditEntry>();
        await using var reader = await query.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            entries.Add(new AuditEntry(reader.GetGuid(0), reader.GetFieldValue<DateTimeOffset>(1), reader.GetString(2), reader.GetString(3),
                reader.IsDBNull(4) ? null : reader.GetGuid(4), reader.GetString(5)));
        }

        return entries.Count > limit ? (entries.Take(limit).ToList(), entries[limit - 1].Id.ToString()) : (entries, null);
    }
}
