using MachCommerce.Api.Profiles;

namespace MachCommerce.Client.Profiles;

/// <summary>The profiles service's REST API at the gateway (<c>/api/profiles</c>): customers (profiles:read, profiles:write).</summary>
public interface IProfilesApi
{
    /// <param name="q">A prefix of the first, last or company name (up to 100 characters).</param>
    /// <param name="emailPrefix">A prefix of the e-mail address.</param>
    /// <param name="kind">person or company.</param>
    /// <param name="customerGroup">The B2B customer group, e.g. fachhandel.</param>
    [Get("/api/profiles/profiles")]
    Task<ProfilePage> ListProfilesAsync(string? cursor = null, int? limit = null, string? q = null, string? emailPrefix = null, string? kind = null,
        string? customerGroup = null, CancellationToken cancellationToken = default);

    [Get("/api/profiles/profiles/{id}")]
    Task<ProfileView> GetProfileAsync(Guid id, CancellationToken cancellationToken = default);

    /// <summary>The profile by the id in the shop's own system.</summary>
    [Get("/api/profiles/profiles/by-external-id/{externalId}")]
    Task<ProfileView> GetProfileByExternalIdAsync(string externalId, CancellationToken cancellationToken = default);

    [Post("/api/profiles/profiles")]
    Task<ProfileView> CreateProfileAsync([Body] ProfileInput profile, CancellationToken cancellationToken = default);

    [Put("/api/profiles/profiles/{id}")]
    Task<ProfileView> ReplaceProfileAsync(Guid id, [Body] ProfileInput profile, [Header("If-Match")] string ifMatch, CancellationToken cancellationToken = default);
}

/// <summary>A customer's consents, linked visitors and GDPR rights (at <c>/api/profiles</c>).</summary>
public interface IProfileRightsApi
{
    /// <summary>
    /// The current answer per purpose (personalization, marketing_email, analytics, and cooperative for a member shop
    /// of a cooperative: sharing the contact with it); a purpose never asked counts as not granted. profiles:read.
    /// </summary>
    [Get("/api/profiles/profiles/{profileId}/consents")]
    Task<List<ConsentView>> GetConsentsAsync(Guid profileId, CancellationToken cancellationToken = default);

    /// <summary>Every consent change, oldest first (who, when, from where, which policy version). profiles:read.</summary>
    [Get("/api/profiles/profiles/{profileId}/consents/history")]
    Task<List<ConsentView>> GetConsentHistoryAsync(Guid profileId, CancellationToken cancellationToken = default);

    /// <summary>Records the customer's answer for one purpose. profiles:write.</summary>
    [Put("/api/profiles/profiles/{profileId}/consents/{purpose}")]
    Task SetConsentAsync(Guid profileId, string purpose, [Body] ConsentInput consent, CancellationToken cancellationToken = default);

    /// <summary>Joins an anonymous visitor id (the browser's) to the customer, so what they did before signing in counts. profiles:write.</summary>
    [Post("/api/profiles/profiles/{profileId}/visitors")]
    Task<VisitorLink> LinkVisitorAsync(Guid profileId, [Body] VisitorLinkInput visitor, CancellationToken cancellationToken = default);

    [Get("/api/profiles/profiles/{profileId}/visitors")]
    Task<List<LinkedVisitor>> ListVisitorsAsync(Guid profileId, CancellationToken cancellationToken = default);

    /// <summary>Everything the platform holds about the customer, from every service that holds personal data (GDPR art. 15 and 20). gdpr:export.</summary>
    [Get("/api/profiles/profiles/{profileId}/export")]
    Task<System.Text.Json.JsonElement> ExportAsync(Guid profileId, CancellationToken cancellationToken = default);

    /// <summary>Erases the customer everywhere (GDPR art. 17); asking twice gives the same erasure. gdpr:erase.</summary>
    [Post("/api/profiles/profiles/{profileId}/erasure")]
    Task<ErasureAccepted> EraseAsync(Guid profileId, CancellationToken cancellationToken = default);

    /// <summary>How far an erasure has come: each service's confirmation. gdpr:erase.</summary>
    [Get("/api/profiles/erasures/{erasureId}")]
    Task<ErasureStatus> GetErasureAsync(Guid erasureId, CancellationToken cancellationToken = default);

    /// <summary>
    /// For a cooperative's staff (at its central level): the contacts its member shops' customers shared with it by
    /// consenting to the purpose cooperative, and only those. profiles:read.
    /// </summary>
    [Get("/api/profiles/cooperative/contacts")]
    Task<CooperativeContactPage> ListCooperativeContactsAsync(string? memberShop = null, int? limit = null, string? cursor = null, CancellationToken cancellationToken = default);
}

public static class ProfilesApiExtensions
{
    public static IAsyncEnumerable<ProfileView> AllProfilesAsync(this IProfilesApi profiles, CancellationToken cancellationToken = default) =>
        Pages.ReadAllAsync((cursor, ct) => profiles.ListProfilesAsync(cursor, 100, cancellationToken: ct), page => page.Items, page => page.NextCursor, cancellationToken);
}
