using MachCommerce.Api.Profiles;
using Refit;

namespace MachCommerce.Client.Profiles;

/// <summary>The profiles service's REST API at the gateway (<c>/api/profiles</c>): customers (profiles:read, profiles:write).</summary>
public interface IProfilesApi
{
    [Get("/api/profiles/profiles")]
    Task<ProfilePage> ListProfilesAsync(string? cursor = null, int? limit = null, CancellationToken cancellationToken = default);

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

public static class ProfilesApiExtensions
{
    public static IAsyncEnumerable<ProfileView> AllProfilesAsync(this IProfilesApi profiles, CancellationToken cancellationToken = default) =>
        Pages.ReadAllAsync((cursor, ct) => profiles.ListProfilesAsync(cursor, 100, ct), page => page.Items, page => page.NextCursor, cancellationToken);
}
