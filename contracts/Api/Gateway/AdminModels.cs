namespace MachCommerce.Api.Gateway;

/// <summary>A shop (tenant) as the platform operator creates or changes it. Status: active or suspended.</summary>
public sealed record TenantInput(string? Id, string? Name, string? DefaultLanguage, string? Status);

public sealed record TenantView(string Id, string Name, string DefaultLanguage, string Status, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt);

/// <summary>
/// An API key to create. Kind: storefront (public, bound to <see cref="AllowedOrigins"/>), partner or admin;
/// scopes as the API's documentation lists them; a rate plan and an optional expiry.
/// </summary>
public sealed record KeyInput(string? Kind, string? Name, List<string>? Scopes, List<string>? AllowedOrigins, int? RatePerSecond, int? Burst, DateTimeOffset? ExpiresAt);

/// <summary>A key as listings show it: never the secret, only its first characters. Status: active, expired or revoked.</summary>
public sealed record KeyView(
    Guid Id, string TenantId, string Kind, string Name, string Prefix, IReadOnlyList<string> Scopes, IReadOnlyList<string> AllowedOrigins,
    int RatePerSecond, int Burst, string Status, string CreatedBy, DateTimeOffset CreatedAt, DateTimeOffset? ExpiresAt, DateTimeOffset? RevokedAt);

/// <summary>The answer to creating a key: the only time the key itself is shown.</summary>
public sealed record CreatedKey(string Key, KeyView Details);

/// <summary>One page of an admin listing; <see cref="NextCursor"/> is null on the last.</summary>
public sealed record AdminPage<T>(IReadOnlyList<T> Items, string? NextCursor);

/// <summary>A short-lived token that lets a front end act for one signed-in customer (the shop's own sign-in vouches for them).</summary>
public sealed record CustomerTokenInput(Guid? ProfileId, int? LifetimeMinutes);

public sealed record IssuedCustomerToken(string Token, DateTimeOffset ExpiresAt, Guid ProfileId, string? CustomerGroup);

/// <summary>A cooperative (Verbundgruppe) as the platform operator creates or renames it.</summary>
public sealed record CooperativeInput(string? Id, string? Name);

/// <summary>A cooperative and its member shops, each still a tenant of its own.</summary>
public sealed record CooperativeView(string Id, string Name, IReadOnlyList<CooperativeMemberView> Members, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt);

/// <param name="Location">Where the shop is and where its product pages are (for joint search); null until the operator says.</param>
public sealed record CooperativeMemberView(string TenantId, string Name, string Status, DateTimeOffset JoinedAt, MemberLocation? Location = null);

/// <summary>
/// Where a member shop is, for shoppers near it: its address, and the address of a product page with <c>{slug}</c>
/// for the product's slug (e.g. <c>https://www.eisen-berger.de/produkt/{slug}</c>). Latitude and longitude are
/// optional: without them the shop is placed at its postcode region's main town.
/// </summary>
public sealed record MemberLocation(string? Street, string? Postcode, string? City, double? Latitude, double? Longitude, string? ProductUrl);
