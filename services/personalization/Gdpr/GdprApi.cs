using MachCommerce.Contracts.Gdpr.V1;
using MachCommerce.Personalization.Subjects;

namespace MachCommerce.Personalization.Gdpr;

/// <summary>
/// This service's part of GDPR: its share of a profile's export (Art. 15/20), served to the profiles service, and
/// erasure (Art. 17) on ErasureRequested, confirmed with ErasureConfirmed in the same transaction as the deletion.
/// </summary>
internal static class GdprApi
{
    public const string ServiceName = "personalization";

    public static void MapGdprApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/gdpr/profiles/{profileId:guid}/export", Export).WithTags("GDPR").RequireScope(Scopes.GdprExport).WithName("ExportProfile");
    }

    private static async Task<Ok<JsonObject>> Export(Guid profileId, RequestIdentity identity, PersonalizationDatabase database, CancellationToken cancellationToken)
    {
        await using var db = await database.BeginAsync(identity.TenantId, cancellationToken);
        var keys = await SubjectStore.KeysOfProfileAsync(db.Transaction, identity.TenantId, profileId, [], cancellationToken);
        var export = new JsonObject
        {
            ["profileId"] = profileId,
            ["profile"] = await QueryAsync(db.Transaction,
                "SELECT kind, customer_group AS \"customerGroup\", locale, traits, consent AS \"personalizationConsent\", consent_at AS \"consentRecordedAt\" FROM profiles WHERE tenant_id = $1 AND profile_id = $2",
                identity.TenantId, profileId, cancellationToken),
            ["visitorIds"] = new JsonArray([.. keys.Where(k => k.StartsWith("v:", StringComparison.Ordinal)).Select(k => (JsonNode)k[2..])]),
            ["models"] = await QueryAsync(db.Transaction, "SELECT subject_key AS \"subjectKey\", model, updated_at AS \"updatedAt\" FROM subject_models WHERE tenant_id = $1 AND subject_key = ANY($2)",
                identity.TenantId, keys, cancellationToken),
            ["events"] = await QueryAsync(db.Transaction, """
                SELECT event_id AS id, type, occurred_at AS "occurredAt", channel, placement, visitor_id AS "visitorId", product_id AS "productId",
                       category_id AS "categoryId", quantity, price, query, offer_id AS "offerId"
                FROM events WHERE tenant_id = $1 AND subject_key = ANY($2) ORDER BY occurred_at
                """, identity.TenantId, keys, cancellationToken),
            ["offersShown"] = await QueryAsync(db.Transaction, "SELECT offer_id AS \"offerId\", decision_id AS \"decisionId\", shown_at AS \"shownAt\" FROM impressions WHERE tenant_id = $1 AND subject_key = ANY($2) ORDER BY shown_at",
                identity.TenantId, keys, cancellationToken),
            ["experiments"] = await QueryAsync(db.Transaction, """
                SELECT experiment_id AS "experimentId", variant, first_exposed_at AS "firstExposedAt", impressions, clicked_at AS "clickedAt", converted_at AS "convertedAt",
                       redeemed_at AS "redeemedAt", orders, revenue, pre_revenue AS "spentBeforeExposure"
                FROM exposures WHERE tenant_id = $1 AND subject_key = ANY($2) AND experiment_id <> '00000000-0000-0000-0000-000000000000'
                """, identity.TenantId, keys, cancellationToken),
            // The global holdout: whether the customer is in the group that sees no personalization, since when.
            ["holdout"] = await QueryAsync(db.Transaction, """
                SELECT variant = 'holdout' AS "inHoldout", first_exposed_at AS "since", orders, revenue
                FROM exposures WHERE tenant_id = $1 AND subject_key = ANY($2) AND experiment_id = '00000000-0000-0000-0000-000000000000'
                """, identity.TenantId, keys, cancellationToken),
        };
        return TypedResults.Ok(export);
    }

    /// <summary>Rows as JSON objects, built by PostgreSQL itself (the export is read once; clarity beats speed here).</summary>
    private static async Task<JsonNode> QueryAsync(NpgsqlTransaction transaction, string sql, string tenantId, object key, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand($"SELECT coalesce(json_agg(row_to_json(r)), '[]')::text FROM ({sql}) r", transaction.Connection, transaction);
        command.Parameters.Add(new() { Value = tenantId });
        command.Parameters.Add(new() { Value = key });
        return JsonNode.Parse((string)(await command.ExecuteScalarAsync(cancellationToken))!)!;
    }

    /// <summary>Deletes everything about the profile and its visitor ids, and confirms in the same transaction.</summary>
    public static async Task EraseAsync(InboxContext context, ErasureRequested request, CancellationToken cancellationToken)
    {
        var transaction = context.Transaction;
        var keys = await SubjectStore.KeysOfProfileAsync(transaction, request.TenantId, request.ProfileId, request.VisitorIds, cancellationToken);
        await SubjectStore.ForgetAsync(transaction, request.TenantId, keys, cancellationToken);
        await using (var batch = new NpgsqlBatch(transaction.Connection, transaction))
        {
            batch.BatchCommands.Add(new NpgsqlBatchCommand("DELETE FROM visitors WHERE tenant_id = $1 AND (profile_id = $2 OR visitor_id = ANY($3))")
            {
                Parameters = { new() { Value = request.TenantId }, new() { Value = request.ProfileId }, new() { Value = request.VisitorIds.ToArray() } },
            });
            batch.BatchCommands.Add(new NpgsqlBatchCommand("DELETE FROM profiles WHERE tenant_id = $1 AND profile_id = $2")
            {
                Parameters = { new() { Value = request.TenantId }, new() { Value = request.ProfileId } },
            });
            await batch.ExecuteNonQueryAsync(cancellationToken);
        }

        await context.Outbox.AddAsync(transaction, new ErasureConfirmed
        {
            TenantId = request.TenantId, OccurredAt = DateTimeOffset.UtcNow, ErasureId = request.ErasureId, Service = ServiceName,
        }, request.ProfileId.ToString(), cancellationToken);
    }
}

internal sealed class ErasureRequestHandler : IInboxHandler<ErasureRequested>
{
    public async Task HandleAsync(ErasureRequested message, InboxContext context, CancellationToken cancellationToken)
    {
        await PersonalizationDatabase.EnterAsync(context.Transaction, message.TenantId, cancellationToken);
        await GdprApi.EraseAsync(context, message, cancellationToken);
    }
}
