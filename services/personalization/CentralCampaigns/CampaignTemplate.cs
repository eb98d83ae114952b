using MachCommerce.Personalization.Definitions;
using MachCommerce.Personalization.Offers;

namespace MachCommerce.Personalization.CentralCampaigns;

/// <summary>A campaign that passed validation: the offer as the offers API stores one, the limits filled in.</summary>
internal sealed record ValidCampaign(string Name, JsonObject Offer, CampaignLimits Limits, bool Measure);

/// <summary>What a campaign may say, and what a member may change of it.</summary>
internal static class CampaignTemplate
{
    public static async Task<ValidCampaign?> ValidateAsync(CentralCampaignInput input, NpgsqlTransaction transaction, string centralTenant, FieldErrors errors)
    {
        var name = input.Name?.Trim();
        if (string.IsNullOrEmpty(name) || name.Length > 200)
        {
            errors.Add("name", "is required, at most 200 characters.");
        }

        if (input.Offer is not { } offer)
        {
            errors.Add("offer", "is required: the offer as the member shops will show it (placements, content, selection, incentive).");
            return null;
        }

        // Segments and categories are each member shop's own, with ids of their own: a campaign cannot name them.
        if (offer.Targeting?.SegmentIds is { Count: > 0 })
        {
            errors.Add("offer.targeting.segmentIds", "segments are each member shop's own; target the campaign with offer.targeting.conditions.");
        }

        if (offer.Selection?.CategoryIds is { Count: > 0 })
        {
            errors.Add("offer.selection.categoryIds", "category ids differ from member shop to member shop; select the campaign's products by brands or SKUs.");
        }

        var offerErrors = new FieldErrors();
        // The offer's name is the campaign's (checked above); its status is each member's.
        var valid = await OffersApi.ValidateAsync(offer with { Name = "campaign", Status = "active" }, new DefinitionContext(transaction, centralTenant, offerErrors, null));
        foreach (var (field, reasons) in offerErrors)
        {
            foreach (var reason in reasons)
            {
                errors.Add($"offer.{field}", reason);
            }
        }

        var limits = input.Limits ?? new CampaignLimits(null, null);
        var locked = limits.Locked ?? [];
        for (var i = 0; i < locked.Count; i++)
        {
            if (!CentralCampaignsApi.Adjustable.Contains(locked[i]))
            {
                errors.Add($"limits.locked[{i}]", $"'{locked[i]}' is not a field members may change; lock any of {string.Join(", ", CentralCampaignsApi.Adjustable)}.");
            }
        }

        if (limits.MaxIncentive is { } max)
        {
            if (offer.Incentive is not { Type: "percent" or "amount", Value: { } own })
            {
                errors.Add("limits.maxIncentive", "needs an offer.incentive of type percent or amount.");
            }
            else if (max < own)
            {
                errors.Add("limits.maxIncentive", $"must be at least the offer's own incentive ({own}).");
            }
            else if (offer.Incentive.Type == "percent" ? max > 100 : max > 10_000)
            {
                errors.Add("limits.maxIncentive", offer.Incentive.Type == "percent" ? "a percentage is at most 100." : "an amount off is at most 10000 EUR.");
            }
        }

        if (errors.Any || valid is null)
        {
            return null;
        }

        return new ValidCampaign(name!, valid.Definition, new CampaignLimits(limits.MaxIncentive ?? offer.Incentive?.Value, [.. locked.Distinct()]), input.Measure ?? true);
    }

    /// <summary>A member's adjustments against the campaign's limits (the offer's own rules are checked when the copy is written).</summary>
    public static void CheckAdjustments(CampaignAdjustments adjustments, StoredCampaign campaign, FieldErrors errors)
    {
        if (adjustments.Status is not (null or "active" or "paused"))
        {
            errors.Add("status", "must be active or paused.");
        }

        var locked = campaign.Limits.Locked ?? [];
        foreach (var (field, given) in Given(adjustments))
        {
            if (given && locked.Contains(field))
            {
                errors.Add(field, "is locked by your cooperative for this campaign.");
            }
        }

        var central = DefinitionStore.FromJson<OfferInput>(campaign.Offer).Incentive;
        if (adjustments.Incentive is not { } incentive || locked.Contains("incentive"))
        {
            return;
        }

        if (central is null)
        {
            errors.Add("incentive", "this campaign has no incentive to adjust.");
        }
        else if (incentive.Type is { } type && type != central.Type)
        {
            errors.Add("incentive.type", $"must stay {central.Type}, as your cooperative set it.");
        }
        else if (incentive.Value is { } value && campaign.Limits.MaxIncentive is { } max && value > max)
        {
            errors.Add("incentive.value", $"may be at most {max} (your cooperative's maximum).");
        }
    }

    /// <summary>
    /// The adjustments a changed campaign still allows: a field locked now is the cooperative's again, an incentive
    /// above a lowered maximum is capped to it.
    /// </summary>
    public static CampaignAdjustments Within(CampaignAdjustments adjustments, StoredCampaign campaign)
    {
        var locked = campaign.Limits.Locked ?? [];
        var central = DefinitionStore.FromJson<OfferInput>(campaign.Offer).Incentive;
        var incentive = locked.Contains("incentive") || central is null ? null : adjustments.Incentive;
        if (incentive is { Value: { } value } && campaign.Limits.MaxIncentive is { } max && value > max)
        {
            incentive = incentive with { Value = max };
        }

        return adjustments with
        {
            Incentive = incentive is null ? null : incentive with { Type = null },
            Priority = locked.Contains("priority") ? null : adjustments.Priority,
            Content = locked.Contains("content") ? null : adjustments.Content,
            FrequencyCap = locked.Contains("frequencyCap") ? null : adjustments.FrequencyCap,
        };
    }

    private static IEnumerable<(string Field, bool Given)> Given(CampaignAdjustments adjustments) =>
    [
        ("incentive", adjustments.Incentive is not null), ("priority", adjustments.Priority is not null),
        ("content", adjustments.Content is not null), ("frequencyCap", adjustments.FrequencyCap is not null),
    ];
}
