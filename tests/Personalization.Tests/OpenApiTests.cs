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
            "/experiments", "/experiments/{id}/start", "/experiments/{id}/report", "/experiments/{id}/report/daily", "/experiment-plans",
            "/experiment-settings", "/holdout/report", "/subjects", "/read-models", "/gdpr/profiles/{profileId}/export" })
        {
            Assert.Contains(path, paths);
        }

        // The experiment reports are typed: a client (or a person reading the document) sees every field.
        var report = document.GetProperty("paths").GetProperty("/experiments/{id}/report").GetProperty("get").GetProperty("responses");
        Assert.True(report.TryGetProperty("200", out var ok) && ok.GetProperty("content").TryGetProperty("application/json", out _), report.ToString());
        var schemas = document.GetProperty("components").GetProperty("schemas");
        foreach (var schema in new[] { "ExperimentReportView", "VerdictView", "ComparisonView", "HoldoutReportView", "ExperimentPlanView", "ExperimentSeriesView" })
        {
            Assert.True(schemas.TryGetProperty(schema, out _), $"no schema {schema}");
        }

        Assert.True(schemas.GetProperty("VerdictView").GetProperty("properties").TryGetProperty("de", out _));
    }
}
