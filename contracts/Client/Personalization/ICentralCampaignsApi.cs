namespace MachCommerce.Client.Personalization;

/// <summary>
/// A cooperative's central campaigns (at <c>/api/personalization/central/campaigns</c>; personalization:manage). The
/// cooperative's staff, in its central level (no member shop named), keep them; a member shop takes part and adjusts
/// its part within the campaign's limits; both read the results (a member its own row and the pooled uplift).
/// </summary>
public interface ICentralCampaignsApi
{
    /// <summary>The cooperative's campaigns (a member sees the published ones, each with its own participation).</summary>
    [Get("/api/personalization/central/campaigns")]
    Task<CentralCampaignPage> ListAsync(CancellationToken cancellationToken = default);

    [Get("/api/personalization/central/campaigns/{id}")]
    Task<CentralCampaignView> GetAsync(Guid id, CancellationToken cancellationToken = default);

    /// <summary>A new campaign, as a draft (the cooperative's staff only).</summary>
    [Post("/api/personalization/central/campaigns")]
    Task<CentralCampaignView> CreateAsync([Body] CentralCampaignInput campaign, CancellationToken cancellationToken = default);

    /// <summary>Replaces the campaign; a published one reaches every member that takes part at once.</summary>
    /// <param name="ifMatch">The version the change is based on (<see cref="ETags.Of(int)"/>).</param>
    [Put("/api/personalization/central/campaigns/{id}")]
    Task<CentralCampaignView> ReplaceAsync(Guid id, [Body] CentralCampaignInput campaign, [Header("If-Match")] string ifMatch, CancellationToken cancellationToken = default);

    /// <summary>Deletes a draft.</summary>
    [Delete("/api/personalization/central/campaigns/{id}")]
    Task DeleteAsync(Guid id, CancellationToken cancellationToken = default);

    [Post("/api/personalization/central/campaigns/{id}/publish")]
    Task<CentralCampaignView> PublishAsync(Guid id, CancellationToken cancellationToken = default);

    /// <summary>Takes the campaign back from every member (their results stay).</summary>
    [Post("/api/personalization/central/campaigns/{id}/withdraw")]
    Task<CentralCampaignView> WithdrawAsync(Guid id, CancellationToken cancellationToken = default);

    /// <summary>The member shop takes part, or sets its adjustments (the whole set).</summary>
    [Put("/api/personalization/central/campaigns/{id}/participation")]
    Task<CampaignParticipationView> JoinAsync(Guid id, [Body] CampaignAdjustments adjustments, CancellationToken cancellationToken = default);

    /// <summary>The member shop leaves: its copy of the offer goes, its experiment stops.</summary>
    [Delete("/api/personalization/central/campaigns/{id}/participation")]
    Task LeaveAsync(Guid id, CancellationToken cancellationToken = default);

    [Get("/api/personalization/central/campaigns/{id}/results")]
    Task<CentralCampaignResults> GetResultsAsync(Guid id, CancellationToken cancellationToken = default);
}
