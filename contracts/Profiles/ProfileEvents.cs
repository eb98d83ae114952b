namespace MachCommerce.Contracts.Profiles.V1;

/// <summary>
/// What personalization (and any other reader) keeps of a profile, in the state after the event: both profile events
/// carry it. A base record rather than a nested snapshot (as the catalog's events have) because V1 is on the wire:
/// the properties stay at the top of the message, so its JSON is exactly what it was.
/// </summary>
public abstract record ProfileState : IIntegrationEvent
{
    public required string TenantId { get; init; }
    public required DateTimeOffset OccurredAt { get; init; }
    public required Guid ProfileId { get; init; }
    public required string Kind { get; init; }
    public string? CustomerGroup { get; init; }
    public string? Locale { get; init; }
    public required IReadOnlyDictionary<string, string> Traits { get; init; }
}

/// <summary>A customer profile was created (registration, import, or an identified visitor).</summary>
public sealed record ProfileRegistered : ProfileState;

/// <summary>What personalization keeps of a profile changed: traits, customer group or locale.</summary>
public sealed record ProfileChanged : ProfileState;

/// <summary>A consent was granted or withdrawn; a withdrawal takes effect the moment it is consumed.</summary>
public sealed record ConsentChanged : IIntegrationEvent
{
    public required string TenantId { get; init; }
    public required DateTimeOffset OccurredAt { get; init; }
    public required Guid ProfileId { get; init; }
    /// <summary>personalization, marketing_email or analytics.</summary>
    public required string Purpose { get; init; }
    public required bool Granted { get; init; }
    public required string Source { get; init; }
    public required string PolicyVersion { get; init; }
}

/// <summary>An anonymous visitor id now belongs to a profile: its history folds into the profile's.</summary>
public sealed record VisitorLinked : IIntegrationEvent
{
    public required string TenantId { get; init; }
    public required DateTimeOffset OccurredAt { get; init; }
    public required string VisitorId { get; init; }
    public required Guid ProfileId { get; init; }
}
