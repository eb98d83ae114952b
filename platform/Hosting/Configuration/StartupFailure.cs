namespace MachCommerce.Hosting.Configuration;

public static class StartupFailure
{
    /// <summary>
    /// Runs the application and turns a configuration failure at start-up into one readable line on stderr and
    /// exit code 2, instead of a stack trace an operator has to dig through.
    /// </summary>
    public static async Task<int> RunServiceAsync(this Microsoft.AspNetCore.Builder.WebApplication app)
    {
        try
        {
            await app.RunAsync();
            return 0;
        }
        catch (Exception exception) when (Describe(exception) is { } message)
        {
            await Console.Error.WriteLineAsync($"{app.Environment.ApplicationName} cannot start: {message}");
            return 2;
        }
    }

    /// <summary>The operator-facing reason for a start-up failure, or null when it is not a configuration problem.</summary>
    public static string? Describe(Exception exception) => exception switch
    {
        OptionsValidationException validation => string.Join("; ", validation.Failures),
        InvalidOperationException { Message: var message } when message.StartsWith("Failed to convert configuration value", StringComparison.Ordinal)
            => message + (exception.InnerException is { } inner ? $" ({inner.Message})" : ""),
        AggregateException aggregate when aggregate.InnerExceptions.Count == 1 => Describe(aggregate.InnerExceptions[0]),
        Migrations.MigrationException migration => migration.Message,
        _ => null,
    };
}
