using System.Text.Json.Nodes;
using MachCommerce.Personalization.Definitions;

namespace MachCommerce.Personalization.Experiments;

/// <summary>What the subjects of one variant did: subjects exposed, impressions, subjects who clicked, who converted, revenue.</summary>
internal sealed record VariantOutcome(long Subjects, long Impressions, long Clicks, long Conversions, decimal Revenue);

/// <summary>
/// The experiment report: per variant the counts and rates, and against the control the conversion uplift with a
/// 95% confidence interval, absolute (difference of proportions, Wald interval) and relative (risk ratio, log
/// interval), and the two-sided p-value of the pooled two-proportion z-test. The unit is the subject: a
/// conversion rate is converted subjects over exposed subjects, so a heavy buyer counts once.
/// </summary>
internal static class ExperimentStatistics
{
    private const double Z95 = 1.959963984540054;

    public static JsonObject Report(StoredDefinition experiment, IReadOnlyDictionary<string, VariantOutcome> observed)
    {
        var control = experiment.Definition["controlVariant"]!.GetValue<string>();
        var baseline = observed.GetValueOrDefault(control) ?? new VariantOutcome(0, 0, 0, 0, 0);
        var variants = new JsonArray();
        foreach (var variant in experiment.Definition["variants"]!.AsArray())
        {
            var key = variant!["key"]!.GetValue<string>();
            var outcome = observed.GetValueOrDefault(key) ?? new VariantOutcome(0, 0, 0, 0, 0);
            var row = new JsonObject
            {
                ["key"] = key,
                ["strategy"] = variant["strategy"]!.GetValue<string>(),
                ["control"] = key == control,
                ["subjects"] = outcome.Subjects,
                ["impressions"] = outcome.Impressions,
                ["clicks"] = outcome.Clicks,
                ["conversions"] = outcome.Conversions,
                ["clickRate"] = Rate(outcome.Clicks, outcome.Subjects),
                ["conversionRate"] = Rate(outcome.Conversions, outcome.Subjects),
                ["revenue"] = outcome.Revenue,
                ["revenuePerSubject"] = outcome.Subjects == 0 ? null : Math.Round(outcome.Revenue / outcome.Subjects, 2),
            };
            if (key != control)
            {
                row["uplift"] = Uplift(outcome.Conversions, outcome.Subjects, baseline.Conversions, baseline.Subjects);
            }

            variants.Add(row);
        }

        return new JsonObject
        {
            ["experimentId"] = experiment.Id,
            ["name"] = experiment.Name,
            ["status"] = experiment.Status,
            ["placement"] = experiment.Definition["placement"]?.DeepClone(),
            ["startedAt"] = experiment.Definition["startedAt"]?.DeepClone(),
            ["stoppedAt"] = experiment.Definition["stoppedAt"]?.DeepClone(),
            ["attributionWindowHours"] = experiment.Definition["attributionWindowHours"]?.DeepClone(),
            ["controlVariant"] = control,
            ["variants"] = variants,
        };
    }

    private static double? Rate(long count, long of) => of == 0 ? null : (double)count / of;

    /// <summary>Treatment against control; every part is null where the data cannot support it (no subjects, no conversions).</summary>
    public static JsonObject Uplift(long conversions, long subjects, long controlConversions, long controlSubjects)
    {
        if (subjects == 0 || controlSubjects == 0)
        {
            return new JsonObject { ["absolute"] = null, ["relative"] = null, ["pValue"] = null, ["significant"] = false };
        }

        var p = (double)conversions / subjects;
        var c = (double)controlConversions / controlSubjects;
        var difference = p - c;
        var standardError = Math.Sqrt(p * (1 - p) / subjects + c * (1 - c) / controlSubjects);
        var absolute = new JsonObject
        {
            ["estimate"] = difference,
            ["ciLow"] = difference - Z95 * standardError,
            ["ciHigh"] = difference + Z95 * standardError,
        };

        JsonObject? relative = null;
        if (conversions > 0 && controlConversions > 0)
        {
            var logRatio = Math.Log(p / c);
            var logError = Math.Sqrt((1 - p) / conversions + (1 - c) / controlConversions);
            relative = new JsonObject
            {
                ["estimate"] = p / c - 1,
                ["ciLow"] = Math.Exp(logRatio - Z95 * logError) - 1,
                ["ciHigh"] = Math.Exp(logRatio + Z95 * logError) - 1,
            };
        }

        var pooled = (double)(conversions + controlConversions) / (subjects + controlSubjects);
        var pooledError = Math.Sqrt(pooled * (1 - pooled) * (1.0 / subjects + 1.0 / controlSubjects));
        double? pValue = pooledError == 0 ? null : 2 * (1 - NormalCdf(Math.Abs(difference) / pooledError));
        return new JsonObject
        {
            ["absolute"] = absolute,
            ["relative"] = relative,
            ["pValue"] = pValue,
            ["significant"] = pValue is < 0.05,
        };
    }

    /// <summary>Φ(x) through erf (Abramowitz and Stegun 7.1.26, error below 1.5e-7), plenty for a p-value.</summary>
    public static double NormalCdf(double x)
    {
        var t = 1 / (1 + 0.3275911 * Math.Abs(x) / Math.Sqrt(2));
        var erf = 1 - (((((1.061405429 * t - 1.453152027) * t) + 1.421413741) * t - 0.284496736) * t + 0.254829592) * t * Math.Exp(-x * x / 2);
        return x >= 0 ? (1 + erf) / 2 : (1 - erf) / 2;
    }
}
