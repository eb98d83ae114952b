using System.Text.Json.Serialization;
using MachCommerce.Api.Catalog;
using MachCommerce.Api.Profiles;
using MachCommerce.Api.Webhooks;
using MachCommerce.Client.Problems;

namespace MachCommerce.Client;

/// <summary>Source-generated JSON for every shape the client sends or reads (web defaults: camelCase, numbers as numbers).</summary>
[JsonSourceGenerationOptions(System.Text.Json.JsonSerializerDefaults.Web, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(Page<ProductView>))]
[JsonSerializable(typeof(ProductView))]
[JsonSerializable(typeof(ProductInput))]
[JsonSerializable(typeof(BatchGetRequest))]
[JsonSerializable(typeof(BatchGetResponse))]
[JsonSerializable(typeof(BulkUpsertRequest))]
[JsonSerializable(typeof(BulkUpsertResponse))]
[JsonSerializable(typeof(ProfilePage))]
[JsonSerializable(typeof(ProfileView))]
[JsonSerializable(typeof(ProfileInput))]
[JsonSerializable(typeof(IReadOnlyList<EventTypeView>))]
[JsonSerializable(typeof(SubscriptionInput))]
[JsonSerializable(typeof(SubscriptionView))]
[JsonSerializable(typeof(SubscriptionWithSecret))]
[JsonSerializable(typeof(SubscriptionPage))]
[JsonSerializable(typeof(SecretRotationInput))]
[JsonSerializable(typeof(DeliveryPage))]
[JsonSerializable(typeof(DeliveryDetail))]
[JsonSerializable(typeof(RedeliveryInput))]
[JsonSerializable(typeof(RedeliveryAccepted))]
[JsonSerializable(typeof(AuditPage))]
[JsonSerializable(typeof(ProblemBody))]
[JsonSerializable(typeof(TokenAnswer))]
[JsonSerializable(typeof(TokenError))]
internal sealed partial class ClientJsonContext : JsonSerializerContext;

internal sealed record TokenAnswer([property: JsonPropertyName("access_token")] string AccessToken, [property: JsonPropertyName("expires_in")] int ExpiresIn);

internal sealed record TokenError([property: JsonPropertyName("error")] string? Error, [property: JsonPropertyName("error_description")] string? ErrorDescription);
