using System.Text.Json;
using System.Text.Json.Serialization;
using MachCommerce.Contracts;
using MachCommerce.Contracts.Catalog.V1;
using MachCommerce.Contracts.Gdpr.V1;
using MachCommerce.Contracts.Personalization.V1;
using MachCommerce.Contracts.Profiles.V1;

namespace MachCommerce.Webhooks.Events;

/// <summary>
/// One kind of event a subscriber can receive: its name on the wire (Standard Webhooks' <c>type</c>), what it
/// means, the scope a subscriber must hold to read its data, and the resource whose events arrive in order.
/// </summary>
public sealed record EventType(string Name, string Description, string RequiredScope);

/// <summary>Every event type the webhooks service delivers, and how an integration event becomes its payload.</summary>
public static class EventTypes
{
    public static readonly EventType ProductPublished = new("product.published", "A product became visible to shoppers; data is the product's snapshot.", Scopes.CatalogRead);
    public static readonly EventType ProductChanged = new("product.changed", "A product's texts, categories, attributes, variants, stock or status changed.", Scopes.CatalogRead);
    public static readonly EventType ProductArchived = new("product.archived", "A product left the assortment (archived, or deleted when data.deleted is true).", Scopes.CatalogRead);
    public static readonly EventType PriceChanged = new("price.changed", "A variant's list price changed (net and gross, EUR).", Scopes.CatalogRead);
    public static readonly EventType ProfileRegistered = new("profile.registered", "A customer profile was created.", Scopes.ProfilesRead);
    public static readonly EventType ProfileChanged = new("profile.changed", "A customer profile's kind, customer group, locale or traits changed.", Scopes.ProfilesRead);
    public static readonly EventType ConsentChanged = new("consent.changed", "A customer granted or withdrew a consent purpose.", Scopes.ProfilesRead);
    public static readonly EventType ErasureRequested = new("erasure.requested",
        "A customer asked to be forgotten (GDPR Art. 17): delete everything your system holds about data.profileId and data.visitorIds by data.deadline.", Scopes.ProfilesRead);

    public static readonly EventType OfferRedeemed = new("offer.redeemed", "A shopper redeemed a personal offer (data.orderId is the shop's own order id).", Scopes.PersonalizationManage);
    public static readonly EventType ExperimentFinished = new("experiment.finished", "An experiment was stopped; its report is final (GET /api/personalization/experiments/{id}/report).",
        Scopes.PersonalizationManage);

    public static readonly IReadOnlyList<EventType> All =
        [ProductPublished, ProductChanged, ProductArchived, PriceChanged, ProfileRegistered, ProfileChanged, ConsentChanged, ErasureRequested, OfferRedeemed, ExperimentFinished];

    public static EventType? Find(string name) => All.FirstOrDefault(t => t.Name == name);

    /// <summary>Art. 12(3) GDPR: a request is answered without undue delay and within one month at the latest.</summary>
    public static readonly TimeSpan ErasureDeadline = TimeSpan.FromDays(30);

    internal static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { DefaultIgnoreCondition = JsonIgnoreCondition.Never };

    /// <summary>The Standard Webhooks body: <c>{"type", "timestamp", "data"}</c>, written once and signed as these exact bytes on every attempt.</summary>
    public static string Payload(EventType type, IIntegrationEvent message, object data) =>
        JsonSerializer.Serialize(new WebhookPayload(type.Name, message.OccurredAt, data), Json);

    /// <summary>An erasure request tells the partner its own deadline, as Shopify's customers/redact does.</summary>
    public static ErasureData ErasureDataOf(ErasureRequested message) =>
        new(message.TenantId, message.OccurredAt, message.ErasureId, message.ProfileId, message.VisitorIds, message.OccurredAt + ErasureDeadline);

    public sealed record WebhookPayload(string Type, DateTimeOffset Timestamp, object Data);

    public sealed record ErasureData(string TenantId, DateTimeOffset OccurredAt, Guid ErasureId, Guid ProfileId, IReadOnlyList<string> VisitorIds, DateTimeOffset Deadline);
}
