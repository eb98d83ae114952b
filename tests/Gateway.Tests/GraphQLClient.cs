namespace MachCommerce.Gateway.Tests;

/// <summary>GraphQL over HTTP against the gateway, as a storefront sends it.</summary>
public static class GraphQLClient
{
    public static async Task<(HttpResponseMessage Response, JsonElement Body)> GraphQLAsync(this HttpClient client, string query, object? variables = null,
        string? customerToken = null, string? visitorId = null, string? language = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/graphql") { Content = JsonContent.Create(new { query, variables }) };
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/graphql-response+json"));
        if (customerToken is not null)
        {
            request.Headers.Add("X-Customer-Token", customerToken);
        }

        if (visitorId is not null)
        {
            request.Headers.Add("X-Visitor-Id", visitorId);
        }

        if (language is not null)
        {
            request.Headers.AcceptLanguage.Add(new StringWithQualityHeaderValue(language));
        }

        var response = await client.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        return (response, text.Length > 0 ? JsonDocument.Parse(text).RootElement.Clone() : default);
    }

    /// <summary>The data of a response that must have no errors.</summary>
    public static async Task<JsonElement> DataAsync(this HttpClient client, string query, object? variables = null, string? customerToken = null, string? visitorId = null,
        string? language = null)
    {
        var (response, body) = await client.GraphQLAsync(query, variables, customerToken, visitorId, language);
        Assert.True(response.IsSuccessStatusCode && !body.TryGetProperty("errors", out _), $"{(int)response.StatusCode}: {body}");
        return body.GetProperty("data");
    }
}
