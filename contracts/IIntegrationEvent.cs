namespace MachCommerce.Contracts;

/// <summary>
/// What every integration event carries: the tenant it belongs to, so consumers, logs and the relay's headers
/// keep tenants apart, and when it happened. Compatibility rule: a version namespace (V1) only ever gains
/// optional properties; removing or retyping one means a V2 type, published beside V1 until no consumer needs V1.
/// </summary>
public interface IIntegrationEvent
{
    string TenantId { get; }

    DateTimeOffset OccurredAt { get; }
}
