using MachCommerce.Personalization.Definitions;

namespace MachCommerce.Personalization.CentralCampaigns;

/// <summary>The SQL of central campaigns and of the members' parts in them.</summary>
internal static class CampaignStore
{
    private const string Columns = "tenant_id, id, name, status, offer::text, limits::text, measure, version, created_at, updated_at";
    private const string ParticipationColumns = "tenant_id, central_tenant, campaign_id, offer_id, experiment_id, adjustments::text, note, joined_at";

    /// <param name="lockMode">FOR UPDATE for a change that reaches the members, FOR SHARE for a member joining (it waits for such a change).</param>
    public static async Task<StoredCampaign?> FindAsync(NpgsqlTransaction transaction, string centralTenant, Guid id, CancellationToken cancellationToken, string lockMode = "")
    {
        await using var command = new NpgsqlCommand($"SELECT {Columns} FROM central_campaigns WHERE tenant_id = $1 AND id = $2 {lockMode}", transaction.Connection, transaction);
        command.Parameters.Add(new() { Value = centralTenant });
        command.Parameters.Add(new() { Value = id });
        return (await ReadCampaignsAsync(command, cancellationToken)).FirstOrDefault();
    }

    public static async Task<List<StoredCampaign>> ListAsync(NpgsqlTransaction transaction, string centralTenant, bool publishedOnly, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand($"SELECT {Columns} FROM central_campaigns WHERE tenant_id = $1 AND (NOT $2 OR status = 'published') ORDER BY created_at DESC, id",
            transaction.Connection, transaction);
        command.Parameters.Add(new() { Value = centralTenant });
        command.Parameters.Add(new() { Value = publishedOnly });
        return await ReadCampaignsAsync(command, cancellationToken);
    }

    public static async Task<bool> NameTakenAsync(NpgsqlTransaction transaction, string centralTenant, string name, Guid? other, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand("SELECT 1 FROM central_campaigns WHERE tenant_id = $1 AND name = $2 AND id IS DISTINCT FROM $3", transaction.Connection, transaction);
        command.Parameters.Add(new() { Value = centralTenant });
        command.Parameters.Add(new() { Value = name });
        command.Parameters.Add(new() { Value = (object?)other ?? DBNull.Value, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Uuid });
        return await command.ExecuteScalarAsync(cancellationToken) is not null;
    }

    public static async Task InsertAsync(NpgsqlTransaction transaction, string centralTenant, Guid id, string name, JsonObject offer, CampaignLimits limits, bool measure,
        CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand("""
            INSERT INTO central_campaigns (tenant_id, id, name, status, offer, limits, measure) VALUES ($1, $2, $3, 'draft', $4::jsonb, $5::jsonb, $6)
            """, transaction.Connection, transaction);
        command.Parameters.Add(new() { Value = centralTenant });
        command.Parameters.Add(new() { Value = id });
        command.Parameters.Add(new() { Value = name });
        command.Parameters.Add(new() { Value = offer.ToJsonString() });
        command.Parameters.Add(new() { Value = DefinitionStore.ToJsonObject(limits).ToJsonString() });
        command.Parameters.Add(new() { Value = measure });
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public static async Task UpdateAsync(NpgsqlTransaction transaction, StoredCampaign campaign, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand("""
            UPDATE central_campaigns SET name = $3, status = $4, offer = $5::jsonb, limits = $6::jsonb, measure = $7, version = version + 1, updated_at = now()
             WHERE tenant_id = $1 AND id = $2
            """, transaction.Connection, transaction);
        command.Parameters.Add(new() { Value = campaign.CentralTenant });
        command.Parameters.Add(new() { Value = campaign.Id });
        command.Parameters.Add(new() { Value = campaign.Name });
        command.Parameters.Add(new() { Value = campaign.Status });
        command.Parameters.Add(new() { Value = campaign.Offer.ToJsonString() });
        command.Parameters.Add(new() { Value = DefinitionStore.ToJsonObject(campaign.Limits).ToJsonString() });
        command.Parameters.Add(new() { Value = campaign.Measure });
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public static async Task DeleteAsync(NpgsqlTransaction transaction, StoredCampaign campaign, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand("DELETE FROM central_campaigns WHERE tenant_id = $1 AND id = $2", transaction.Connection, transaction);
        command.Parameters.Add(new() { Value = campaign.CentralTenant });
        command.Parameters.Add(new() { Value = campaign.Id });
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>The member's own part in the campaign (the transaction working for the member).</summary>
    public static async Task<Participation?> ParticipationAsync(NpgsqlTransaction transaction, string member, Guid campaignId, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand($"SELECT {ParticipationColumns} FROM central_participations WHERE tenant_id = $1 AND campaign_id = $2 FOR UPDATE",
            transaction.Connection, transaction);
        command.Parameters.Add(new() { Value = member });
        command.Parameters.Add(new() { Value = campaignId });
        return (await ReadParticipationsAsync(command, cancellationToken)).FirstOrDefault();
    }

    /// <summary>Every member's part in the cooperative's campaigns (or in one), read outside row-level security by the central tenant.</summary>
    public static async Task<List<Participation>> ParticipationsAsync(NpgsqlTransaction transaction, string centralTenant, Guid? campaignId, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(
            $"SELECT {ParticipationColumns} FROM central_participations WHERE central_tenant = $1 AND ($2::uuid IS NULL OR campaign_id = $2) ORDER BY tenant_id",
            transaction.Connection, transaction);
        command.Parameters.Add(new() { Value = centralTenant });
        command.Parameters.Add(new() { Value = (object?)campaignId ?? DBNull.Value, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Uuid });
        return await ReadParticipationsAsync(command, cancellationToken);
    }

    private static async Task<List<StoredCampaign>> ReadCampaignsAsync(NpgsqlCommand command, CancellationToken cancellationToken)
    {
        var rows = new List<StoredCampaign>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            rows.Add(new StoredCampaign(reader.GetString(0), reader.GetGuid(1), reader.GetString(2), reader.GetString(3), JsonNode.Parse(reader.GetString(4))!.AsObject(),
                DefinitionStore.FromJson<CampaignLimits>(JsonNode.Parse(reader.GetString(5))!.AsObject()), reader.GetBoolean(6), reader.GetInt32(7),
                reader.GetFieldValue<DateTimeOffset>(8), reader.GetFieldValue<DateTimeOffset>(9)));
        }

        return rows;
    }

    private static async Task<List<Participation>> ReadParticipationsAsync(NpgsqlCommand command, CancellationToken cancellationToken)
    {
        var rows = new List<Participation>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            rows.Add(new Participation(reader.GetString(0), reader.GetString(1), reader.GetGuid(2), reader.GetGuid(3), reader.IsDBNull(4) ? null : reader.GetGuid(4),
                DefinitionStore.FromJson<CampaignAdjustments>(JsonNode.Parse(reader.GetString(5))!.AsObject()), reader.IsDBNull(6) ? null : reader.GetString(6),
                reader.GetFieldValue<DateTimeOffset>(7)));
        }

        return rows;
    }
}
