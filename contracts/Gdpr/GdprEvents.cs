namespace MachCommerce.Contracts.Gdpr.V1;

/// <summary>
/// Art. 17: delete everything about this profile and its visitor ids, then answer with
/// <see cref="ErasureConfirmed"/>. Published by the profiles service once the profile itself is gone.
/// </summary>
public sealed record ErasureRequested : IIntegrationEvent
{
    public required string TenantId { get; init; }
    public required DateTimeOffset OccurredAt { get; init; }
    public required Guid ErasureId { get; init; }
    public required Guid ProfileId { get; init; }
    public required IReadOnlyList<string> VisitorIds { get; init; }
}

/// <summary>A service has deleted everything it held about the erasure's profile.</summary>
public sealed record ErasureConfirmed : IIntegrationEvent
{
    public required string TenantId { get; init; }
    public required DateTimeOffset OccurredAt { get; init; }
    public required Guid ErasureId { get; init; }
    /// <summary>The confirming service's name, as registered in the profiles service's data holders.</summary>
    public required string Service { get; init; }
}
