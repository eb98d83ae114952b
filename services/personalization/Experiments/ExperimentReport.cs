using MachCommerce.Personalization.Experiments.Statistics;

namespace MachCommerce.Personalization.Experiments;

/// <summary>One arm as configured: its key, strategy and share of the traffic.</summary>
internal sealed record Arm(string Key, string Strategy, int Weight);

/// <summary>
/// The report of an experiment (or of the global holdout) from its arm-days: per variant the counts and every
/// metric with its interval, against control each metric read every way (<see cref="Comparison"/>), the sample
/// ratio check, the guards, and the verdict in words. The verdict reads the primary metric with always-valid
/// inference (Holm-adjusted with more than one variant), CUPED-adjusted where the pre-exposure spend explains
/// part of the variance: a merchant may look every day without being shown a false winner more often than α.
/// </summary>
internal static class ExperimentReport
{
    public const string RevenuePerSubject = "revenuePerSubject";
    public const string ConversionRate = "conversionRate";
    public static readonly string[] PrimaryMetrics = [RevenuePerSubject, ConversionRate];

    /// <summary>German digits (1.234,5) without German culture data: the services run in globalization-invariant mode.</summary>
    public static readonly NumberFormatInfo GermanNumbers = new() { NumberDecimalSeparator = ",", NumberGroupSeparator = "." };

    /// <summary>How far ahead "run N more days" may look before the answer is "too small to prove".</summary>
    private const int HorizonDays = 90;

    public static StatisticsView Build(IReadOnlyList<Arm> arms, string control, string primaryMetric, IReadOnlyList<ArmDay> days, ExperimentSettings settings,
        DateTimeOffset? startedAt, DateTimeOffset end, string? currency)
    {
        var totals = arms.ToDictionary(a => a.Key, a => ArmTotals.Of(days.Where(d => d.Variant == a.Key)), StringComparer.Ordinal);
        var confidence = settings.Confidence;
        var controlTotals = totals[control];
        var treatments = arms.Where(a => a.Key != control).ToList();
        var cuped = Cuped.Adjust([.. arms.Select(a => Covariates(totals[a.Key]))]);
        var adjusted = arms.Select((a, i) => (a.Key, cuped.Samples[i])).ToDictionary(x => x.Key, x => x.Item2, StringComparer.Ordinal);

        var comparisons = new Dictionary<string, Dictionary<string, Comparison>>(StringComparer.Ordinal);
        var cupedComparisons = new Dictionary<string, Comparison>(StringComparer.Ordinal);
        foreach (var arm in treatments)
        {
            var t = totals[arm.Key];
            comparisons[arm.Key] = new Dictionary<string, Comparison>(StringComparer.Ordinal)
            {
                [ConversionRate] = Comparison.OfRates(t.Conversions, t.Subjects, controlTotals.Conversions, controlTotals.Subjects, confidence),
                [RevenuePerSubject] = Comparison.OfMeans(Revenue(t), Revenue(controlTotals), confidence),
                ["clickRate"] = Comparison.OfRates(t.Clicks, t.Subjects, controlTotals.Clicks, controlTotals.Subjects, confidence),
                ["redemptionRate"] = Comparison.OfRates(t.Redemptions, t.Subjects, controlTotals.Redemptions, controlTotals.Subjects, confidence),
                ["consentWithdrawalRate"] = Comparison.OfRates(t.Withdrawals, t.Exposed, controlTotals.Withdrawals, controlTotals.Exposed, confidence),
            };
            cupedComparisons[arm.Key] = Comparison.OfMeans(adjusted[arm.Key], adjusted[control], confidence);
        }

        var revenueVariance = treatments.Sum(a => Revenue(totals[a.Key]).VarianceOfMean + Revenue(controlTotals).VarianceOfMean);
        var cupedVariance = treatments.Sum(a => adjusted[a.Key].VarianceOfMean + adjusted[control].VarianceOfMean);
        var varianceReduction = revenueVariance > 0 && cupedVariance < revenueVariance ? 1 - cupedVariance / revenueVariance : 0;
        var useCuped = varianceReduction > 0 && primaryMetric == RevenuePerSubject;
        Comparison Primary(string key) => useCuped ? cupedComparisons[key] : comparisons[key][primaryMetric];

        // Holm over the variants, for the fixed-horizon and the always-valid p-values of each metric alike.
        var holm = new Dictionary<(string, string), (double Fixed, double Sequential)>();
        foreach (var metric in comparisons.Values.FirstOrDefault()?.Keys ?? Enumerable.Empty<string>())
        {
            var fixedAdjusted = Holm.Adjust([.. treatments.Select(a => comparisons[a.Key][metric].PValue)]);
            var sequentialAdjusted = Holm.Adjust([.. treatments.Select(a => comparisons[a.Key][metric].SequentialPValue)]);
            for (var i = 0; i < treatments.Count; i++)
            {
                holm[(treatments[i].Key, metric)] = (fixedAdjusted[i], sequentialAdjusted[i]);
            }
        }

        var primaryAdjusted = Holm.Adjust([.. treatments.Select(a => Primary(a.Key).SequentialPValue)]);
        var primarySignificant = treatments.Select((a, i) => (a.Key, Significant: primaryAdjusted[i] < settings.Alpha)).ToDictionary(x => x.Key, x => x.Significant, StringComparer.Ordinal);

        var srm = SampleRatio.Test([.. arms.Select(a => (double)totals[a.Key].Exposed)], [.. arms.Select(a => (double)a.Weight)]);
        var elapsedDays = startedAt is { } started ? Math.Max(0, (end - started).TotalDays) : 0;
        var guards = Guards(arms, totals, settings, elapsedDays);

        var variants = new List<ExperimentVariantView>();
        foreach (var arm in arms)
        {
            var t = totals[arm.Key];
            VariantComparisons? byMetric = null;
            if (arm.Key != control)
            {
                ComparisonView Read(string metric)
                {
                    var (fixedAdjusted, sequentialAdjusted) = holm[(arm.Key, metric)];
                    return View(comparisons[arm.Key][metric], fixedAdjusted, sequentialAdjusted, settings.Alpha);
                }

                byMetric = new VariantComparisons(Read(ConversionRate),
                    Read(RevenuePerSubject) with { Cuped = View(cupedComparisons[arm.Key], double.NaN, double.NaN, settings.Alpha) },
                    Read("clickRate"), Read("redemptionRate"), Read("consentWithdrawalRate"));
            }

            variants.Add(new ExperimentVariantView(arm.Key, arm.Strategy, arm.Key == control, arm.Weight, t.Subjects, t.Clicks, t.Conversions, t.Redemptions, t.Orders,
                t.Withdrawals, t.Revenue,
                Rate(Proportions.Wilson(t.Conversions, t.Subjects, confidence), t.Subjects), Rate(Proportions.Wilson(t.Clicks, t.Subjects, confidence), t.Subjects),
                Rate(Proportions.Wilson(t.Redemptions, t.Subjects, confidence), t.Subjects), Rate(Proportions.Wilson(t.Withdrawals, t.Exposed, confidence), t.Exposed),
                MeanWithInterval(Revenue(t), confidence), t.Orders == 0 ? null : (double)t.Revenue / t.Orders,
                byMetric, arm.Key == control ? null : primarySignificant[arm.Key]));
        }

        var verdict = Verdict(arms, control, primaryMetric, totals, treatments.ToDictionary(a => a.Key, a => Primary(a.Key), StringComparer.Ordinal), primarySignificant,
            comparisons, srm, guards, elapsedDays, settings);
        var exposed = totals.Values.Sum(x => x.Exposed);
        return new StatisticsView(control, primaryMetric, confidence, currency, Math.Round(elapsedDays, 2),
            new MethodView(
                "always-valid confidence sequences (asymptotic, normal mixture), Holm-adjusted across variants" + (useCuped ? ", CUPED-adjusted" : ""),
                "Wilson intervals; differences by Newcombe's hybrid score interval; pooled two-proportion z-test",
                "Welch's t-test; relative uplift by the delta method",
                "Gaussian approximation with an uninformative prior on the relative uplift",
                Sequential.DefaultTuning),
            new CupedView("revenue per subject before the first exposure", cuped.Theta, varianceReduction, useCuped),
            new SampleRatioView(srm.ChiSquared, srm.PValue, srm.Mismatch,
                arms.ToDictionary(a => a.Key, a => (double)a.Weight / arms.Sum(x => x.Weight), StringComparer.Ordinal),
                arms.ToDictionary(a => a.Key, a => exposed > 0 ? (double?)totals[a.Key].Exposed / exposed : null, StringComparer.Ordinal)),
            new GuardsView(settings.MinSubjectsPerArm, settings.MinConversionsPerArm, settings.MinDays, guards.Met, guards.UnmetEn, guards.UnmetDe),
            variants, verdict);
    }

    /// <summary>The primary metric per day, cumulative: subjects per arm, and per variant the estimate with both intervals.</summary>
    public static IReadOnlyList<SeriesPointView> Series(IReadOnlyList<Arm> arms, string control, string primaryMetric, IReadOnlyList<ArmDay> days, ExperimentSettings settings)
    {
        var series = new List<SeriesPointView>();
        var running = arms.ToDictionary(a => a.Key, _ => ArmTotals.None, StringComparer.Ordinal);
        var byDay = days.ToLookup(d => d.Day);
        foreach (var date in days.Select(d => d.Day).Distinct().Order())
        {
            foreach (var day in byDay[date])
            {
                if (running.TryGetValue(day.Variant, out var before))
                {
                    running[day.Variant] = before.Add(day);
                }
            }

            var c = running[control];
            var variants = new Dictionary<string, SeriesVariantView>(StringComparer.Ordinal);
            foreach (var arm in arms.Where(a => a.Key != control))
            {
                var t = running[arm.Key];
                var comparison = primaryMetric == ConversionRate
                    ? Comparison.OfRates(t.Conversions, t.Subjects, c.Conversions, c.Subjects, settings.Confidence)
                    : Comparison.OfMeans(Revenue(t), Revenue(c), settings.Confidence);
                variants[arm.Key] = new SeriesVariantView(Json(comparison.Relative), Json(comparison.SequentialRelative), Json(comparison.Absolute),
                    Json(comparison.SequentialAbsolute), comparison.Bayes?.ChanceToBeatControl);
            }

            series.Add(new SeriesPointView(date, arms.ToDictionary(a => a.Key, a => running[a.Key].Subjects, StringComparer.Ordinal), variants));
        }

        return series;
    }

    public static Sample Revenue(ArmTotals t) => Sample.FromSums(t.Subjects, (double)t.Revenue, t.RevenueSquares);

    private static CovariateSums Covariates(ArmTotals t) => new(t.Subjects, (double)t.Revenue, t.RevenueSquares, t.PreRevenue, t.PreSquares, t.PreTimesRevenue);

    private static IntervalView? Rate(Interval interval, long n) => n == 0 ? null : Json(interval);

    private static MeanView? MeanWithInterval(Sample sample, double confidence)
    {
        if (sample.N < 2)
        {
            return sample.N == 1 ? new MeanView(sample.Mean, null, null, null) : null;
        }

        var half = Distributions.StudentTQuantile(1 - (1 - confidence) / 2, sample.N - 1) * Math.Sqrt(sample.VarianceOfMean);
        return new MeanView(sample.Mean, Math.Sqrt(sample.Variance), sample.Mean - half, sample.Mean + half);
    }

    private static IntervalView? Json(Interval? interval) => interval is { } i && double.IsFinite(i.Estimate) ? new IntervalView(i.Estimate, Finite(i.Low), Finite(i.High)) : null;

    private static double? Finite(double x) => double.IsFinite(x) ? x : null;

    private static ComparisonView View(Comparison c, double adjustedPValue, double sequentialAdjustedPValue, double alpha) => new(
        Json(c.Absolute), Json(c.Relative), Finite(c.PValue), Finite(adjustedPValue), Json(c.SequentialAbsolute), Json(c.SequentialRelative), Finite(c.SequentialPValue),
        Finite(sequentialAdjustedPValue), (double.IsNaN(sequentialAdjustedPValue) ? c.SequentialPValue : sequentialAdjustedPValue) < alpha,
        c.Bayes?.ChanceToBeatControl, c.Bayes?.RiskOfChoosingVariant, c.Bayes?.RiskOfChoosingControl);

    private sealed record GuardState(bool Met, double DaysShort, List<string> UnmetEn, List<string> UnmetDe, double ElapsedDays);

    /// <summary>The guards, and how many more days the slowest of them needs at the pace so far.</summary>
    private static GuardState Guards(IReadOnlyList<Arm> arms, Dictionary<string, ArmTotals> totals, ExperimentSettings settings, double elapsedDays)
    {
        var en = new List<string>();
        var de = new List<string>();
        var short_ = 0.0;
        if (elapsedDays < settings.MinDays)
        {
            en.Add($"{Number(elapsedDays, 1, "en")} of {settings.MinDays} days");
            de.Add($"{Number(elapsedDays, 1, "de")} von {settings.MinDays} Tagen");
            short_ = settings.MinDays - elapsedDays;
        }

        foreach (var arm in arms)
        {
            var t = totals[arm.Key];
            if (t.Subjects < settings.MinSubjectsPerArm)
            {
                en.Add($"{t.Subjects} of {settings.MinSubjectsPerArm} subjects in {arm.Key}");
                de.Add($"{t.Subjects} von {settings.MinSubjectsPerArm} Besuchern in {arm.Key}");
                short_ = Math.Max(short_, DaysToReach(t.Subjects, settings.MinSubjectsPerArm, elapsedDays));
            }

            if (t.Conversions < settings.MinConversionsPerArm)
            {
                en.Add($"{t.Conversions} of {settings.MinConversionsPerArm} conversions in {arm.Key}");
                de.Add($"{t.Conversions} von {settings.MinConversionsPerArm} Käufen in {arm.Key}");
                short_ = Math.Max(short_, DaysToReach(t.Conversions, settings.MinConversionsPerArm, elapsedDays));
            }
        }

        return new GuardState(en.Count == 0, short_, en, de, elapsedDays);
    }

    private static double DaysToReach(long have, long need, double elapsedDays) =>
        have == 0 || elapsedDays <= 0 ? double.PositiveInfinity : (need - have) / (have / elapsedDays);

    private static VerdictView Verdict(IReadOnlyList<Arm> arms, string control, string primaryMetric, Dictionary<string, ArmTotals> totals,
        Dictionary<string, Comparison> primary, Dictionary<string, bool> significant, Dictionary<string, Dictionary<string, Comparison>> comparisons,
        SampleRatio.Check srm, GuardState guards, double elapsedDays, ExperimentSettings settings)
    {
        var level = Math.Round(settings.Confidence * 100, 1);
        var metricEn = primaryMetric == ConversionRate ? "conversion rate" : "revenue per visitor";
        var metricDe = primaryMetric == ConversionRate ? "Kaufrate" : "Umsatz pro Besucher";
        if (totals.Values.All(t => t.Exposed == 0))
        {
            return Words("no-data", null, "No data yet: no visitor has seen the experiment.", "Noch keine Daten: Kein Besucher hat das Experiment gesehen.");
        }

        if (srm.Mismatch)
        {
            var all = totals.Values.Sum(t => (double)t.Exposed);
            var weightTotal = arms.Sum(a => (double)a.Weight);
            var worst = arms.MaxBy(a => Math.Abs(totals[a.Key].Exposed / all - a.Weight / weightTotal))!;
            var observed = totals[worst.Key].Exposed / all;
            var expected = worst.Weight / weightTotal;
            return Words("sample-ratio-mismatch", null,
                $"The traffic split is broken: {worst.Key} got {Percent(observed, "en")} of the visitors where {Percent(expected, "en")} were planned (p = {Scientific(srm.PValue)}). "
                + "The result is withheld until the cause is found: something loses or adds visitors of one variant (redirects, caching, bot filters).",
                $"Die Aufteilung der Besucher ist gestört: {worst.Key} bekam {Percent(observed, "de")} der Besucher statt {Percent(expected, "de")} (p = {Scientific(srm.PValue)}). "
                + "Das Ergebnis wird zurückgehalten, bis die Ursache gefunden ist: Etwas verliert oder fügt Besucher einer Variante hinzu (Weiterleitungen, Caching, Bot-Filter).");
        }

        if (!guards.Met)
        {
            var days = Math.Ceiling(guards.DaysShort);
            var more = double.IsFinite(days) ? (int)Math.Max(1, days) : (int?)null;
            return Words("keep-running", null,
                (more is { } m ? $"Run {m} more day{(m == 1 ? "" : "s")} for a reliable answer" : "Keep it running for a reliable answer") + $" (so far: {string.Join(", ", guards.UnmetEn)}).",
                (more is { } dm ? $"Noch {dm} {(dm == 1 ? "Tag" : "Tage")} laufen lassen für eine belastbare Antwort" : "Weiterlaufen lassen für eine belastbare Antwort") + $" (bisher: {string.Join(", ", guards.UnmetDe)}).",
                more);
        }

        var treatments = arms.Where(a => a.Key != control).ToList();
        var winners = treatments.Where(a => significant[a.Key] && primary[a.Key].Absolute.Estimate > 0).ToList();
        var losers = treatments.Where(a => significant[a.Key] && primary[a.Key].Absolute.Estimate < 0).ToList();
        var chosen = winners.MaxBy(a => primary[a.Key].Absolute.Estimate)
                     ?? losers.MinBy(a => primary[a.Key].Absolute.Estimate)
                     ?? treatments.MaxBy(a => primary[a.Key].Absolute.Estimate)!;
        var c = primary[chosen.Key];
        var relative = c.SequentialRelative ?? c.SequentialAbsolute;
        var (nameEn, nameDe, pluralDe) = Name(chosen, arms, control);
        var (versusEn, versusDe) = arms.First(a => a.Key == control).Key == Holdout.HoldoutVariant ? (" than broadcast", " als Broadcast") : ("", "");
        var rangeEn = $"{level.ToString(CultureInfo.InvariantCulture)} % interval {Signed(relative.Low, "en")} to {Signed(relative.High, "en")}";
        var rangeDe = $"{level.ToString(GermanNumbers)} %-Intervall {Signed(relative.Low, "de")} bis {Signed(relative.High, "de")}";
        var guardrail = Guardrail(comparisons[chosen.Key]["consentWithdrawalRate"]);
        if (significant[chosen.Key])
        {
            var better = c.Absolute.Estimate > 0;
            var amount = Math.Abs(c.Relative?.Estimate ?? 0);
            return Words(better ? "winner" : "loser", chosen.Key,
                $"{nameEn} bring{(pluralDe ? "" : "s")} {Percent(amount, "en")} {(better ? "more" : "less")} {metricEn}{versusEn} ({rangeEn}). The result is reliable." + guardrail.En,
                $"{nameDe} {(pluralDe ? "bringen" : "bringt")} {Percent(amount, "de")} {(better ? "mehr" : "weniger")} {metricDe}{versusDe} ({rangeDe}). Das Ergebnis ist belastbar." + guardrail.De);
        }

        var needed = DaysUntilSignificant(c, elapsedDays, settings.Alpha);
        var estimateEn = $"{Signed(c.Relative?.Estimate ?? 0, "en")} {metricEn}";
        var estimateDe = $"{Signed(c.Relative?.Estimate ?? 0, "de")} {metricDe}";
        return Words("no-difference-yet", chosen.Key,
            $"No reliable difference yet: {nameEn.ToLowerInvariant()} {(pluralDe ? "are" : "is")} at {estimateEn} ({rangeEn}). "
            + (needed is { } n ? $"If the difference holds, run about {n} more days." : "A difference this small cannot be proven in reasonable time; consider stopping.") + guardrail.En,
            $"Noch kein belastbarer Unterschied: {nameDe} {(pluralDe ? "liegen" : "liegt")} bei {estimateDe} ({rangeDe}). "
            + (needed is { } d ? $"Bleibt der Unterschied so, noch etwa {d} Tage laufen lassen." : "Ein so kleiner Unterschied ist in vertretbarer Zeit nicht nachweisbar; Beenden erwägen.") + guardrail.De,
            needed);
    }

    /// <summary>
    /// Days until the always-valid interval would exclude zero if the estimate, its spread and the pace of new
    /// subjects stay as they are; null beyond <see cref="HorizonDays"/> or without a pace to go by.
    /// </summary>
    private static int? DaysUntilSignificant(Comparison c, double elapsedDays, double alpha)
    {
        if (!(elapsedDays > 0) || !(c.N > 0) || c.Absolute.Estimate == 0)
        {
            return null;
        }

        for (var extra = 1; extra <= HorizonDays; extra++)
        {
            if (Sequential.HalfWidth(c.Sigma, c.N * (elapsedDays + extra) / elapsedDays, alpha) < Math.Abs(c.Absolute.Estimate))
            {
                return extra;
            }
        }

        return null;
    }

    private static (string En, string De) Guardrail(Comparison withdrawals) =>
        withdrawals.SequentialPValue < 0.05 && withdrawals.Absolute.Estimate > 0
            ? ($" Warning: more visitors withdraw their consent ({Signed(withdrawals.Absolute.Estimate, "en")} points).",
               $" Achtung: Mehr Besucher widerrufen ihre Einwilligung ({Signed(withdrawals.Absolute.Estimate, "de")}-Punkte).")
            : ("", "");

    private static (string En, string De, bool PluralDe) Name(Arm arm, IReadOnlyList<Arm> arms, string control)
    {
        if (arms.Count(a => a.Strategy == arm.Strategy) > 1)
        {
            return ($"Variant “{arm.Key}”", $"Variante „{arm.Key}“", false);
        }

        if (control == Holdout.HoldoutVariant)
        {
            // The holdout report is about personalization as a whole, on every placement.
            return ("Personalization", "Personalisierung", false);
        }

        return arm.Strategy switch
        {
            "personalized" => ("Personal offers", "Persönliche Angebote", true),
            "broadcast" => ("Broadcast offers", "Broadcast-Angebote", true),
            _ => ("No offers", "Keine Angebote", true),
        };
    }

    private static VerdictView Words(string status, string? variant, string en, string de, int? moreDays = null) => new(status, variant, moreDays, en, de);

    private static string Percent(double share, string language) => Number(share * 100, share is > -0.1 and < 0.1 ? 1 : 0, language) + " %";

    private static string Signed(double share, string language) => (share >= 0 ? "+" : "−") + Percent(Math.Abs(share), language);

    private static string Number(double value, int decimals, string language) =>
        Math.Round(value, decimals).ToString("0." + new string('#', decimals), language == "de" ? GermanNumbers : CultureInfo.InvariantCulture);

    private static string Scientific(double p) => p < 1e-4 ? p.ToString("0.0e0", CultureInfo.InvariantCulture) : p.ToString("0.####", CultureInfo.InvariantCulture);
}
