using MachCommerce.Personalization.Definitions;
using MachCommerce.Personalization.Experiments;
using MachCommerce.Personalization.Offers;

namespace MachCommerce.Personalization.CentralCampaigns;

/// <summary>A central campaign as stored in the cooperative's central tenant.</summary>
internal sealed record StoredCampaign(string CentralTenant, Guid Id, string Name, string Status, JsonObject Offer, CampaignLimits Limits, bool Measure, int Version,
    DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt)
{
    /// <summary>The cooperative's offer with one member's adjustments: what the member's copy is.</summary>
    public OfferInput OfferFor(CampaignAdjustments adjustments)
    {
        var offer = DefinitionStore.FromJson<OfferInput>(Offer);
        return offer with
        {
            Name = Name,
            Status = adjustments.Status ?? "active",
            Incentive = adjustments.Incentive is { } incentive && offer.Incentive is { } central
                ? central with { Value = incentive.Value ?? central.Value, Code = incentive.Code ?? central.Code }
                : offer.Incentive,
            Priority = adjustments.Priority ?? offer.Priority,
            Content = adjustments.Content ?? offer.Content,
            FrequencyCap = adjustments.FrequencyCap ?? offer.FrequencyCap,
        };
    }
}

/// <summary>A member shop's part in a campaign, as stored in its own rows.</summary>
internal sealed record Participation(string TenantId, string CentralTenant, Guid CampaignId, Guid OfferId, Guid? ExperimentId, CampaignAdjustments Adjustments,
    string? Note, DateTimeOffset JoinedAt)
{
    public CampaignParticipationView View() => new(TenantId, OfferId, ExperimentId, Adjustments, JoinedAt, Note);
}

/// <summary>
/// Writes a campaign into member shops: each member's copy is its own offer (so its decisions, frequency caps,
/// statistics and GDPR erasure treat it as the shop's), rebuilt from the cooperative's offer and the member's
/// adjustments whenever either changes. All members in one transaction, each under its own row-level security.
/// </summary>
internal sealed class CampaignRollout(IEventOutbox outbox)
{
    /// <summary>The experiment a measured campaign runs in each member shop: the offer's placement with offers against none.</summary>
    public const string WithOffer = Api.Personalization.Assignment.CampaignWithOffer, WithoutOffer = Api.Personalization.Assignment.CampaignWithoutOffer;

    /// <summary>
    /// Makes the member's copy what it should be (creating it and, for a measured campaign, its experiment at the
    /// first opt-in). Field errors use the adjustments' own paths. The transaction must be working for the member.
    /// </summary>
    public static async Task<(Participation? Participation, string? Conflict)> WriteAsync(NpgsqlTransaction transaction, string member, StoredCampaign campaign, Participation? existing,
        CampaignAdjustments adjustments, FieldErrors errors, CancellationToken cancellationToken)
    {
        var input = campaign.OfferFor(adjustments);
        var context = new DefinitionContext(transaction, member, errors, null);
        if (await OffersApi.ValidateAsync(input, context) is not { } valid)
        {
            return (null, null);
        }

        valid.Definition[OfferModel.CentralMark] = new JsonObject { ["campaignId"] = campaign.Id, ["cooperative"] = campaign.CentralTenant };
        if (existing is not null)
        {
            return await DefinitionStore.UpdateAsync(transaction, OfferModel.Table, member, existing.OfferId, valid, cancellationToken) is { } taken
                ? (null, taken)
                : (await SaveAsync(transaction, existing with { Adjustments = adjustments }, cancellationToken), null);
        }

        var offerId = Guid.CreateVersion7();
        if (await DefinitionStore.InsertAsync(transaction, OfferModel.Table, member, offerId, valid, cancellationToken) is { } conflict)
        {
            return (null, $"{conflict} Rename your offer \"{campaign.Name}\" to take part.");
        }

        var (experimentId, note) = campaign.Measure ? await StartExperimentAsync(transaction, member, campaign, input.Placements![0], cancellationToken) : (null, null);
        return (await SaveAsync(transaction, new Participation(member, campaign.CentralTenant, campaign.Id, offerId, experimentId, adjustments, note, DateTimeOffset.UtcNow),
            cancellationToken), null);
    }

    /// <summary>Takes the campaign out of the member shop: its copy goes, its experiment stops (its report stays).</summary>
    public async Task LeaveAsync(NpgsqlTransaction transaction, Participation participation, CancellationToken cancellationToken)
    {
        await DefinitionStore.DeleteAsync(transaction, OfferModel.Table, participation.TenantId, participation.OfferId, cancellationToken);
        if (participation.ExperimentId is { } experiment)
        {
            await ExperimentsApi.ChangeStatusAsync(transaction, participation.TenantId, experiment, outbox, "running", "stopped", "stoppedAt", cancellationToken);
        }

        await using var delete = new NpgsqlCommand("DELETE FROM central_participations WHERE tenant_id = $1 AND campaign_id = $2", transaction.Connection, transaction);
        delete.Parameters.Add(new() { Value = participation.TenantId });
        delete.Parameters.Add(new() { Value = participation.CampaignId });
        await delete.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>
    /// Starts the member's experiment on the campaign's placement; where another experiment runs there the member
    /// takes part without one and the note says why (visitors can be in one experiment of a placement only).
    /// </summary>
    private static async Task<(Guid?, string?)> StartExperimentAsync(NpgsqlTransaction transaction, string member, StoredCampaign campaign, string placement,
        CancellationToken cancellationToken)
    {
        if (await ExperimentsApi.RunningOnAsync(transaction, member, placement, cancellationToken) is { } running)
        {
            return (null, $"Not measured: the shop's experiment \"{running}\" runs on {placement}; stop it and join again to measure the campaign.");
        }

        var now = DateTimeOffset.UtcNow;
        var id = Guid.CreateVersion7();
        // Four in five visitors see the offer; the fifth sees none on that placement, which is what the offer is measured against.
        var definition = new JsonObject
        {
            ["description"] = $"Cooperative campaign \"{campaign.Name}\": the offer against no offer on {placement}.",
            ["placement"] = placement,
            ["variants"] = new JsonArray(
                new JsonObject { ["key"] = WithoutOffer, ["strategy"] = "holdout", ["weight"] = 1 },
                new JsonObject { ["key"] = WithOffer, ["strategy"] = "personalized", ["weight"] = 4 }),
            ["controlVariant"] = WithoutOffer,
            ["attributionWindowHours"] = 168,
            ["primaryMetric"] = ExperimentReport.RevenuePerSubject,
            ["centralCampaignId"] = campaign.Id,
            ["startedAt"] = now,
        };
        var name = $"{campaign.Name} (Verbund, {now:yyyy-MM-dd HH:mm:ss})";
        await DefinitionStore.InsertAsync(transaction, ExperimentModel.Table, member, id, new ValidDefinition(name, "running", definition), cancellationToken);
        return (id, null);
    }

    private static async Task<Participation> SaveAsync(NpgsqlTransaction transaction, Participation participation, CancellationToken cancellationToken)
    {
        await using var upsert = new NpgsqlCommand("""
            INSERT INTO central_participations (tenant_id, central_tenant, campaign_id, offer_id, experiment_id, adjustments, note, joined_at)
            VALUES ($1, $2, $3, $4, $5, $6::jsonb, $7, $8)
            ON CONFLICT (tenant_id, campaign_id) DO UPDATE SET adjustments = EXCLUDED.adjustments
            """, transaction.Connection, transaction);
        upsert.Parameters.Add(new() { Value = participation.TenantId });
        upsert.Parameters.Add(new() { Value = participation.CentralTenant });
        upsert.Parameters.Add(new() { Value = participation.CampaignId });
        upsert.Parameters.Add(new() { Value = participation.OfferId });
        upsert.Parameters.Add(new() { Value = (object?)participation.ExperimentId ?? DBNull.Value, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Uuid });
        upsert.Parameters.Add(new() { Value = DefinitionStore.ToJsonObject(participation.Adjustments).ToJsonString() });
        upsert.Parameters.Add(new() { Value = (object?)participation.Note ?? DBNull.Value, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Text });
        upsert.Parameters.Add(new() { Value = participation.JoinedAt });
        await upsert.ExecuteNonQueryAsync(cancellationToken);
        return participation;
    }
}
