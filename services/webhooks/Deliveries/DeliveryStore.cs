using MachCommerce.Webhooks.Audit;
using MachCommerce.Webhooks.Subscriptions;

namespace MachCommerce.Webhooks.Deliveries;

/// <summary>A subscription's delivery log and redeliveries, for its tenant only.</summary>
public sealed class DeliveryStore(WebhooksDatabase database)
{
    private const string Columns = """
        d.id, d.event_id, d.event_type, d.resource_key, d.status, d.attempts, d.created_at, d.last_attempt_at, d.last_status, d.last_error,
        CASE WHEN d.status = 'pending' THEN d.next_attempt_at END, d.completed_at, d.seq
        """;

    /// <summary>Newest first; the cursor is the position of the last delivery on the page.</summary>
    public async Task<(IReadOnlyList<DeliveryView> Page, string? Next)?> ListAsync(RequestIdentity identity, Guid subscriptionId, string? status, long? before, int limit,
        CancellationToken cancellationToken)
    {
        await using var scope = await database.BeginAsync(identity, cancellationToken);
        if (!await SubscriptionStore.ExistsAsync(scope, subscriptionId, cancellationToken))
        {
            return null;
        }

        await using var query = scope.Command($"""
            SELECT {Columns} FROM deliveries d
            WHERE d.tenant_id = $1 AND d.subscription_id = $2 AND ($3::text IS NULL OR d.status = $3) AND ($4::bigint IS NULL OR d.seq < $4)
            ORDER BY d.seq DESC LIMIT $5
            """);
        query.Parameters.Add(new() { Value = identity.TenantId });
        query.Parameters.Add(new() { Value = subscriptionId });
        query.Parameters.Add(new() { Value = (object?)status ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Text });
        query.Parameters.Add(new() { Value = (object?)before ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Bigint });
        query.Parameters.Add(new() { Value = limit + 1 });
        var rows = new List<(DeliveryView View, long Seq)>();
        await using (var reader = await query.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                rows.Add((ReadView(reader), reader.GetInt64(12)));
            }
        }

        return rows.Count > limit
            ? (rows.Take(limit).Select(r => r.View).ToList(), rows[limit - 1].Seq.ToString(System.Globalization.CultureInfo.InvariantCulture))
            : (rows.Select(r => r.View).ToList(), null);
    }

    public async Task<DeliveryDetail?> GetAsync(RequestIdentity identity, Guid subscriptionId, Guid deliveryId, CancellationToken cancellationToken)
    {
        await using var scope = await database.BeginAsync(identity, cancellationToken);
        await using var query = scope.Command($"""
            SELECT {Columns}, e.payload FROM deliveries d JOIN events e ON e.id = d.event_id
            WHERE d.tenant_id = $1 AND d.subscription_id = $2 AND d.id = $3
            """);
        query.Parameters.Add(new() { Value = identity.TenantId });
        query.Parameters.Add(new() { Value = subscriptionId });
        query.Parameters.Add(new() { Value = deliveryId });
        DeliveryView view;
        string payload;
        await using (var reader = await query.ExecuteReaderAsync(cancellationToken))
        {
            if (!await reader.ReadAsync(cancellationToken))
            {
                return null;
            }

            view = ReadView(reader);
            payload = reader.GetString(13);
        }

        await using var attempts = scope.Command("""
            SELECT attempted_at, status_code, error, duration_ms, response_body FROM attempts
            WHERE tenant_id = $1 AND delivery_id = $2 ORDER BY attempted_at DESC LIMIT 100
            """);
        attempts.Parameters.Add(new() { Value = identity.TenantId });
        attempts.Parameters.Add(new() { Value = deliveryId });
        var list = new List<AttemptView>();
        await using (var reader = await attempts.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                list.Add(new AttemptView(reader.GetFieldValue<DateTimeOffset>(0), reader.IsDBNull(1) ? null : reader.GetInt32(1), reader.IsDBNull(2) ? null : reader.GetString(2),
                    reader.GetInt32(3), reader.IsDBNull(4) ? null : reader.GetString(4)));
            }
        }

        return new DeliveryDetail(view, payload, list);
    }

    /// <summary>
    /// Sends one delivery again as soon as possible (same webhook-id), whatever its state; the give-up clock starts
    /// anew. Null when there is no such delivery.
    /// </summary>
    public async Task<bool> RedeliverAsync(RequestIdentity identity, Guid subscriptionId, Guid deliveryId, CancellationToken cancellationToken)
    {
        await using var scope = await database.BeginAsync(identity, cancellationToken);
        await using var update = scope.Command("""
            UPDATE deliveries SET status = 'pending', next_attempt_at = now(), first_attempt_at = NULL, completed_at = NULL
            WHERE tenant_id = $1 AND subscription_id = $2 AND id = $3 AND (status <> 'pending' OR locked_until IS NULL OR locked_until < now())
            """);
        update.Parameters.Add(new() { Value = identity.TenantId });
        update.Parameters.Add(new() { Value = subscriptionId });
        update.Parameters.Add(new() { Value = deliveryId });
        var changed = await update.ExecuteNonQueryAsync(cancellationToken) > 0;
        if (!changed && !await DeliveryExistsAsync(scope, subscriptionId, deliveryId, cancellationToken))
        {
            return false;
        }

        await AuditLog.WriteAsync(scope, identity.Assertion.Subject, "delivery.redelivered", subscriptionId, $"delivery {deliveryId}", cancellationToken);
        await SubscriptionStore.Notify(scope, cancellationToken);
        await scope.CommitAsync(cancellationToken);
        return true;
    }

    /// <summary>
    /// Every kept event of the subscription's types received in [since, until) is sent again: a delivery that
    /// exists is put back to pending (unless only failed ones are asked for and it was delivered), and one that
    /// was never made (the subscription was off) is made now. Null when there is no such subscription.
    /// </summary>
    public async Task<int?> RedeliverRangeAsync(RequestIdentity identity, Guid subscriptionId, DateTimeOffset since, DateTimeOffset until, bool onlyFailed,
        CancellationToken cancellationToken)
    {
        await using var scope = await database.BeginAsync(identity, cancellationToken);
        if (!await SubscriptionStore.ExistsAsync(scope, subscriptionId, cancellationToken))
        {
            return null;
        }

        await using var redeliver = scope.Command("""
            WITH chosen AS (
                SELECT e.id, e.type, e.resource_key FROM events e JOIN subscriptions s ON s.id = $2 AND e.type = ANY(s.event_types)
                WHERE e.tenant_id = $1 AND e.received_at >= $3 AND e.received_at < $4
            ), reset AS (
                UPDATE deliveries d SET status = 'pending', next_attempt_at = now(), first_attempt_at = NULL, completed_at = NULL
                FROM chosen WHERE d.subscription_id = $2 AND d.event_id = chosen.id AND (NOT $5 OR d.status = 'failed') AND d.status <> 'pending'
                RETURNING d.id
            ), made AS (
                INSERT INTO deliveries (id, tenant_id, subscription_id, event_id, event_type, resource_key)
                SELECT gen_random_uuid(), $1, $2, chosen.id, chosen.type, chosen.resource_key FROM chosen ORDER BY chosen.id
                ON CONFLICT (subscription_id, event_id) DO NOTHING
                RETURNING id
            )
            SELECT (SELECT count(*) FROM reset) + (SELECT count(*) FROM made)
            """);
        redeliver.Parameters.Add(new() { Value = identity.TenantId });
        redeliver.Parameters.Add(new() { Value = subscriptionId });
        redeliver.Parameters.Add(new() { Value = since });
        redeliver.Parameters.Add(new() { Value = until });
        redeliver.Parameters.Add(new() { Value = onlyFailed });
        var count = Convert.ToInt32(await redeliver.ExecuteScalarAsync(cancellationToken), System.Globalization.CultureInfo.InvariantCulture);
        await AuditLog.WriteAsync(scope, identity.Assertion.Subject, "deliveries.redelivered", subscriptionId,
            $"{count} deliveries of events received from {since:u} to {until:u}{(onlyFailed ? ", failed ones only" : "")}", cancellationToken);
        await SubscriptionStore.Notify(scope, cancellationToken);
        await scope.CommitAsync(cancellationToken);
        return count;
    }

    private static DeliveryView ReadView(NpgsqlDataReader reader) => new(reader.GetGuid(0), reader.GetGuid(1), reader.GetString(2), reader.GetString(3), reader.GetString(4),
        reader.GetInt32(5), reader.GetFieldValue<DateTimeOffset>(6), reader.IsDBNull(7) ? null : reader.GetFieldValue<DateTimeOffset>(7),
        reader.IsDBNull(8) ? null : reader.GetInt32(8), reader.IsDBNull(9) ? null : reader.GetString(9), reader.IsDBNull(10) ? null : reader.GetFieldValue<DateTimeOffset>(10),
        reader.IsDBNull(11) ? null : reader.GetFieldValue<DateTimeOffset>(11));

    private static async Task<bool> DeliveryExistsAsync(Hosting.Data.TenantScope scope, Guid subscriptionId, Guid deliveryId, CancellationToken cancellationToken)
    {
        await using var query = scope.Command("SELECT 1 FROM deliveries WHERE tenant_id = $1 AND subscription_id = $2 AND id = $3");
        query.Parameters.Add(new() { Value = scope.TenantId });
        query.Parameters.Add(new() { Value = subscriptionId });
        query.Parameters.Add(new() { Value = deliveryId });
        return await query.ExecuteScalarAsync(cancellationToken) is not null;
    }
}
