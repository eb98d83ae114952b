using MachCommerce.Personalization.Decisions;

namespace MachCommerce.Personalization.Experiments;

/// <summary>
/// A tenant's rules for reading experiments: no verdict before each arm has <see cref="MinSubjectsPerArm"/> subjects
/// and <see cref="MinConversionsPerArm"/> conversions and the experiment has run <see cref="MinDays"/> days (one
/// weekly cycle: a Monday's shoppers are not a Saturday's); the confidence level; and the share of consenting
/// subjects in the global holdout.
/// </summary>
public sealed record ExperimentSettings(int MinSubjectsPerArm, int MinConversionsPerArm, int MinDays, double Confidence, double HoldoutShare)
{
    public static ExperimentSettings Defaults(double holdoutShare) => new(100, 25, 7, 0.95, holdoutShare);

    public double Alpha => 1 - Confidence;
}

internal static class ExperimentSettingsApi
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public static void MapExperimentSettingsApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/experiment-settings").WithTags("Experiments").RequireScope(Scopes.PersonalizationManage);
        group.MapGet("/", Get).WithName("GetExperimentSettings");
        group.MapPut("/", Put).WithName("ReplaceExperimentSettings");
    }

    private static async Task<Ok<ExperimentSettings>> Get(RequestIdentity identity, PersonalizationDatabase database, IOptions<PersonalizationOptions> options, CancellationToken cancellationToken)
    {
        await using var db = await database.BeginAsync(identity.TenantId, cancellationToken);
        return TypedResults.Ok(await ReadAsync(db.Transaction, identity.TenantId, options.Value, cancellationToken));
    }

    private static async Task<Results<Ok<ExperimentSettings>, ValidationProblem>> Put(ExperimentSettingsInput input, RequestIdentity identity, PersonalizationDatabase database, TenantDefinitions cache,
        IOptions<PersonalizationOptions> options, CancellationToken cancellationToken)
    {
        var defaults = ExperimentSettings.Defaults(options.Value.HoldoutShare);
        var errors = new FieldErrors();
        if (input.MinSubjectsPerArm is not (null or (>= 10 and <= 10_000_000)))
        {
            errors.Add("minSubjectsPerArm", "must be between 10 and 10,000,000.");
        }

        if (input.MinConversionsPerArm is not (null or (>= 0 and <= 1_000_000)))
        {
            errors.Add("minConversionsPerArm", "must be between 0 and 1,000,000.");
        }

        if (input.MinDays is not (null or (>= 0 and <= 90)))
        {
            errors.Add("minDays", "must be between 0 and 90.");
        }

        if (input.Confidence is not (null or (>= 0.8 and <= 0.999)))
        {
            errors.Add("confidence", "must be between 0.8 and 0.999 (0.95 means a 95 % interval).");
        }

        if (input.HoldoutShare is not (null or (>= 0 and <= 0.5)))
        {
            errors.Add("holdoutShare", "must be between 0 (no holdout) and 0.5 (half of the consenting subjects).");
        }

        if (errors.Any)
        {
            return TypedResults.ValidationProblem(errors);
        }

        var settings = new ExperimentSettings(input.MinSubjectsPerArm ?? defaults.MinSubjectsPerArm, input.MinConversionsPerArm ?? defaults.MinConversionsPerArm,
            input.MinDays ?? defaults.MinDays, input.Confidence ?? defaults.Confidence, input.HoldoutShare ?? defaults.HoldoutShare);
        await using var db = await database.BeginAsync(identity.TenantId, cancellationToken);
        await using var command = new NpgsqlCommand("""
            INSERT INTO experiment_settings (tenant_id, settings) VALUES ($1, $2::jsonb)
            ON CONFLICT (tenant_id) DO UPDATE SET settings = excluded.settings, updated_at = now()
            """, db.Connection, db.Transaction);
        command.Parameters.Add(new() { Value = identity.TenantId });
        command.Parameters.Add(new() { Value = JsonSerializer.Serialize(settings, Json) });
        await command.ExecuteNonQueryAsync(cancellationToken);
        await db.Transaction.CommitAsync(cancellationToken);
        cache.Invalidate(identity.TenantId);
        return TypedResults.Ok(settings);
    }

    /// <summary>The tenant's settings, or the defaults (the holdout's share from the service's configuration).</summary>
    public static async Task<ExperimentSettings> ReadAsync(NpgsqlTransaction transaction, string tenantId, PersonalizationOptions options, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand("SELECT settings::text FROM experiment_settings WHERE tenant_id = $1", transaction.Connection, transaction);
        command.Parameters.Add(new() { Value = tenantId });
        return await command.ExecuteScalarAsync(cancellationToken) is string json
            ? JsonSerializer.Deserialize<ExperimentSettings>(json, Json)!
            : ExperimentSettings.Defaults(options.HoldoutShare);
    }
}
