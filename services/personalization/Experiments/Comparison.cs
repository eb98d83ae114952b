using MachCommerce.Personalization.Experiments.Statistics;

namespace MachCommerce.Personalization.Experiments;

/// <summary>
/// One metric of one variant against control, every way the report reads it: the fixed-horizon interval and
/// p-value (Newcombe and the pooled z-test for rates, Welch for means), the relative uplift (delta method), the
/// always-valid interval and p-value (confidence sequence; the p-value of the relative uplift where there is one,
/// the interval a verdict quotes), and the Bayesian chance to beat control and risk; N
/// (subjects of both arms) and σ (the spread of one subject's contribution) let the report project the interval.
/// </summary>
internal sealed record Comparison(Interval Absolute, Interval? Relative, double PValue, Interval SequentialAbsolute, Interval? SequentialRelative,
    double SequentialPValue, Bayesian.View? Bayes, double N, double Sigma)
{
    public static Comparison OfRates(double successes, double n, double controlSuccesses, double controlN, double confidence) =>
        Of(Sample.Proportion(successes, n), Sample.Proportion(controlSuccesses, controlN), confidence,
            Proportions.NewcombeDifference(successes, n, controlSuccesses, controlN, confidence), Proportions.PooledZTestPValue(successes, n, controlSuccesses, controlN));

    public static Comparison OfMeans(Sample treatment, Sample control, double confidence)
    {
        var welch = Means.WelchTest(treatment, control, confidence);
        return Of(treatment, control, confidence, welch.Difference, welch.PValue);
    }

    private static Comparison Of(Sample treatment, Sample control, double confidence, Interval absolute, double pValue)
    {
        if (treatment.N < 2 || control.N < 2)
        {
            // An arm without subjects (or with one) supports no comparison: everything unknown, nothing significant.
            var unknown = new Interval(absolute.Estimate, double.NegativeInfinity, double.PositiveInfinity);
            return new Comparison(unknown, null, double.NaN, unknown, null, double.NaN, null, treatment.N + control.N, double.NaN);
        }

        var alpha = 1 - confidence;
        var n = treatment.N + control.N;
        var variance = treatment.VarianceOfMean + control.VarianceOfMean;
        var relative = Means.Relative(treatment, control, confidence);
        return new Comparison(absolute, relative?.Relative, pValue,
            Sequential.Around(absolute.Estimate, variance, n, alpha),
            relative is { } r ? Sequential.Around(r.Relative.Estimate, r.Variance, n, alpha) : null,
            // The verdict quotes the relative interval, so significance is read where it is quoted.
            relative is { } rv ? AlwaysValidPValue(rv.Relative.Estimate, rv.Variance, n) : AlwaysValidPValue(absolute.Estimate, variance, n),
            relative is { } b ? Bayesian.Of(b.Relative.Estimate, b.Variance) : null,
            n, Math.Sqrt(variance * n));
    }

    /// <summary>
    /// The always-valid p-value: the smallest α at which the confidence sequence excludes zero, found by bisection
    /// on log α (the half-width falls monotonically as α grows).
    /// </summary>
    public static double AlwaysValidPValue(double estimate, double varianceOfEstimate, double n)
    {
        if (!(n > 0) || double.IsNaN(varianceOfEstimate))
        {
            return double.NaN;
        }

        if (varianceOfEstimate == 0)
        {
            return estimate == 0 ? 1 : 0;
        }

        var sigma = Math.Sqrt(varianceOfEstimate * n);
        var distance = Math.Abs(estimate);
        if (Sequential.HalfWidth(sigma, n, alpha: 1 - 1e-6) >= distance)
        {
            return 1;
        }

        double low = -745, high = Math.Log(1 - 1e-6);
        for (var i = 0; i < 100; i++)
        {
            var middle = (low + high) / 2;
            if (Sequential.HalfWidth(sigma, n, Math.Exp(middle)) > distance)
            {
                low = middle;
            }
            else
            {
                high = middle;
            }
        }

        return Math.Exp(high);
    }
}
