namespace MachCommerce.Api.Webhooks;

/// <param name="Url">https address that receives the events.</param>
/// <param name="EventTypes">Names from <c>GET /event-types</c>, e.g. product.published.</param>
/// <param name="Active">False pauses deliveries; events keep being recorded and can be redelivered later.</param>
public sealed record SubscriptionInput(string? Url, IReadOnlyList<string>? EventTypes, string? Description, bool? Active);

/// <param name="OverlapHours">How long the previous secret keeps signing beside the new one (0 ends it now; at most 168).</param>
public sealed record SecretRotationInput(double? OverlapHours);

public sealed record SubscriptionView(Guid Id, string Url, IReadOnlyList<string> EventTypes, string Description, bool Active, string? DisabledReason,
    DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt, int Version, DateTimeOffset? PreviousSecretExpiresAt);

/// <summary>A subscription with its signing secret: in the answers that create it or rotate the secret only.</summary>
public sealed record SubscriptionWithSecret(SubscriptionView Subscription, string Secret);

public sealed record SubscriptionPage(IReadOnlyList<SubscriptionView> Items, string? NextCursor);

public sealed record EventTypeView(string Name, string Description, string RequiredScope);
