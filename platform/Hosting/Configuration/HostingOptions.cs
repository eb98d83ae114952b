namespace MachCommerce.Hosting.Configuration;

/// <summary>Process-level settings every service shares (<c>Hosting__*</c>).</summary>
public sealed class HostingOptions
{
    public const string Section = "Hosting";

    /// <summary>How long in-flight requests and background work get to finish after SIGTERM.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "00:05:00")]
    public TimeSpan ShutdownTimeout { get; set; } = TimeSpan.FromSeconds(20);

    /// <summary>The largest request body an endpoint accepts unless it declares its own limit (413 beyond it).</summary>
    [Range(1024, 1024L * 1024 * 1024)]
    public long MaxRequestBodyBytes { get; set; } = 1024 * 1024;
}
