using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace MachCommerce.Platform.Tests.Hosting;

/// <summary>Traces and metrics leave a service only for the collector it is given, and reach it.</summary>
public sealed class TelemetryTests
{
    [Fact]
    public async Task With_an_OTLP_endpoint_a_request_is_exported_as_a_trace_to_that_collector()
    {
        // A collector on loopback that records what it is sent (OTLP over HTTP with protobuf bodies).
        var received = new ConcurrentBag<string>();
        var collectorBuilder = WebApplication.CreateSlimBuilder();
        collectorBuilder.WebHost.UseUrls("http://127.0.0.1:0");
        collectorBuilder.Logging.ClearProviders();
        await using var collector = collectorBuilder.Build();
        collector.MapPost("/v1/{signal}", async (string signal, HttpRequest request) =>
        {
            using var body = new MemoryStream();
            await request.Body.CopyToAsync(body);
            received.Add(signal + ":" + System.Text.Encoding.Latin1.GetString(body.ToArray()));
            return Results.Ok();
        });
        await collector.StartAsync();

        await using (var app = await TestApp.StartAsync(null, service => service.MapGet("/traced-endpoint", () => "ok").AllowAnonymous(), new Dictionary<string, string?>
        {
            ["OTEL_EXPORTER_OTLP_ENDPOINT"] = collector.Urls.First(),
            ["OTEL_EXPORTER_OTLP_PROTOCOL"] = "http/protobuf",
            ["OTEL_BSP_SCHEDULE_DELAY"] = "100",
        }))
        {
            Assert.Equal("ok", await app.Client.GetStringAsync("/traced-endpoint"));
            var deadline = DateTime.UtcNow.AddSeconds(20);
            while (!received.Any(r => r.StartsWith("traces:", StringComparison.Ordinal) && r.Contains("/traced-endpoint", StringComparison.Ordinal)) && DateTime.UtcNow < deadline)
            {
                await Task.Delay(100);
            }
        }

        Assert.Contains(received, r => r.StartsWith("traces:", StringComparison.Ordinal) && r.Contains("/traced-endpoint", StringComparison.Ordinal));
        Assert.DoesNotContain(received, r => r.Contains("/health", StringComparison.Ordinal));
    }
}
