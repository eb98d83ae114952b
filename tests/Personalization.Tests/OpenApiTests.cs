using System.Text.Json;

namespace MachCommerce.Personalization.Tests;

public sealed class OpenApiTests(PersonalizationFixture fixture) : IClassFixture<PersonalizationFixture>
{
    [Fact]
    public async Task The_OpenAPI_document_describes_every_endpoint_and_needs_no_identity()
    {
        using var anonymous = new HttpClient { BaseAddress = fixture.Client("any").BaseAddress };

        var document = await anonymous.GetFromJsonAsync<JsonElement>("/openapi/v1.json");

        var paths = document.GetProperty("paths").EnumerateObject().Select(p => p.Name).ToList();
        foreach (var path in new[] { "/events", "/decisions", "/recommendations", "/segments", "/segments/{id}/members", "/offers", "/offers/{id}", "/offers/{id}/stats",
            "/experiments", "/experiments/{id}/start", "/experiments/{id}/report", "/subjects", "/read-models", "/gdpr/profiles/{profileId}/export" })
        {
            Assert.Contains(path, paths);
        }
    }
}
