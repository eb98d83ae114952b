using System.Text.Json.Serialization;
using MachCommerce.Api.Catalog;
using MachCommerce.Api.Gateway;
using MachCommerce.Api.Identity;
using MachCommerce.Api.Personalization;
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
[JsonSerializable(typeof(List<CategoryView>))]
[JsonSerializable(typeof(CategoryView))]
[JsonSerializable(typeof(CategoryInput))]
[JsonSerializable(typeof(List<PriceListView>))]
[JsonSerializable(typeof(PriceListView))]
[JsonSerializable(typeof(PriceListInput))]
[JsonSerializable(typeof(SearchResponse))]
[JsonSerializable(typeof(List<ConsentView>))]
[JsonSerializable(typeof(ConsentInput))]
[JsonSerializable(typeof(VisitorLinkInput))]
[JsonSerializable(typeof(VisitorLink))]
[JsonSerializable(typeof(List<LinkedVisitor>))]
[JsonSerializable(typeof(ErasureAccepted))]
[JsonSerializable(typeof(ErasureStatus))]
[JsonSerializable(typeof(System.Text.Json.JsonElement))]
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
[JsonSerializable(typeof(DefinitionPage<SegmentView>))]
[JsonSerializable(typeof(SegmentView))]
[JsonSerializable(typeof(SegmentInput))]
[JsonSerializable(typeof(SegmentMembersPage))]
[JsonSerializable(typeof(SegmentPreviewInput))]
[JsonSerializable(typeof(SegmentPreview))]
[JsonSerializable(typeof(DefinitionPage<OfferView>))]
[JsonSerializable(typeof(OfferView))]
[JsonSerializable(typeof(OfferInput))]
[JsonSerializable(typeof(OfferStats))]
[JsonSerializable(typeof(DefinitionPage<ExperimentView>))]
[JsonSerializable(typeof(ExperimentView))]
[JsonSerializable(typeof(ExperimentInput))]
[JsonSerializable(typeof(ExperimentReportView))]
[JsonSerializable(typeof(ExperimentSeriesView))]
[JsonSerializable(typeof(PlanInput))]
[JsonSerializable(typeof(ExperimentPlanView))]
[JsonSerializable(typeof(HoldoutReportView))]
[JsonSerializable(typeof(DecisionRequest))]
[JsonSerializable(typeof(Decision))]
[JsonSerializable(typeof(RecommendationList))]
[JsonSerializable(typeof(EventBatchInput))]
[JsonSerializable(typeof(IngestResult))]
[JsonSerializable(typeof(AdminPage<KeyView>))]
[JsonSerializable(typeof(KeyView))]
[JsonSerializable(typeof(KeyInput))]
[JsonSerializable(typeof(CreatedKey))]
[JsonSerializable(typeof(List<StaffView>))]
[JsonSerializable(typeof(StaffInput))]
[JsonSerializable(typeof(StaffInvited))]
[JsonSerializable(typeof(CustomerTokenInput))]
[JsonSerializable(typeof(IssuedCustomerToken))]
[JsonSerializable(typeof(ProblemBody))]
[JsonSerializable(typeof(TokenAnswer))]
[JsonSerializable(typeof(TokenError))]
internal sealed partial class ClientJsonContext : JsonSerializerContext;

internal sealed record TokenAnswer([property: JsonPropertyName("access_token")] string AccessToken, [property: JsonPropertyName("expires_in")] int ExpiresIn);

internal sealed record TokenError([property: JsonPropertyName("error")] string? Error, [property: JsonPropertyName("error_description")] string? ErrorDescription);
