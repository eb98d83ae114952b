namespace MachCommerce.Personalization.Experiments.Statistics;

/// <summary>
/// What many shops' experiments say together: the random-effects meta-analysis of DerSimonian and Laird (1986).
/// Each shop's uplift counts by the inverse of its variance plus the variance between shops (τ²), so one large shop
/// cannot speak for all when the shops differ, and I² says how much of the spread is real difference rather than
/// chance. The same as statsmodels' <c>combine_effects(method_re="dl")</c>, which the reference tests check.
/// </summary>
public static class MetaAnalysis
{
    /// <param name="Pooled">The random-effects estimate with its normal interval.</param>
    /// <param name="FixedEffect">The inverse-variance (fixed-effect) estimate, as if every shop measured one true uplift.</param>
    /// <param name="Q">Cochran's Q, the heterogeneity statistic; <paramref name="QPValue"/> its χ² p-value with k − 1 degrees of freedom.</param>
    /// <param name="Tau2">The between-shop variance of the true uplifts.</param>
    /// <param name="I2">The share of the spread that is between shops, 0 to 1.</param>
    public sealed record Result(Interval Pooled, double PValue, Interval FixedEffect, double Q, double QPValue, double Tau2, double I2, int Studies);

    /// <summary>Null for no study; one study is its own result (no spread to estimate).</summary>
    public static Result? Combine(IReadOnlyList<(double Estimate, double Variance)> studies, double confidence)
    {
        var usable = studies.Where(s => double.IsFinite(s.Estimate) && double.IsFinite(s.Variance) && s.Variance > 0).ToList();
        if (usable.Count == 0)
        {
            return null;
        }

        var z = Distributions.NormalQuantile(1 - (1 - confidence) / 2);
        var weights = usable.Select(s => 1 / s.Variance).ToList();
        var sumW = weights.Sum();
        var fixedEstimate = usable.Select((s, i) => weights[i] * s.Estimate).Sum() / sumW;
        var fixedSe = Math.Sqrt(1 / sumW);
        var q = usable.Select((s, i) => weights[i] * (s.Estimate - fixedEstimate) * (s.Estimate - fixedEstimate)).Sum();
        var df = usable.Count - 1;
        var c = sumW - weights.Sum(w => w * w) / sumW;
        var tau2 = df > 0 && c > 0 ? Math.Max(0, (q - df) / c) : 0;
        var randomWeights = usable.Select(s => 1 / (s.Variance + tau2)).ToList();
        var sumRandom = randomWeights.Sum();
        var estimate = usable.Select((s, i) => randomWeights[i] * s.Estimate).Sum() / sumRandom;
        var se = Math.Sqrt(1 / sumRandom);
        return new Result(
            new Interval(estimate, estimate - z * se, estimate + z * se),
            2 * Distributions.NormalSf(Math.Abs(estimate / se)),
            new Interval(fixedEstimate, fixedEstimate - z * fixedSe, fixedEstimate + z * fixedSe),
            q, df > 0 ? Distributions.ChiSquaredSf(q, df) : 1, tau2, q > df && q > 0 ? (q - df) / q : 0, usable.Count);
    }
}
