using MachCommerce.Personalization.Experiments;

namespace MachCommerce.Personalization.Subjects;

/// <summary>Reads, writes and forgets subject models and everything that names a subject.</summary>
internal static class SubjectStore
{
    public static string ProfileKey(Guid profileId) => "p:" + profileId.ToString("N");

    public static string VisitorKey(string visitorId) => "v:" + visitorId;

    /// <summary>Locks the rows in key order, so two batches touching the same subjects cannot deadlock.</summary>
    public static async Task<Dictionary<string, SubjectModel>> LoadForUpdateAsync(NpgsqlTransaction transaction, string tenantId, IReadOnlyCollection<string> keys, CancellationToken cancellationToken)
    {
        var models = new Dictionary<string, SubjectModel>(StringComparer.Ordinal);
        if (keys.Count == 0)
        {
            return models;
        }

        await using var command = new NpgsqlCommand(
            "SELECT subject_key, model::text FROM subject_models WHERE tenant_id = $1 AND subject_key = ANY($2) ORDER BY subject_key FOR UPDATE",
            transaction.Connection, transaction);
        command.Parameters.Add(new() { Value = tenantId });
        command.Parameters.Add(new() { Value = keys.Order(StringComparer.Ordinal).ToArray() });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            models[reader.GetString(0)] = SubjectModel.FromJson(reader.GetString(1));
        }

        return models;
    }

    public static async Task SaveAsync(NpgsqlTransaction transaction, string tenantId, IReadOnlyList<(string Key, Guid? ProfileId, SubjectModel Model)> models, CancellationToken cancellationToken)
    {
        if (models.Count == 0)
        {
            return;
        }

        await using var command = new NpgsqlCommand("""
            INSERT INTO subject_models (tenant_id, subject_key, profile_id, model)
            SELECT $1, k, p, m FROM unnest($2::text[], $3::uuid[], $4::jsonb[]) AS u(k, p, m)
            ON CONFLICT (tenant_id, subject_key) DO UPDATE SET model = excluded.model, profile_id = excluded.profile_id, updated_at = now()
            """, transaction.Connection, transaction);
        command.Parameters.Add(new() { Value = tenantId });
        command.Parameters.Add(new() { Value = models.Select(m => m.Key).ToArray() });
        command.Parameters.Add(new() { Value = models.Select(m => m.ProfileId).ToArray() });
        command.Parameters.Add(new() { Value = models.Select(m => m.Model.ToJson()).ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Jsonb });
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>
    /// Deletes every trace of the subjects: their models, what was shown to them and their experiment exposures;
    /// their events stay only as anonymous statistics (who and what they searched for is cleared). When the subjects
    /// withdrew their consent, each experiment they were in first counts that anonymously (its guardrail metric).
    /// </summary>
    public static async Task ForgetAsync(NpgsqlTransaction transaction, string tenantId, string[] subjectKeys, CancellationToken cancellationToken, bool consentWithdrawn = false)
    {
        var batch = new NpgsqlBatch(transaction.Connection, transaction);
        if (consentWithdrawn)
        {
            batch.BatchCommands.Add(ExperimentData.CountWithdrawals(tenantId, subjectKeys));
        }

        foreach (var sql in new[]
        {
            "DELETE FROM subject_models WHERE tenant_id = $1 AND subject_key = ANY($2)",
            "DELETE FROM impressions WHERE tenant_id = $1 AND subject_key = ANY($2)",
            "DELETE FROM exposures WHERE tenant_id = $1 AND subject_key = ANY($2)",
            "UPDATE events SET subject_key = NULL, visitor_id = NULL, profile_id = NULL, query = NULL WHERE tenant_id = $1 AND subject_key = ANY($2)",
        })
        {
            var command = new NpgsqlBatchCommand(sql);
            command.Parameters.Add(new() { Value = tenantId });
            command.Parameters.Add(new() { Value = subjectKeys });
            batch.BatchCommands.Add(command);
        }

        await using (batch)
        {
            await batch.ExecuteNonQueryAsync(cancellationToken);
        }
    }

    /// <summary>The profile's key and those of every visitor id linked to it.</summary>
    public static async Task<string[]> KeysOfProfileAsync(NpgsqlTransaction transaction, string tenantId, Guid profileId, IEnumerable<string> moreVisitorIds, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand("SELECT visitor_id FROM visitors WHERE tenant_id = $1 AND profile_id = $2", transaction.Connection, transaction);
        command.Parameters.Add(new() { Value = tenantId });
        command.Parameters.Add(new() { Value = profileId });
        var visitorIds = new HashSet<string>(moreVisitorIds, StringComparer.Ordinal);
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                visitorIds.Add(reader.GetString(0));
            }
        }

        return [ProfileKey(profileId), .. visitorIds.Select(VisitorKey)];
    }

    /// <summary>
    /// Folds an anonymous visitor's model, events, impressions and exposures into the profile's (both consenting).
    /// An experiment the profile already takes part in keeps the profile's variant.
    /// </summary>
    public static async Task MergeVisitorIntoProfileAsync(NpgsqlTransaction transaction, string tenantId, string visitorId, Guid profileId, TimeSpan halfLife, CancellationToken cancellationToken)
    {
        var visitorKey = VisitorKey(visitorId);
        var profileKey = ProfileKey(profileId);
        var models = await LoadForUpdateAsync(transaction, tenantId, [visitorKey, profileKey], cancellationToken);
        if (models.TryGetValue(visitorKey, out var visitorModel))
        {
            var profileModel = models.GetValueOrDefault(profileKey) ?? new SubjectModel();
            profileModel.Merge(visitorModel, halfLife);
            await SaveAsync(transaction, tenantId, [(profileKey, profileId, profileModel)], cancellationToken);
        }

        var batch = new NpgsqlBatch(transaction.Connection, transaction);
        foreach (var sql in new[]
        {
            "DELETE FROM subject_models WHERE tenant_id = $1 AND subject_key = $2",
            "UPDATE events SET subject_key = $3, profile_id = $4 WHERE tenant_id = $1 AND subject_key = $2",
            "UPDATE impressions SET subject_key = $3 WHERE tenant_id = $1 AND subject_key = $2",
            "DELETE FROM exposures v WHERE tenant_id = $1 AND subject_key = $2 AND EXISTS (SELECT 1 FROM exposures p WHERE p.tenant_id = $1 AND p.subject_key = $3 AND p.experiment_id = v.experiment_id)",
            "UPDATE exposures SET subject_key = $3 WHERE tenant_id = $1 AND subject_key = $2",
        })
        {
            var command = new NpgsqlBatchCommand(sql);
            command.Parameters.Add(new() { Value = tenantId });
            command.Parameters.Add(new() { Value = visitorKey });
            command.Parameters.Add(new() { Value = profileKey });
            command.Parameters.Add(new() { Value = profileId });
            batch.BatchCommands.Add(command);
        }

        await using (batch)
        {
            await batch.ExecuteNonQueryAsync(cancellationToken);
        }
    }
}
