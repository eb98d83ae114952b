namespace MachCommerce.Webhooks;

/// <summary>The webhooks service's schema and application role (see <see cref="ServiceDatabase"/>).</summary>
public sealed class WebhooksDatabase(NpgsqlDataSource dataSource) : ServiceDatabase(dataSource, Schema, ApplicationRole), ServiceDatabase.IDefinition
{
    public static string Schema => "webhooks";
    public static string ApplicationRole => "webhooks_app";

    /// <summary>The channel a commit of new deliveries NOTIFYs, so the dispatcher sends within milliseconds.</summary>
    public const string DeliveriesChannel = "webhooks_deliveries";
}
