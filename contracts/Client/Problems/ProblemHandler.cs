using System.Text.Json;

namespace MachCommerce.Client.Problems;

/// <summary>Turns every answer that is not a success (after the retries) into a <see cref="MachCommerceApiException"/> with the problem's fields.</summary>
internal sealed class ProblemHandler : DelegatingHandler
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var response = await base.SendAsync(request, cancellationToken);
        if (response.IsSuccessStatusCode || response.StatusCode == HttpStatusCode.NotModified)
        {
            return response;
        }

        using (response)
        {
            var body = await response.Content.ReadAsStringAsync(cancellationToken);
            ProblemBody? problem = null;
            try
            {
                problem = body.Length > 0 ? JsonSerializer.Deserialize(body, ClientJsonContext.Default.ProblemBody) : null;
            }
            catch (JsonException)
            {
                // not a problem document (a proxy's error page): the status and the body say what there is
            }

            throw new MachCommerceApiException(response.StatusCode, problem?.Title ?? response.ReasonPhrase ?? "Request failed", problem?.Detail,
                problem?.Errors ?? new Dictionary<string, string[]>(), body);
        }
    }
}

internal sealed record ProblemBody(string? Title, string? Detail, int? Status, Dictionary<string, string[]>? Errors);
