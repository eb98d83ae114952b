namespace MachCommerce.Api.Identity;

/// <param name="Jwks">The partner's public keys (a JSON Web Key Set) for <c>private_key_jwt</c>; without it the client gets a secret.</param>
public sealed record PartnerClientInput(string? Name, IReadOnlyList<string>? Scopes, int? RatePerSecond, int? Burst, System.Text.Json.JsonElement? Jwks);

public sealed record PartnerKeysInput(System.Text.Json.JsonElement? Jwks);

/// <summary>A partner client as its shop's owner sees it: never its secret, which exists only in the answer that made it.</summary>
/// <param name="Authentication">How the client proves itself at the token endpoint: <c>client_secret</c> (basic or post) or <c>private_key_jwt</c>.</param>
/// <param name="SecretRotatedAt">When its secret or its key set last changed.</param>
public sealed record PartnerClientView(string ClientId, string Name, string Authentication, IReadOnlyList<string> Scopes, int RatePerSecond, int Burst, DateTimeOffset CreatedAt,
    string CreatedBy, DateTimeOffset SecretRotatedAt);

/// <summary>The one answer that carries a client's secret: at creation or rotation (none for a client with its own keys).</summary>
public sealed record PartnerClientSecret(string ClientId, string? ClientSecret, PartnerClientView Client);

public sealed record PartnerClientPage(IReadOnlyList<PartnerClientView> Items, string? NextCursor);
