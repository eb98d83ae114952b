using System.Text.Json.Nodes;

namespace MachCommerce.Api.Personalization;

/// <summary>
/// A cooperative's central campaign: an offer kept once by the cooperative's staff and taken by the member shops
/// that opt in, each showing it to its own customers with its own data. <see cref="Measure"/>: each member runs an
/// experiment on the offer's first placement (with the offer against none), so the cooperative reads the uplift per
/// member and pooled.
/// </summary>
public sealed record CentralCampaignInput(string? Name, OfferInput? Offer, CampaignLimits? Limits, bool? Measure);

/// <summary>
/// What a member may change of the offer it takes: the incentive up to <see cref="MaxIncentive"/> (in the template
/// incentive's own unit: percent or EUR; the template's value when not given), and not the fields named in
/// <see cref="Locked"/> (of incentive, priority, content, frequencyCap).
/// </summary>
public sealed record CampaignLimits(decimal? MaxIncentive, List<string>? Locked);

/// <summary>A member's own settings for a campaign it takes; what it leaves out is the cooperative's.</summary>
public sealed record CampaignAdjustments(string? Status, OfferIncentive? Incentive, int? Priority, Dictionary<string, OfferContent>? Content, FrequencyCap? FrequencyCap);

/// <summary>
/// A central campaign. Status: draft (only the cooperative sees it), published (members may take it; changes reach
/// them at once), withdrawn (taken back from every member). <see cref="Participation"/> is the asking member's own.
/// </summary>
public sealed record CentralCampaignView(Guid Id, string Cooperative, string Name, string Status, JsonObject Offer, CampaignLimits Limits, bool Measure, int Version,
    DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt, int Participants, CampaignParticipationView? Participation);

/// <summary>
/// A member shop's part in a campaign: its offer (a copy of the template with its adjustments), its experiment when
/// the campaign is measured, and <see cref="Note"/> where the experiment could not start.
/// </summary>
public sealed record CampaignParticipationView(string TenantId, Guid OfferId, Guid? ExperimentId, CampaignAdjustments Adjustments, DateTimeOffset JoinedAt, string? Note);

public sealed record CentralCampaignPage(IReadOnlyList<CentralCampaignView> Items);

/// <summary>
/// What a campaign brought: per member shop the relative uplift of revenue per visitor (the offer against none) with
/// its interval, and all members pooled (random-effects meta-analysis). Only counts and rates, and none of an arm of
/// fewer than <see cref="MinimumGroup"/> visitors.
/// </summary>
public sealed record CentralCampaignResults(Guid CampaignId, string Metric, double Confidence, int MinimumGroup, IReadOnlyList<MemberCampaignResult> Members,
    PooledUplift? Pooled, string En, string De);

/// <summary>
/// One member's result; <see cref="Withheld"/> says why there is none: <see cref="Measured"/> false (no experiment),
/// or an arm with fewer visitors than the minimum group.
/// </summary>
public sealed record MemberCampaignResult(string TenantId, bool Measured, long? VisitorsWithOffer, long? VisitorsWithout, IntervalView? Uplift, bool Significant, string? Withheld);

/// <summary>
/// All members together: the pooled relative uplift with its interval and p-value, how much the members differ
/// (τ², I² and Cochran's Q with its p-value), and how many members it rests on.
/// </summary>
public sealed record PooledUplift(IntervalView Uplift, double PValue, bool Significant, double Tau2, double I2, double Q, double QPValue, int Members);
