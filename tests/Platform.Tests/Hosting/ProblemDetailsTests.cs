using System.Text;
using MachCommerce.Hosting.Logging;

namespace MachCommerce.Platform.Tests.Hosting;

public sealed class ProblemDetailsTests : IAsyncLifetime
{
    private TestApp _app = null!;

    private sealed record PriceChange(decimal Price, string Currency);

    private enum OrderKind { Standard, Express }

    private sealed record OrderLine(Guid ProductId, int Quantity);

    private sealed record Order(Guid? Id, decimal? Discount, List<OrderLine>? Lines, OrderKind? Kind, DateTimeOffset? DeliverAt, bool? Gift);

    public async Task InitializeAsync() => _app = await TestApp.StartAsync(null, app =>
    {
        app.MapGet("/boom", string () => throw new InvalidOperationException("secret connection string Password=hunter2")).AllowAnonymous();
        app.MapPost("/prices", (PriceChange change) => Results.Ok(change)).AllowAnonymous()
            .WithMetadata(new Microsoft.AspNetCore.Mvc.RequestSizeLimitAttribute(1024));
        app.MapGet("/count", (int take) => Results.Ok(take)).AllowAnonymous();
        app.MapPost("/orders", (Order order) => Results.Ok(order)).AllowAnonymous();
        app.MapGet("/orders/{id:guid}", (Guid id, DateTimeOffset? since) => Results.Ok(id)).AllowAnonymous();
        app.MapGet("/whoami", (RequestIdentity identity) => identity.TenantId);
    });

    public async Task DisposeAsync() => await _app.DisposeAsync();

    [Fact]
    public async Task An_unknown_route_is_a_404_problem_with_trace_and_correlation_ids()
    {
        // With an identity: anonymous callers get 401 for anything but the open endpoints, as they should.
        var request = new HttpRequestMessage(HttpMethod.Get, "/nothing-here").WithIdentity("shop-a");
        request.Headers.Add(CorrelationId.HeaderName, "order-4711");
        var response = await _app.Client.SendAsync(request);

        var problem = await Problem(response, HttpStatusCode.NotFound);
        Assert.Equal("order-4711", problem.GetProperty("correlationId").GetString());
        Assert.False(string.IsNullOrEmpty(problem.GetProperty("traceId").GetString()));
        Assert.Equal("order-4711", response.Headers.GetValues(CorrelationId.HeaderName).Single());
    }

    [Fact]
    public async Task An_unsafe_correlation_id_is_replaced_rather_than_logged()
    {
        var request = new HttpRequestMessage(HttpMethod.Get, "/health/live");
        request.Headers.TryAddWithoutValidation(CorrelationId.HeaderName, "abc\" injected=1 " + new string('x', 100));
        var response = await _app.Client.SendAsync(request);

        var echoed = response.Headers.GetValues(CorrelationId.HeaderName).Single();
        Assert.Equal(32, echoed.Length);
    }

    [Fact]
    public async Task An_unhandled_exception_is_a_500_problem_that_reveals_nothing_inside()
    {
        var response = await _app.Client.GetAsync("/boom");

        var problem = await Problem(response, HttpStatusCode.InternalServerError);
        var text = problem.GetRawText();
        Assert.DoesNotContain("hunter2", text, StringComparison.Ordinal);
        Assert.DoesNotContain("InvalidOperationException", text, StringComparison.Ordinal);
        Assert.DoesNotContain(" at ", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Malformed_json_is_a_400_problem_naming_the_field()
    {
        var response = await _app.Client.PostAsync("/prices", new StringContent("""{"price": "cheap", "currency": "EUR"}""", Encoding.UTF8, "application/json"));

        var problem = await Problem(response, HttpStatusCode.BadRequest);
        var errors = problem.GetProperty("errors");
        Assert.True(errors.TryGetProperty("$.price", out var reasons), errors.GetRawText());
        Assert.Equal("must be a number, e.g. 49.90.", reasons[0].GetString());
    }

    [Theory]
    [InlineData("", "$", "is required")]
    [InlineData("null", "$", "is required")]
    [InlineData("""[1]""", "$", "must be a JSON object")]
    [InlineData("""{"id": "nope"}""", "$.id", "must be a UUID")]
    [InlineData("""{"discount": "ten"}""", "$.discount", "must be a number")]
    [InlineData("""{"lines": [{"productId": "x", "quantity": 1}]}""", "$.lines[0].productId", "must be a UUID")]
    [InlineData("""{"lines": [{"productId": "0199aa00-0000-7000-8000-000000000001", "quantity": 1.5}]}""", "$.lines[0].quantity", "must be a whole number")]
    [InlineData("""{"lines": {}}""", "$.lines", "must be a list")]
    [InlineData("""{"kind": "overnight"}""", "$.kind", "is not one of the allowed values")]
    [InlineData("""{"deliverAt": "tomorrow"}""", "$.deliverAt", "must be a date and time")]
    [InlineData("""{"gift": "yes"}""", "$.gift", "must be true or false")]
    public async Task A_body_that_does_not_fit_is_a_400_naming_the_field_in_our_words_never_a_dotnet_type(string body, string field, string reason)
    {
        var response = await _app.Client.PostAsync("/orders", new StringContent(body, Encoding.UTF8, "application/json"));

        var problem = await Problem(response, HttpStatusCode.BadRequest);
        var errors = problem.GetProperty("errors");
        Assert.True(errors.TryGetProperty(field, out var reasons), errors.GetRawText());
        Assert.Contains(reason, reasons[0].GetString(), StringComparison.Ordinal);
        AssertNoInternalNames(problem.GetRawText());
    }

    [Theory]
    [InlineData("/count?take=many", "take", "must be a whole number")]
    [InlineData("/count", "take", "is required")]
    [InlineData("/orders/0199aa00-0000-7000-8000-000000000001?since=later", "since", "must be a date and time")]
    public async Task A_parameter_that_does_not_fit_is_a_400_naming_it_in_our_words(string url, string parameter, string reason)
    {
        var response = await _app.Client.GetAsync(url);

        var problem = await Problem(response, HttpStatusCode.BadRequest);
        Assert.True(problem.GetProperty("errors").TryGetProperty(parameter, out var reasons), problem.GetRawText());
        Assert.Contains(reason, reasons[0].GetString(), StringComparison.Ordinal);
        AssertNoInternalNames(problem.GetRawText());
    }

    private static void AssertNoInternalNames(string text)
    {
        foreach (var internalName in new[] { "System.", "MachCommerce", "`1", "Nullable", "Order", "Int32", "Guid", "parameter \"", "Implicit body" })
        {
            Assert.DoesNotContain(internalName, text, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Truncated_json_is_a_400_problem()
    {
        var response = await _app.Client.PostAsync("/prices", new StringContent("""{"price": 12.5, "curr""", Encoding.UTF8, "application/json"));

        await Problem(response, HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task A_query_parameter_of_the_wrong_type_is_a_400_problem_naming_it()
    {
        var response = await _app.Client.GetAsync("/count?take=many");

        var problem = await Problem(response, HttpStatusCode.BadRequest);
        Assert.Contains("take", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_wrong_content_type_is_a_415_problem()
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/prices") { Content = new StringContent("price=1", Encoding.UTF8, "text/plain") };
        var response = await _app.Client.SendAsync(request.WithIdentity("shop-a"));

        await Problem(response, HttpStatusCode.UnsupportedMediaType);
    }

    [Fact]
    public async Task An_oversized_body_is_a_413_problem()
    {
        var body = $$"""{"price": 1, "currency": "{{new string('E', 4096)}}"}""";
        var response = await _app.Client.PostAsync("/prices", new StringContent(body, Encoding.UTF8, "application/json"));

        await Problem(response, HttpStatusCode.RequestEntityTooLarge);
    }

    [Fact]
    public async Task A_body_far_over_the_limit_gets_its_413_answer_not_a_broken_pipe()
    {
        // 2 MiB against a 1 KiB limit: refused unread, the client would still be sending when the connection closes.
        var body = "{\"price\": 1, \"currency\": \"" + new string('E', 2 * 1024 * 1024) + "\"}";
        for (var attempt = 0; attempt < 5; attempt++)
        {
            var response = await _app.Client.PostAsync("/prices", new StringContent(body, Encoding.UTF8, "application/json"));

            var problem = await Problem(response, HttpStatusCode.RequestEntityTooLarge);
            Assert.Contains("at most 1024 bytes", problem.GetProperty("detail").GetString());
        }

        // The connection is still good for the next request.
        Assert.Equal(HttpStatusCode.OK, (await _app.Client.PostAsJsonAsync("/prices", new { price = 1m, currency = "EUR" })).StatusCode);
    }

    [Fact]
    public async Task A_wrong_method_is_a_405_problem()
    {
        var response = await _app.Client.SendAsync(new HttpRequestMessage(HttpMethod.Delete, "/prices").WithIdentity("shop-a"));

        await Problem(response, HttpStatusCode.MethodNotAllowed);
    }

    [Fact]
    public async Task Anonymous_requests_to_unknown_routes_get_401_not_a_map_of_the_api()
    {
        await Problem(await _app.Client.GetAsync("/nothing-here"), HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task A_valid_request_still_works()
    {
        var response = await _app.Client.PostAsJsonAsync("/prices", new { price = 12.5m, currency = "EUR" });
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);

        var request = new HttpRequestMessage(HttpMethod.Get, "/whoami").WithIdentity("shop-a");
        Assert.Equal("shop-a", await (await _app.Client.SendAsync(request)).Content.ReadAsStringAsync());
    }

    private static async Task<JsonElement> Problem(HttpResponseMessage response, HttpStatusCode status)
    {
        Assert.Equal(status, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal((int)status, problem.GetProperty("status").GetInt32());
        Assert.False(string.IsNullOrEmpty(problem.GetProperty("title").GetString()));
        Assert.True(problem.TryGetProperty("traceId", out _));
        return problem;
    }
}
