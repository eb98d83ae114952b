using MachCommerce.Contracts.Personalization.V1;
using MachCommerce.Personalization.Decisions;
using MachCommerce.Personalization.Definitions;

namespace MachCommerce.Personalization.Experiments;

/// <summary>
/// Experiments compare strategies on one placement: visitors are split deterministically by a hash of the
/// experiment and the subject, exposures are logged when a decision is made, and clicks, redemptions and purchases
/// inside the attribution window are credited to the variant the subject saw.
/// </summary>
internal static class ExperimentsApi
{
    private static readonly DefinitionApi<ExperimentInput> Definitions = new(ExperimentModel.Table, "Experiment", ValidateAsync, RunningAsync);

    public static void MapExperimentsApi(this IEndpointRouteBuilder app)
    {
        var group = Definitions.Map(app, "/experiments", Scopes.PersonalizationManage);
        group.MapPost("/", (ExperimentInput input, [AsParameters] DefinitionWrite write) => Definitions.Create(input, write)).WithName("CreateExperiment");
        group.MapPut("/{id:guid}", (Guid id, ExperimentInput input, [AsParameters] DefinitionWrite write) => Definitions.Replace(id, input, write)).WithName("ReplaceExperiment");
        group.MapPost("/{id:guid}/start", Start).WithName("StartExperiment");
        group.MapPost("/{id:guid}/stop", Stop).WithName("StopExperiment");
        group.MapGet("/{id:guid}/report", Report).WithName("GetExperimentReport")
            .WithSummary("Every metric per variant with intervals, the comparison with control, the sample ratio check, the guards and the verdict in words.");
        group.MapGet("/{id:guid}/report/daily", Daily).WithName("GetExperimentDailySeries")
            .WithSummary("The primary metric per day, cumulative: the estimate with its fixed-horizon and always-valid intervals, for charts.");
        app.MapPost("/experiment-plans", ExperimentPlanner.Plan).WithTags("Experiments").RequireScope(Scopes.PersonalizationManage).WithName("PlanExperiment")
            .WithSummary("Subjects per arm and days needed to detect an uplift on a placement, before the experiment starts.");
    }

    internal static Task<ValidDefinition?> ValidateAsync(ExperimentInput input, DefinitionContext context)
    {
        var errors = context.Errors;
        if (context.Existing is { Status: not "draft" } existing)
        {
            errors.Add("status", $"a {existing.Status} experiment cannot be changed: its numbers would no longer mean anything. Create a new one.");
            return Task.FromResult<ValidDefinition?>(null);
        }

        var name = input.Name?.Trim();
        if (string.IsNullOrEmpty(name) || name.Length > 200)
        {
            errors.Add("name", "is required, at most 200 characters.");
        }

        if (input.Description is { Length: > 1000 })
        {
            errors.Add("description", "must be at most 1000 characters.");
        }

        if (input.Placement is null || !Placements.Known.Contains(input.Placement))
        {
            errors.Add("placement", $"must be one of {Placements.List}.");
        }

        var keys = new HashSet<string>(StringComparer.Ordinal);
        if (input.Variants is not { Count: >= 2 and <= 10 } variants)
        {
            errors.Add("variants", "an experiment needs 2 to 10 variants.");
        }
        else
        {
            for (var i = 0; i < variants.Count; i++)
            {
                var variant = variants[i];
                if (variant?.Key is not { Length: >= 1 and <= 40 } key || !keys.Add(key))
                {
                    errors.Add($"variants[{i}].key", "is required, 1 to 40 characters, unique within the experiment.");
                }

                if (variant?.Strategy is null || !ExperimentModel.Strategies.Contains(variant.Strategy))
                {
                    errors.Add($"variants[{i}].strategy", $"must be one of {string.Join(", ", ExperimentModel.Strategies)}.");
                }

                if (variant?.Weight is not (>= 1 and <= 100))
                {
                    errors.Add($"variants[{i}].weight", "must be between 1 and 100 (a share of the traffic relative to the others).");
                }
            }
        }

        var control = input.ControlVariant ?? input.Variants?.FirstOrDefault()?.Key;
        if (control is not null && !keys.Contains(control) && !errors.Any)
        {
            errors.Add("controlVariant", "must be the key of one of the variants.");
        }

        if (input.AttributionWindowHours is not null and not (>= 1 and <= 720))
        {
            errors.Add("attributionWindowHours", "must be between 1 and 720 (30 days).");
        }

        if (input.PrimaryMetric is not null && !ExperimentReport.PrimaryMetrics.Contains(input.PrimaryMetric))
        {
            errors.Add("primaryMetric", $"must be one of {string.Join(", ", ExperimentReport.PrimaryMetrics)}.");
        }

        return Task.FromResult(errors.Any ? null : new ValidDefinition(name!, "draft", new JsonObject
        {
            ["description"] = input.Description,
            ["placement"] = input.Placement,
            ["variants"] = new JsonArray([.. input.Variants!.Select(v => (JsonNode)new JsonObject { ["key"] = v!.Key, ["strategy"] = v.Strategy, ["weight"] = v.Weight })]),
            ["controlVariant"] = control,
            ["attributionWindowHours"] = input.AttributionWindowHours ?? 168,
            ["primaryMetric"] = input.PrimaryMetric ?? ExperimentReport.RevenuePerSubject,
        }));
    }

    private static Task<string?> RunningAsync(NpgsqlTransaction transaction, string tenantId, StoredDefinition experiment, CancellationToken cancellationToken) =>
        Task.FromResult(experiment.Status == "running" ? "A running experiment cannot be deleted; stop it first (its report stays available)." : null);

    private static async Task<Results<Ok<JsonObject>, ProblemHttpResult>> Start(Guid id, RequestIdentity identity, PersonalizationDatabase database, TenantDefinitions cache,
        IEventOutbox outbox, CancellationToken cancellationToken) =>
        await ChangeStatusAsync(id, identity, database, cache, outbox, "draft", "running", "startedAt", cancellationToken);

    private static async Task<Results<Ok<JsonObject>, ProblemHttpResult>> Stop(Guid id, RequestIdentity identity, PersonalizationDatabase database, TenantDefinitions cache,
        IEventOutbox outbox, CancellationToken cancellationToken) =>
        await ChangeStatusAsync(id, identity, database, cache, outbox, "running", "stopped", "stoppedAt", cancellationToken);

    private static async Task<Results<Ok<JsonObject>, ProblemHttpResult>> ChangeStatusAsync(Guid id, RequestIdentity identity, PersonalizationDatabase database, TenantDefinitions cache,
        IEventOutbox outbox, string from, string to, string timestampField, CancellationToken cancellationToken)
    {
        await using var db = await database.BeginAsync(identity.TenantId, cancellationToken);
        StoredDefinition? stored;
        string? conflict;
        try
        {
            (stored, conflict) = await ChangeStatusAsync(db.Transaction, identity.TenantId, id, outbox, from, to, timestampField, cancellationToken);
        }
        catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.UniqueViolation)
        {
            // Two starts on one placement at the same moment: the index lets one through.
            (stored, conflict) = (null, "Another experiment was started on the same placement at the same moment; stop it first.");
        }

        if (stored is null)
        {
            return conflict is null ? NotFound(id) : TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, title: "Conflict", detail: conflict);
        }

        await db.Transaction.CommitAsync(cancellationToken);
        cache.Invalidate(identity.TenantId);
        return TypedResults.Ok(stored.View());
    }

    /// <summary>
    /// Starts (draft → running) or stops (running → stopped, announced as <see cref="ExperimentFinished"/>) an experiment
    /// inside the caller's transaction; null and the reason when it cannot (null and no reason: there is no such experiment).
    /// </summary>
    internal static async Task<(StoredDefinition? Experiment, string? Conflict)> ChangeStatusAsync(NpgsqlTransaction transaction, string tenantId, Guid id, IEventOutbox outbox,
        string from, string to, string timestampField, CancellationToken cancellationToken)
    {
        if (await DefinitionStore.FindAsync(transaction, ExperimentModel.Table, tenantId, id, cancellationToken, forUpdate: true) is not { } experiment)
        {
            return (null, null);
        }

        if (experiment.Status != from)
        {
            return (null, $"The experiment is {experiment.Status}; only a {from} experiment can become {to}.");
        }

        var definition = (JsonObject)experiment.Definition.DeepClone();
        definition[timestampField] = DateTimeOffset.UtcNow;
        if (to == "running" && await RunningOnAsync(transaction, tenantId, definition["placement"]!.GetValue<string>(), cancellationToken) is { } running)
        {
            return (null, $"Another experiment (\"{running}\") is already running on {definition["placement"]}; stop it first.");
        }

        await DefinitionStore.SetStatusAsync(transaction, ExperimentModel.Table, tenantId, id, to, definition, cancellationToken);
        var stored = (await DefinitionStore.FindAsync(transaction, ExperimentModel.Table, tenantId, id, cancellationToken))!;
        if (to == "stopped")
        {
            await outbox.AddAsync(transaction, new ExperimentFinished
            {
                TenantId = tenantId, OccurredAt = DateTimeOffset.UtcNow, ExperimentId = id, Name = stored.Name,
                Placement = definition["placement"]?.GetValue<string>(), StartedAt = definition["startedAt"]?.GetValue<DateTimeOffset>(),
                StoppedAt = definition[timestampField]!.GetValue<DateTimeOffset>(),
            }, id.ToString(), cancellationToken);
        }

        return (stored, null);
    }

    /// <summary>The name of the experiment running on the placement, if one is (one at a time: visitors can be in one arm only).</summary>
    internal static async Task<string?> RunningOnAsync(NpgsqlTransaction transaction, string tenantId, string placement, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand("SELECT name FROM experiments WHERE tenant_id = $1 AND status = 'running' AND definition->>'placement' = $2",
            transaction.Connection, transaction);
        command.Parameters.Add(new() { Value = tenantId });
        command.Parameters.Add(new() { Value = placement });
        return await command.ExecuteScalarAsync(cancellationToken) as string;
    }

    private static async Task<Results<Ok<ExperimentReportView>, ProblemHttpResult>> Report(Guid id, RequestIdentity identity, PersonalizationDatabase database,
        IOptions<PersonalizationOptions> options, TimeProvider time, CancellationToken cancellationToken) =>
        await ReportAsync(identity.TenantId, id, database, options, time, cancellationToken) is { } report ? TypedResults.Ok(report) : NotFound(id);

    /// <summary>The tenant's experiment report, or null when the tenant has no such experiment.</summary>
    internal static async Task<ExperimentReportView?> ReportAsync(string tenantId, Guid id, PersonalizationDatabase database, IOptions<PersonalizationOptions> options, TimeProvider time,
        CancellationToken cancellationToken)
    {
        if (await LoadAsync(id, tenantId, database, options, time, cancellationToken) is not { } loaded)
        {
            return null;
        }

        var (experiment, arms, control, primary, days, settings, currency, now) = loaded;
        var startedAt = experiment.Definition["startedAt"]?.GetValue<DateTimeOffset>();
        var stoppedAt = experiment.Definition["stoppedAt"]?.GetValue<DateTimeOffset>();
        return new ExperimentReportView(ExperimentReport.Build(arms, control, primary, days, settings, startedAt, stoppedAt ?? now, currency))
        {
            ExperimentId = experiment.Id,
            Name = experiment.Name,
            Status = experiment.Status,
            Placement = experiment.Definition["placement"]?.GetValue<string>(),
            StartedAt = startedAt,
            StoppedAt = stoppedAt,
            AttributionWindowHours = experiment.Definition["attributionWindowHours"]?.GetValue<int>() ?? 168,
            DataAsOf = now,
        };
    }

    private static async Task<Results<Ok<ExperimentSeriesView>, ProblemHttpResult>> Daily(Guid id, RequestIdentity identity, PersonalizationDatabase database,
        IOptions<PersonalizationOptions> options, TimeProvider time, CancellationToken cancellationToken) =>
        await LoadAsync(id, identity.TenantId, database, options, time, cancellationToken) is { } loaded
            ? TypedResults.Ok(new ExperimentSeriesView(loaded.Experiment.Id, loaded.PrimaryMetric, loaded.Control,
                ExperimentReport.Series(loaded.Arms, loaded.Control, loaded.PrimaryMetric, loaded.Days, loaded.Settings)))
            : NotFound(id);

    /// <summary>The experiment and its arm-days, or null when the tenant has no such experiment.</summary>
    private static async Task<LoadedExperiment?> LoadAsync(Guid id, string tenantId, PersonalizationDatabase database, IOptions<PersonalizationOptions> options,
        TimeProvider time, CancellationToken cancellationToken)
    {
        await using var db = await database.BeginAsync(tenantId, cancellationToken);
        if (await DefinitionStore.FindAsync(db.Transaction, ExperimentModel.Table, tenantId, id, cancellationToken) is not { } experiment)
        {
            return null;
        }

        var settings = await ExperimentSettingsApi.ReadAsync(db.Transaction, tenantId, options.Value, cancellationToken);
        var now = time.GetUtcNow();
        var today = DateOnly.FromDateTime(now.UtcDateTime);
        var started = experiment.Definition["startedAt"]?.GetValue<DateTimeOffset>() is { } at ? DateOnly.FromDateTime(at.UtcDateTime) : today;
        var window = TimeSpan.FromHours(experiment.Definition["attributionWindowHours"]?.GetValue<int>() ?? 168);
        // From the start, or from an earlier exposure (history written before the start, as an import or a test does).
        var first = await ExperimentData.EarliestDayAsync(db.Transaction, tenantId, id, started < today ? started : today, cancellationToken);
        var days = await ExperimentData.ReadAsync(db.Transaction, tenantId, id, first, today, window, now,
            options.Value.ExperimentReportFreshness, cancellationToken);
        var currency = await ExperimentData.CurrencyAsync(db.Transaction, tenantId, cancellationToken);
        // The days just computed are kept for the next report.
        await db.Transaction.CommitAsync(cancellationToken);
        var arms = experiment.Definition["variants"]!.AsArray()
            .Select(v => new Arm(v!["key"]!.GetValue<string>(), v["strategy"]!.GetValue<string>(), v["weight"]!.GetValue<int>())).ToList();
        var control = experiment.Definition["controlVariant"]!.GetValue<string>();
        // Experiments created before the primary metric existed are read by revenue, the number a merchant cares about.
        var primary = experiment.Definition["primaryMetric"]?.GetValue<string>() ?? ExperimentReport.RevenuePerSubject;
        return new LoadedExperiment(experiment, arms, control, primary, days, settings, currency, now);
    }

    private sealed record LoadedExperiment(StoredDefinition Experiment, List<Arm> Arms, string Control, string PrimaryMetric, List<ArmDay> Days,
        ExperimentSettings Settings, string? Currency, DateTimeOffset Now);

    private static ProblemHttpResult NotFound(Guid id) =>
        TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "Experiment not found", detail: $"There is no experiment {id}.");
}
