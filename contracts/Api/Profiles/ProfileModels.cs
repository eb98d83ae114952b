namespace MachCommerce.Api.Profiles;

/// <summary>A profile as a client writes it; validation, not deserialisation, says what is missing.</summary>
public sealed record ProfileInput
{
    /// <summary>person (default) or company.</summary>
    public string? Kind { get; init; }
    /// <summary>The id in the shop's own system (ERP, shop software); unique per tenant.</summary>
    public string? ExternalId { get; init; }
    public string? Email { get; init; }
    public string? FirstName { get; init; }
    public string? LastName { get; init; }
    public string? CompanyName { get; init; }
    public string? VatId { get; init; }
    /// <summary>Drives B2B price lists in the catalog, e.g. "fachhandel".</summary>
    public string? CustomerGroup { get; init; }
    /// <summary>de or en, optionally with a region: de-DE.</summary>
    public string? Locale { get; init; }
    public List<AddressInput>? Addresses { get; init; }
    /// <summary>Free-form facts the merchant defines: text, number or boolean values.</summary>
    public Dictionary<string, JsonElement>? Traits { get; init; }
    public PreferencesInput? Preferences { get; init; }
    /// <summary>Contact persons of a company.</summary>
    public List<ContactInput>? Contacts { get; init; }
}

public sealed record AddressInput(string? Kind, string? Street, string? PostalCode, string? City, string? Country);

public sealed record PreferencesInput(List<string>? Categories, List<string>? Brands, List<string>? Channels);

public sealed record ContactInput(string? Name, string? Email, string? Role);

public sealed record ProfileView
{
    public required Guid Id { get; init; }
    public required string Kind { get; init; }
    public string? ExternalId { get; init; }
    public string? Email { get; init; }
    public string? FirstName { get; init; }
    public string? LastName { get; init; }
    public string? CompanyName { get; init; }
    public string? VatId { get; init; }
    public string? CustomerGroup { get; init; }
    public string? Locale { get; init; }
    public required JsonElement Addresses { get; init; }
    public required JsonElement Traits { get; init; }
    public required JsonElement Preferences { get; init; }
    public required JsonElement Contacts { get; init; }
    public required int Version { get; init; }
    public required DateTimeOffset CreatedAt { get; init; }
    public required DateTimeOffset UpdatedAt { get; init; }
}

public sealed record ProfilePage(IReadOnlyList<ProfileView> Items, string? NextCursor);

public sealed record ProfileBatchGet(List<Guid>? Ids);

public sealed record ProfileBatch(IReadOnlyList<ProfileView> Items, IReadOnlyList<Guid> Missing);
