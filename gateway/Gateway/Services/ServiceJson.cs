using System.Text.Json.Serialization;

namespace MachCommerce.Gateway.Services;

/// <summary>The services' answers the gateway reads as the shared API types (contracts/Api), with source-generated JSON.</summary>
[JsonSourceGenerationOptions(System.Text.Json.JsonSerializerDefaults.Web)]
[JsonSerializable(typeof(Decision))]
[JsonSerializable(typeof(RecommendationList))]
[JsonSerializable(typeof(ProductView))]
[JsonSerializable(typeof(Page<ProductView>))]
[JsonSerializable(typeof(BatchGetRequest))]
[JsonSerializable(typeof(BatchGetResponse))]
[JsonSerializable(typeof(List<CategoryView>))]
[JsonSerializable(typeof(SearchResponse))]
[JsonSerializable(typeof(JointOffersRequest))]
[JsonSerializable(typeof(JointSearchRequest))]
[JsonSerializable(typeof(List<JointOffer>))]
[JsonSerializable(typeof(JointSearchAnswer))]
internal sealed partial class ServiceJson : JsonSerializerContext;
