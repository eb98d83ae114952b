using MachCommerce.Personalization.Definitions;
using MachCommerce.Personalization.Experiments.Statistics;

namespace MachCommerce.Personalization.Experiments;

/// <summary>
/// Before an experiment starts: how many subjects per arm and how many days it needs to detect a given relative
/// uplift of the primary metric, from the placement's measured traffic (new consenting subjects per day over the
/// last 28 days) and the shop's measured baseline (the subjects of the last 90 days), either of which the
/// merchant may give instead. More than two arms split α by their number (Bonferroni: Holm's first step).
/// </summary>
internal static class ExperimentPlanner
{
    public static async Task<Results<Ok<ExperimentPlanView>, ValidationProblem>> Plan(PlanInput input, RequestIdentity identity, PersonalizationDatabase database, IOptions<PersonalizationOptions> options,
        CancellationToken cancellationToken)
    {
        var errors = new FieldErrors();
        if (input.Placement is null || !Placements.Known.Contains(input.Placement))
        {
            errors.Add("placement", $"must be one of {Placements.List}.");
        }

        if (input.MinimumDetectableEffect is not (>= 0.005 and <= 5))
        {
            errors.Add("minimumDetectableEffect", "is required: the smallest relative uplift worth detecting, between 0.005 (0.5 %) and 5 (500 %).");
        }

        var metric = input.PrimaryMetric ?? ExperimentReport.RevenuePerSubject;
        if (!ExperimentReport.PrimaryMetrics.Contains(metric))
        {
            errors.Add("primaryMetric", $"must be one of {string.Join(", ", ExperimentReport.PrimaryMetrics)}.");
        }

        if (input.Variants is not (null or (>= 2 and <= 10)))
        {
            errors.Add("variants", "must be between 2 and 10 (control included).");
        }

        if (input.Power is not (null or (>= 0.5 and <= 0.99)))
        {
            errors.Add("power", "must be between 0.5 and 0.99.");
        }

        if (input.BaselineConversionRate is not (null or (> 0 and < 1)))
        {
            errors.Add("baselineConversionRate", "must be above 0 and below 1.");
        }

        if (input.BaselineRevenuePerSubject is not (null or > 0))
        {
            errors.Add("baselineRevenuePerSubject", "must be above 0.");
        }

        if (input.RevenueStandardDeviation is not (null or > 0))
        {
            errors.Add("revenueStandardDeviation", "must be above 0.");
        }

        if (input.DailySubjects is not (null or (> 0 and <= 100_000_000)))
        {
            errors.Add("dailySubjects", "must be above 0.");
        }

        if (errors.Any)
        {
            return TypedResults.ValidationProblem(errors);
        }

        await using var db = await database.BeginAsync(identity.TenantId, cancellationToken);
        var settings = await ExperimentSettingsApi.ReadAsync(db.Transaction, identity.TenantId, options.Value, cancellationToken);
        var measured = await MeasureAsync(db.Transaction, identity.TenantId, input.Placement!, cancellationToken);
        var daily = input.DailySubjects ?? measured.DailySubjects;
        var arms = input.Variants ?? 2;
        var power = input.Power ?? 0.8;
        var alpha = settings.Alpha / (arms - 1);
        var mde = input.MinimumDetectableEffect!.Value;

        double effectSize, baseline;
        PlanBaselineView baselineView;
        if (metric == ExperimentReport.ConversionRate)
        {
            baseline = input.BaselineConversionRate ?? measured.ConversionRate;
            if (!(baseline > 0) || baseline * (1 + mde) >= 1)
            {
                return Missing("baselineConversionRate", baseline > 0
                    ? "with this uplift the rate would reach 100 %; choose a smaller minimum detectable effect."
                    : "no purchases measured yet: give the expected conversion rate (0.03 for 3 %).");
            }

            effectSize = Power.CohensH(baseline, baseline * (1 + mde));
            baselineView = new PlanBaselineView(baseline, null, null, input.BaselineConversionRate is null);
        }
        else
        {
            baseline = input.BaselineRevenuePerSubject ?? measured.RevenuePerSubject;
            var sd = input.RevenueStandardDeviation ?? measured.RevenueStandardDeviation;
            if (!(baseline > 0) || !(sd > 0))
            {
                return Missing("baselineRevenuePerSubject", "no revenue measured yet: give the expected revenue per subject and its standard deviation (revenueStandardDeviation).");
            }

            effectSize = baseline * mde / sd;
            baselineView = new PlanBaselineView(null, baseline, sd, input.BaselineRevenuePerSubject is null);
        }

        if (!(daily > 0))
        {
            return Missing("dailySubjects", $"no traffic measured on {input.Placement} in the last 28 days: give the expected consenting subjects per day.");
        }

        var perArm = Math.Ceiling(Power.SubjectsPerArm(effectSize, alpha, power));
        var total = perArm * arms;
        var days = Math.Max(settings.MinDays, (int)Math.Ceiling(total / daily));
        // The verdict reads the confidence sequence, which needs more subjects than the fixed-horizon test: the plan
        // in words is the verdict's, so a merchant is not told to wait 30 days and then asked for 20 more.
        var alwaysValidPerArm = Math.Max(settings.MinSubjectsPerArm, Math.Ceiling(Power.AlwaysValidSubjectsPerArm(effectSize, alpha, power)));
        var alwaysValidDays = Math.Max(settings.MinDays, (int)Math.Ceiling(alwaysValidPerArm * arms / daily));
        var german = ExperimentReport.GermanNumbers;
        return TypedResults.Ok(new ExperimentPlanView(input.Placement!, metric, mde, arms, power, alpha, baselineView, daily, input.DailySubjects is null, perArm, total, days,
            alwaysValidPerArm, alwaysValidDays,
            $"To detect {mde * 100:0.#} % more {(metric == ExperimentReport.ConversionRate ? "conversions" : "revenue per visitor")} with {power * 100:0} % power, "
            + $"each of the {arms} variants needs {alwaysValidPerArm:N0} visitors: about {alwaysValidDays} days at {daily:N0} visitors a day "
            + $"(a single look at the end would need {perArm:N0} and {days} days).",
            $"Um {(mde * 100).ToString("0.#", german)} % mehr {(metric == ExperimentReport.ConversionRate ? "Käufe" : "Umsatz pro Besucher")} "
            + $"mit {power * 100:0} % Trennschärfe zu erkennen, braucht jede der {arms} Varianten {alwaysValidPerArm.ToString("N0", german)} Besucher: "
            + $"etwa {alwaysValidDays} Tage bei {daily.ToString("N0", german)} Besuchern am Tag (bei nur einem Blick am Ende {perArm.ToString("N0", german)} "
            + $"und {days} Tage)."));
    }

    private static ValidationProblem Missing(string field, string reason) =>
        FieldErrors.Problem(field, reason);

    private sealed record Measured(double DailySubjects, double ConversionRate, double RevenuePerSubject, double RevenueStandardDeviation);

    private static async Task<Measured> MeasureAsync(NpgsqlTransaction transaction, string tenantId, string placement, CancellationToken cancellationToken)
    {
        await using var batch = new NpgsqlBatch(transaction.Connection, transaction);
        // New subjects a day is what an experiment gains a day: the distinct consenting subjects shown an offer there,
        // or those first exposed to an experiment there (a placement with an experiment running), whichever saw more.
        batch.BatchCommands.Add(new NpgsqlBatchCommand("""
            SELECT greatest(
                (SELECT count(DISTINCT i.subject_key) FROM impressions i JOIN offers o ON o.tenant_id = i.tenant_id AND o.id = i.offer_id
                 WHERE i.tenant_id = $1 AND i.shown_at > now() - interval '28 days' AND o.definition->'placements' ? $2),
                (SELECT count(*) FROM exposures x JOIN experiments e ON e.tenant_id = x.tenant_id AND e.id = x.experiment_id
                 WHERE x.tenant_id = $1 AND x.first_exposed_at > now() - interval '28 days' AND e.definition->>'placement' = $2))::float8 / 28
            """)
        {
            Parameters = { new() { Value = tenantId }, new() { Value = placement } },
        });
        // Every consenting subject's first decision records their holdout membership: the shop's baseline population.
        batch.BatchCommands.Add(new NpgsqlBatchCommand("""
            SELECT count(*), count(converted_at), coalesce(avg(revenue::float8), 0), coalesce(stddev_samp(revenue::float8), 0)
            FROM exposures WHERE tenant_id = $1 AND experiment_id = $2 AND first_exposed_at > now() - interval '90 days'
            """)
        {
            Parameters = { new() { Value = tenantId }, new() { Value = Holdout.Id } },
        });
        await using var reader = await batch.ExecuteReaderAsync(cancellationToken);
        await reader.ReadAsync(cancellationToken);
        var daily = reader.GetDouble(0);
        await reader.NextResultAsync(cancellationToken);
        await reader.ReadAsync(cancellationToken);
        var subjects = reader.GetInt64(0);
        return new Measured(daily, subjects == 0 ? 0 : (double)reader.GetInt64(1) / subjects, reader.GetDouble(2), reader.GetDouble(3));
    }
}
