namespace MachCommerce.Personalization.Experiments.Statistics;

/// <summary>The difference of two means by Welch's t-test, and the relative difference by the delta method.</summary>
public static class Means
{
    public readonly record struct Welch(Interval Difference, double DegreesOfFreedom, double PValue);

    /// <summary>Treatment minus control, unequal variances (Welch–Satterthwaite degrees of freedom).</summary>
    public static Welch WelchTest(Sample treatment, Sample control, double confidence = 0.95)
    {
        var difference = treatment.Mean - control.Mean;
        if (treatment.N < 2 || control.N < 2)
        {
            // Nothing to estimate a spread from: no interval, no p-value (never "significant").
            return new Welch(new Interval(difference, double.NegativeInfinity, double.PositiveInfinity), double.NaN, double.NaN);
        }

        var vt = treatment.VarianceOfMean;
        var vc = control.VarianceOfMean;
        var error = Math.Sqrt(vt + vc);
        if (!(error > 0))
        {
            return new Welch(new Interval(difference, difference, difference), double.NaN, difference == 0 ? 1 : 0);
        }

        var df = (vt + vc) * (vt + vc) / (vt * vt / (treatment.N - 1) + vc * vc / (control.N - 1));
        var t = Distributions.StudentTQuantile(1 - (1 - confidence) / 2, df);
        var pValue = 2 * Distributions.StudentTCdf(-Math.Abs(difference) / error, df);
        return new Welch(new Interval(difference, difference - t * error, difference + t * error), df, pValue);
    }

    /// <summary>
    /// Treatment / control − 1 with the delta method's variance,
    /// Var ≈ Var(x̄ₜ)/x̄꜀² + x̄ₜ²·Var(x̄꜀)/x̄꜀⁴, and its normal interval. Null without a control mean to divide by.
    /// </summary>
    public static (Interval Relative, double Variance)? Relative(Sample treatment, Sample control, double confidence = 0.95)
    {
        if (!(control.Mean > 0) || treatment.N <= 0)
        {
            return null;
        }

        var estimate = treatment.Mean / control.Mean - 1;
        var variance = RelativeVariance(treatment, control);
        var half = Distributions.NormalQuantile(1 - (1 - confidence) / 2) * Math.Sqrt(variance);
        return (new Interval(estimate, estimate - half, estimate + half), variance);
    }

    public static double RelativeVariance(Sample treatment, Sample control) =>
        treatment.VarianceOfMean / (control.Mean * control.Mean)
        + treatment.Mean * treatment.Mean * control.VarianceOfMean / Math.Pow(control.Mean, 4);
}
