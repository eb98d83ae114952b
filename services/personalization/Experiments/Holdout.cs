using MachCommerce.Personalization.Decisions;

namespace MachCommerce.Personalization.Experiments;

/// <summary>
/// The global holdout: a stable share of each tenant's consenting subjects who get the broadcast choice on every
/// placement and take part in no experiment. Against them, personalization as a whole is measured: the report
/// "personalization vs broadcast" answers the mission's question for the whole shop. Membership is an exposure row
/// of the pseudo-experiment <see cref="Id"/>, written at the subject's first decision: so it is stable (a later
/// change of the share affects new subjects only), shown in the subject's export and erased with the subject.
/// </summary>
internal static class Holdout
{
    public static readonly Guid Id = Api.Personalization.Assignment.HoldoutExperimentId;
    public const string HoldoutVariant = Api.Personalization.Assignment.HoldoutArm;
    public const string PersonalizedVariant = Api.Personalization.Assignment.PersonalizedArm;

    /// <summary>Purchases count for the holdout comparison for a month after a subject's first decision.</summary>
    public static readonly TimeSpan AttributionWindow = TimeSpan.FromDays(30);

    /// <summary>Whether a subject seen for the first time joins the holdout: a hash of tenant and subject against the share.</summary>
    public static bool Draws(string tenantId, string subjectKey, double share) => Api.Personalization.Assignment.InHoldout(tenantId, subjectKey, share);

    public static void MapHoldoutApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/holdout/report", Report).WithTags("Experiments").RequireScope(Scopes.PersonalizationManage).WithName("GetHoldoutReport")
            .WithSummary("Personalization against broadcast over all placements, for the subjects first seen in a period.");
    }

    private static async Task<Results<Ok<HoldoutReportView>, ValidationProblem>> Report(DateOnly? from, DateOnly? to, RequestIdentity identity, PersonalizationDatabase database,
        IOptions<PersonalizationOptions> options, TimeProvider time, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var until = to ?? DateOnly.FromDateTime(now.UtcDateTime);
        var since = from ?? until.AddDays(-90);
        var errors = new FieldErrors();
        foreach (var (field, day) in new[] { ("from", since), ("to", until) })
        {
            if (day.Year is < 2000 or > 2100)
            {
                errors.Add(field, "must be a date (yyyy-MM-dd) between 2000 and 2100.");
            }
        }

        if (!errors.Any && (since > until || until.DayNumber - since.DayNumber > 366))
        {
            errors.Add("from", "must be on or before 'to', at most 366 days apart.");
        }

        if (errors.Any)
        {
            return TypedResults.ValidationProblem(errors);
        }

        await using var db = await database.BeginAsync(identity.TenantId, cancellationToken);
        var settings = await ExperimentSettingsApi.ReadAsync(db.Transaction, identity.TenantId, options.Value, cancellationToken);
        var start = new DateTimeOffset(since.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
        var end = new DateTimeOffset(until.AddDays(1).ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
        var days = await ExperimentData.ReadAsync(db.Transaction, identity.TenantId, Id, since, until, AttributionWindow, now, options.Value.ExperimentReportFreshness, cancellationToken);
        var currency = await ExperimentData.CurrencyAsync(db.Transaction, identity.TenantId, cancellationToken);
        var share = settings.HoldoutShare;
        // The split the sample-ratio check expects is the share in force; a tenant that changed it mid-period sees a mismatch.
        var arms = new List<Arm>
        {
            new(HoldoutVariant, "broadcast", (int)Math.Max(1, Math.Round(share * 1000))), new(PersonalizedVariant, "personalized", (int)Math.Round((1 - share) * 1000)),
        };

        var statistics = ExperimentReport.Build(arms, HoldoutVariant, ExperimentReport.RevenuePerSubject, days, settings with { MinDays = 0 }, start, end < now ? end : now, currency);
        var personalized = ArmTotals.Of(days.Where(d => d.Variant == PersonalizedVariant)).Subjects;
        var revenue = statistics.Variants.Single(v => v.Key == PersonalizedVariant).Comparison?.RevenuePerSubject;
        // Extra revenue over the period: the uplift per subject (CUPED-adjusted, always-valid) times the subjects who were personalized.
        var perSubject = (revenue?.Cuped ?? revenue)?.SequentialAbsolute;
        var report = new HoldoutReportView(statistics)
        {
            From = since,
            To = until,
            HoldoutShare = share,
            ExtraRevenue = perSubject is null ? null
                : new ExtraRevenueView(perSubject.Value * personalized, perSubject.CiLow * personalized, perSubject.CiHigh * personalized, personalized),
        };
        await db.Transaction.CommitAsync(cancellationToken);
        return TypedResults.Ok(report);
    }
}
