namespace MachCommerce.Api.Profiles;

/// <summary>A customer's answer for one purpose: granted or not, where they decided (storefront, app, partner or admin) and the policy version they saw.</summary>
public sealed record ConsentInput(bool? Granted, string? Source, string? PolicyVersion);

public sealed record ConsentView(string Purpose, bool Granted, string Source, string PolicyVersion, string RecordedBy, DateTimeOffset RecordedAt);

/// <summary>An erasure under way: its id, to follow it at <c>/erasures/{id}</c>.</summary>
public sealed record ErasureAccepted(Guid ErasureId, string Status);

/// <summary>An erasure's progress: when each service holding personal data confirmed it (null: not yet).</summary>
public sealed record ErasureStatus(Guid ErasureId, string Status, DateTimeOffset RequestedAt, IReadOnlyDictionary<string, DateTimeOffset?> Services);

public sealed record VisitorLinkInput(string? VisitorId);

/// <summary>A visitor id joined to a profile.</summary>
public sealed record VisitorLink(string VisitorId, Guid ProfileId);

/// <summary>A visitor id of a profile and when it was joined.</summary>
public sealed record LinkedVisitor(string VisitorId, DateTimeOffset LinkedAt);

/// <summary>
/// A member shop's customer who consented to share their contact with the shop's cooperative (purpose
/// <c>cooperative</c>), as the cooperative reads it: which member shop, the contact, and the consent's policy version.
/// </summary>
public sealed record CooperativeContactView(string MemberShop, Guid ProfileId, string? Email, string? FirstName, string? LastName, string? CompanyName,
    string? Locale, string PolicyVersion, DateTimeOffset ConsentedAt);

public sealed record CooperativeContactPage(IReadOnlyList<CooperativeContactView> Items, string? NextCursor);
