using MachCommerce.Hosting.Logging;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace MachCommerce.Platform.Tests.Hosting;

public sealed class LoggingTests
{
    [Fact]
    public async Task Log_lines_of_a_request_carry_its_correlation_id_and_tenant()
    {
        var sink = new CapturingLoggerProvider();
        await using var app = await TestApp.StartAsync(builder => builder.Logging.AddProvider(sink), app =>
            app.MapGet("/work", (ILogger<LoggingTests> logger) =>
            {
                logger.LogInformation("doing the work");
                return Results.Ok();
            }));

        var request = new HttpRequestMessage(HttpMethod.Get, "/work").WithIdentity("shop-a");
        request.Headers.Add(CorrelationId.HeaderName, "order-17");
        Assert.True((await app.Client.SendAsync(request)).IsSuccessStatusCode);

        var line = sink.Entries.Single(e => e.Message == "doing the work");
        Assert.Equal("order-17", line.Scope["CorrelationId"]);
        Assert.Equal("shop-a", line.Scope["TenantId"]);
    }

    [Fact]
    public async Task The_console_format_is_json_with_scopes()
    {
        await using var app = await TestApp.StartAsync(null, _ => { });
        var options = app.App.Services.GetRequiredService<Microsoft.Extensions.Options.IOptionsMonitor<Microsoft.Extensions.Logging.Console.JsonConsoleFormatterOptions>>()
            .CurrentValue;

        Assert.True(options.IncludeScopes);
        Assert.True(options.UseUtcTimestamp);
        var consoleOptions = app.App.Services.GetRequiredService<Microsoft.Extensions.Options.IOptionsMonitor<Microsoft.Extensions.Logging.Console.ConsoleLoggerOptions>>().CurrentValue;
        Assert.Equal(Microsoft.Extensions.Logging.Console.ConsoleFormatterNames.Json, consoleOptions.FormatterName);
    }

    private sealed class CapturingLoggerProvider : ILoggerProvider, ISupportExternalScope
    {
        private IExternalScopeProvider _scopes = new LoggerExternalScopeProvider();

        public List<(string Message, Dictionary<string, object?> Scope)> Entries { get; } = [];

        public ILogger CreateLogger(string categoryName) => new Logger(this);

        public void SetScopeProvider(IExternalScopeProvider scopeProvider) => _scopes = scopeProvider;

        public void Dispose()
        {
        }

        private sealed class Logger(CapturingLoggerProvider provider) : ILogger
        {
            public IDisposable? BeginScope<TState>(TState state) where TState : notnull => provider._scopes.Push(state);

            public bool IsEnabled(LogLevel logLevel) => true;

            public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
            {
                var scope = new Dictionary<string, object?>();
                provider._scopes.ForEachScope((value, values) =>
                {
                    if (value is IEnumerable<KeyValuePair<string, object?>> pairs)
                    {
                        foreach (var (key, item) in pairs)
                        {
                            values[key] = item;
                        }
                    }
                }, scope);
                lock (provider.Entries)
                {
                    provider.Entries.Add((formatter(state, exception), scope));
                }
            }
        }
    }
}
