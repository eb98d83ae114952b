using MachCommerce.Webhooks.Audit;
using MachCommerce.Webhooks.Dispatch;

namespace MachCommerce.Webhooks.Subscriptions;

/// <summary>A tenant's subscriptions in the webhooks schema, each change written with its audit entry in one transaction.</summary>
public sealed class SubscriptionStore(WebhooksDatabase database)
{
    private const string Columns = "id, url, event_types, description, active, disabled_reason, created_at, updated_at, version, previous_secret_expires_at";

    public async Task<SubscriptionWithSecret> CreateAsync(RequestIdentity identity, string url, IReadOnlyList<string> eventTypes, string description, bool active,
        CancellationToken cancellationToken)
    {
        var secret = WebhookSignature.NewSecret();
        await using var scope = await database.BeginAsync(identity, cancellationToken);
        await using var insert = scope.Command($"""
            INSERT INTO subscriptions (id, tenant_id, url, event_types, description, active, secret, created_by)
            VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING {Columns}
            """);
        insert.Parameters.Add(new() { Value = Guid.CreateVersion7() });
        insert.Parameters.Add(new() { Value = identity.TenantId });
        insert.Parameters.Add(new() { Value = url });
        insert.Parameters.Add(new() { Value = eventTypes.ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text });
        insert.Parameters.Add(new() { Value = description });
        insert.Parameters.Add(new() { Value = active });
        insert.Parameters.Add(new() { Value = secret });
        insert.Parameters.Add(new() { Value = identity.Assertion.Subject });
        var view = (await ReadAsync(insert, cancellationToken))[0];
        await AuditLog.WriteAsync(scope, identity.Assertion.Subject, "subscription.created", view.Id, $"{url} for {string.Join(", ", eventTypes)}", cancellationToken);
        await scope.CommitAsync(cancellationToken);
        return new SubscriptionWithSecret(view, secret);
    }

    public async Task<(IReadOnlyList<SubscriptionView> Page, string? Next)> ListAsync(RequestIdentity identity, Guid? after, int limit, CancellationToken cancellationToken)
    {
        await using var scope = await database.BeginAsync(identity, cancellationToken);
        await using var query = scope.Command($"SELECT {Columns} FROM subscriptions WHERE tenant_id = $1 AND ($2::uuid IS NULL OR id > $2) ORDER BY id LIMIT $3");
        query.Parameters.Add(new() { Value = identity.TenantId });
        query.Parameters.Add(new() { Value = (object?)after ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Uuid });
        query.Parameters.Add(new() { Value = limit + 1 });
        var rows = await ReadAsync(query, cancellationToken);
        return rows.Count > limit ? (rows.Take(limit).ToList(), rows[limit - 1].Id.ToString()) : (rows, null);
    }

    public async Task<SubscriptionView?> GetAsync(RequestIdentity identity, Guid id, CancellationToken cancellationToken)
    {
        await using var scope = await database.BeginAsync(identity, cancellationToken);
        await using var query = scope.Command($"SELECT {Columns} FROM subscriptions WHERE tenant_id = $1 AND id = $2");
        query.Parameters.Add(new() { Value = identity.TenantId });
        query.Parameters.Add(new() { Value = id });
        return (await ReadAsync(query, cancellationToken)).FirstOrDefault();
    }

    public enum ReplaceOutcome { Replaced, NotFound, Stale }

    /// <param name="expectedVersion">From If-Match; null replaces whatever version is there.</param>
    public async Task<(ReplaceOutcome Outcome, SubscriptionView? View)> ReplaceAsync(RequestIdentity identity, Guid id, int? expectedVersion, string url,
        IReadOnlyList<string> eventTypes, string description, bool active, CancellationToken cancellationToken)
    {
        await using var scope = await database.BeginAsync(identity, cancellationToken);
        await using var update = scope.Command($"""
            UPDATE subscriptions SET url = $3, event_types = $4, description = $5, active = $6,
                disabled_reason = CASE WHEN $6 THEN NULL ELSE disabled_reason END, updated_at = now(), version = version + 1
            WHERE tenant_id = $1 AND id = $2 AND ($7::int IS NULL OR version = $7)
            RETURNING {Columns}
            """);
        update.Parameters.Add(new() { Value = identity.TenantId });
        update.Parameters.Add(new() { Value = id });
        update.Parameters.Add(new() { Value = url });
        update.Parameters.Add(new() { Value = eventTypes.ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text });
        update.Parameters.Add(new() { Value = description });
        update.Parameters.Add(new() { Value = active });
        update.Parameters.Add(new() { Value = (object?)expectedVersion ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Integer });
        if ((await ReadAsync(update, cancellationToken)).FirstOrDefault() is not { } view)
        {
            return (await ExistsAsync(scope, id, cancellationToken) ? ReplaceOutcome.Stale : ReplaceOutcome.NotFound, null);
        }

        await AuditLog.WriteAsync(scope, identity.Assertion.Subject, "subscription.changed", id,
            $"{url} for {string.Join(", ", eventTypes)}, {(active ? "active" : "paused")}", cancellationToken);
        if (active)
        {
            await Notify(scope, cancellationToken); // pending deliveries of a switched-on subscription go now
        }

        await scope.CommitAsync(cancellationToken);
        return (ReplaceOutcome.Replaced, view);
    }

    public async Task<bool> DeleteAsync(RequestIdentity identity, Guid id, CancellationToken cancellationToken)
    {
        await using var scope = await database.BeginAsync(identity, cancellationToken);
        await using var delete = scope.Command("DELETE FROM subscriptions WHERE tenant_id = $1 AND id = $2 RETURNING url");
        delete.Parameters.Add(new() { Value = identity.TenantId });
        delete.Parameters.Add(new() { Value = id });
        if (await delete.ExecuteScalarAsync(cancellationToken) is not string url)
        {
            return false;
        }

        await AuditLog.WriteAsync(scope, identity.Assertion.Subject, "subscription.deleted", id, url, cancellationToken);
        await scope.CommitAsync(cancellationToken);
        return true;
    }

    /// <summary>A new secret signs from now on; the old one signs beside it until <paramref name="overlap"/> has passed.</summary>
    public async Task<SubscriptionWithSecret?> RotateSecretAsync(RequestIdentity identity, Guid id, TimeSpan overlap, CancellationToken cancellationToken)
    {
        var secret = WebhookSignature.NewSecret();
        await using var scope = await database.BeginAsync(identity, cancellationToken);
        await using var update = scope.Command($"""
            UPDATE subscriptions SET previous_secret = CASE WHEN $4 > interval '0' THEN secret END,
                previous_secret_expires_at = CASE WHEN $4 > interval '0' THEN now() + $4 END,
                secret = $3, updated_at = now(), version = version + 1
            WHERE tenant_id = $1 AND id = $2
            RETURNING {Columns}
            """);
        update.Parameters.Add(new() { Value = identity.TenantId });
        update.Parameters.Add(new() { Value = id });
        update.Parameters.Add(new() { Value = secret });
        update.Parameters.Add(new() { Value = overlap });
        if ((await ReadAsync(update, cancellationToken)).FirstOrDefault() is not { } view)
        {
            return null;
        }

        await AuditLog.WriteAsync(scope, identity.Assertion.Subject, "subscription.secret_rotated", id,
            overlap > TimeSpan.Zero ? $"previous secret signs until {view.PreviousSecretExpiresAt:u}" : "previous secret ended at once", cancellationToken);
        await scope.CommitAsync(cancellationToken);
        return new SubscriptionWithSecret(view, secret);
    }

    internal static async Task Notify(Hosting.Data.TenantScope scope, CancellationToken cancellationToken)
    {
        await using var notify = scope.Command($"NOTIFY {WebhooksDatabase.DeliveriesChannel}");
        await notify.ExecuteNonQueryAsync(cancellationToken);
    }

    internal static async Task<bool> ExistsAsync(Hosting.Data.TenantScope scope, Guid id, CancellationToken cancellationToken)
    {
        await using var query = scope.Command("SELECT 1 FROM subscriptions WHERE tenant_id = $1 AND id = $2");
        query.Parameters.Add(new() { Value = scope.TenantId });
        query.Parameters.Add(new() { Value = id });
        return await query.ExecuteScalarAsync(cancellationToken) is not null;
    }

    private static async Task<List<SubscriptionView>> ReadAsync(NpgsqlCommand command, CancellationToken cancellationToken)
    {
        var views = new List<SubscriptionView>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            views.Add(new SubscriptionView(reader.GetGuid(0), reader.GetString(1), reader.GetFieldValue<string[]>(2), reader.GetString(3), reader.GetBoolean(4),
                reader.IsDBNull(5) ? null : reader.GetString(5), reader.GetFieldValue<DateTimeOffset>(6), reader.GetFieldValue<DateTimeOffset>(7), reader.GetInt32(8),
                reader.IsDBNull(9) ? null : reader.GetFieldValue<DateTimeOffset>(9)));
        }

        return views;
    }
}
