namespace MachCommerce.Client.Personalization;

/// <summary>
/// The personalization service's REST API at the gateway (<c>/api/personalization</c>): segments, offers and
/// experiments (personalization:manage), decisions and recommendations for a shopper (personalization:decide),
/// behaviour events (personalization:track). Definitions carry a version: pass <see cref="ETags.Of(int)"/> of it
/// as If-Match when replacing.
/// </summary>
public interface IPersonalizationApi
{
    [Get("/api/personalization/segments")]
    Task<DefinitionPage<SegmentView>> ListSegmentsAsync(string? status = null, string? cursor = null, int? limit = null, CancellationToken cancellationToken = default);

    [Get("/api/personalization/segments/{id}")]
    Task<SegmentView> GetSegmentAsync(Guid id, CancellationToken cancellationToken = default);

    [Post("/api/personalization/segments")]
    Task<SegmentView> CreateSegmentAsync([Body] SegmentInput segment, CancellationToken cancellationToken = default);

    [Put("/api/personalization/segments/{id}")]
    Task<SegmentView> ReplaceSegmentAsync(Guid id, [Body] SegmentInput segment, [Header("If-Match")] string ifMatch, CancellationToken cancellationToken = default);

    [Delete("/api/personalization/segments/{id}")]
    Task DeleteSegmentAsync(Guid id, CancellationToken cancellationToken = default);

    /// <summary>Who is in the segment now (consenting subjects only).</summary>
    [Get("/api/personalization/segments/{id}/members")]
    Task<SegmentMembersPage> ListSegmentMembersAsync(Guid id, string? cursor = null, int? limit = null, CancellationToken cancellationToken = default);

    /// <summary>How many subjects conditions match now, before they are saved (a segment editor's live count).</summary>
    [Post("/api/personalization/segments/preview")]
    Task<SegmentPreview> PreviewSegmentAsync([Body] SegmentPreviewInput input, CancellationToken cancellationToken = default);

    [Get("/api/personalization/offers")]
    Task<DefinitionPage<OfferView>> ListOffersAsync(string? status = null, string? cursor = null, int? limit = null, CancellationToken cancellationToken = default);

    [Get("/api/personalization/offers/{id}")]
    Task<OfferView> GetOfferAsync(Guid id, CancellationToken cancellationToken = default);

    [Post("/api/personalization/offers")]
    Task<OfferView> CreateOfferAsync([Body] OfferInput offer, CancellationToken cancellationToken = default);

    [Put("/api/personalization/offers/{id}")]
    Task<OfferView> ReplaceOfferAsync(Guid id, [Body] OfferInput offer, [Header("If-Match")] string ifMatch, CancellationToken cancellationToken = default);

    [Delete("/api/personalization/offers/{id}")]
    Task DeleteOfferAsync(Guid id, CancellationToken cancellationToken = default);

    /// <summary>Impressions, clicks and redemptions per day for the last <paramref name="days"/> days (1–366, 30 unless given).</summary>
    [Get("/api/personalization/offers/{id}/stats")]
    Task<OfferStats> GetOfferStatsAsync(Guid id, int? days = null, CancellationToken cancellationToken = default);

    [Get("/api/personalization/experiments")]
    Task<DefinitionPage<ExperimentView>> ListExperimentsAsync(string? status = null, string? cursor = null, int? limit = null, CancellationToken cancellationToken = default);

    [Get("/api/personalization/experiments/{id}")]
    Task<ExperimentView> GetExperimentAsync(Guid id, CancellationToken cancellationToken = default);

    [Post("/api/personalization/experiments")]
    Task<ExperimentView> CreateExperimentAsync([Body] ExperimentInput experiment, CancellationToken cancellationToken = default);

    /// <summary>Only a draft can be changed.</summary>
    [Put("/api/personalization/experiments/{id}")]
    Task<ExperimentView> ReplaceExperimentAsync(Guid id, [Body] ExperimentInput experiment, [Header("If-Match")] string ifMatch, CancellationToken cancellationToken = default);

    [Delete("/api/personalization/experiments/{id}")]
    Task DeleteExperimentAsync(Guid id, CancellationToken cancellationToken = default);

    [Post("/api/personalization/experiments/{id}/start")]
    Task<ExperimentView> StartExperimentAsync(Guid id, CancellationToken cancellationToken = default);

    [Post("/api/personalization/experiments/{id}/stop")]
    Task<ExperimentView> StopExperimentAsync(Guid id, CancellationToken cancellationToken = default);

    /// <summary>Each arm's numbers, the comparisons with the control and the verdict in words (en and de).</summary>
    [Get("/api/personalization/experiments/{id}/report")]
    Task<ExperimentReportView> GetExperimentReportAsync(Guid id, CancellationToken cancellationToken = default);

    [Get("/api/personalization/experiments/{id}/report/daily")]
    Task<ExperimentSeriesView> GetExperimentDailySeriesAsync(Guid id, CancellationToken cancellationToken = default);

    /// <summary>How many subjects and days an experiment needs to detect the uplift the plan names.</summary>
    [Post("/api/personalization/experiment-plans")]
    Task<ExperimentPlanView> PlanExperimentAsync([Body] PlanInput plan, CancellationToken cancellationToken = default);

    /// <summary>What personalization earned against the global holdout, between two days (the last 90 unless given).</summary>
    [Get("/api/personalization/holdout/report")]
    Task<HoldoutReportView> GetHoldoutReportAsync([AliasAs("from"), Query(Format = "yyyy-MM-dd")] DateOnly? since = null, [AliasAs("to"), Query(Format = "yyyy-MM-dd")] DateOnly? until = null, CancellationToken cancellationToken = default);

    /// <summary>The offers and products one shopper sees in one placement, each with its reason.</summary>
    [Post("/api/personalization/decisions")]
    Task<Decision> DecideAsync([Body] DecisionRequest request, CancellationToken cancellationToken = default);

    /// <summary>
    /// Strategy: for-you (without a product), viewed-together or bought-together (with <paramref name="productId"/>),
    /// or popular; one without data falls back to popular and says so.
    /// </summary>
    [Get("/api/personalization/recommendations")]
    Task<RecommendationList> RecommendAsync(string? strategy = null, string? visitorId = null, Guid? profileId = null, Guid? productId = null, Guid? categoryId = null,
        int? limit = null, string? locale = null, CancellationToken cancellationToken = default);

    /// <summary>A batch of events; all kept or none (400 naming each bad field). Sending a batch again is safe: events are known by their id.</summary>
    [Post("/api/personalization/events")]
    Task<IngestResult> TrackEventsAsync([Body] EventBatchInput batch, CancellationToken cancellationToken = default);
}

public static class PersonalizationApiExtensions
{
    public static IAsyncEnumerable<SegmentView> AllSegmentsAsync(this IPersonalizationApi personalization, string? status = null, CancellationToken cancellationToken = default) =>
        Pages.ReadAllAsync((cursor, ct) => personalization.ListSegmentsAsync(status, cursor, 100, ct), page => page.Items, page => page.NextCursor, cancellationToken);

    public static IAsyncEnumerable<OfferView> AllOffersAsync(this IPersonalizationApi personalization, string? status = null, CancellationToken cancellationToken = default) =>
        Pages.ReadAllAsync((cursor, ct) => personalization.ListOffersAsync(status, cursor, 100, ct), page => page.Items, page => page.NextCursor, cancellationToken);

    public static IAsyncEnumerable<ExperimentView> AllExperimentsAsync(this IPersonalizationApi personalization, string? status = null, CancellationToken cancellationToken = default) =>
        Pages.ReadAllAsync((cursor, ct) => personalization.ListExperimentsAsync(status, cursor, 100, ct), page => page.Items, page => page.NextCursor, cancellationToken);
}
