namespace MachCommerce.Personalization.Experiments.Statistics;

/// <summary>
/// Sample sizes before an experiment starts: subjects per arm for a two-sided test at level α to detect a given
/// effect with the given power. Proportions use Cohen's h = 2·asin√p₂ − 2·asin√p₁ (the arcsine transformation
/// makes the variance independent of the rate); means use d = δ / σ. The power function counts both tails, as
/// statsmodels' NormalIndPower does, and is solved for n to the last digit.
/// </summary>
public static class Power
{
    public static double CohensH(double baseline, double target) => 2 * Math.Asin(Math.Sqrt(target)) - 2 * Math.Asin(Math.Sqrt(baseline));

    /// <summary>Subjects per arm (not rounded) for equal arms.</summary>
    public static double SubjectsPerArm(double effectSize, double alpha = 0.05, double power = 0.8)
    {
        var effect = Math.Abs(effectSize);
        if (!(effect > 0))
        {
            return double.PositiveInfinity;
        }

        var critical = Distributions.NormalQuantile(1 - alpha / 2);
        double PowerAt(double n) => Distributions.NormalCdf(effect * Math.Sqrt(n / 2) - critical) + Distributions.NormalCdf(-effect * Math.Sqrt(n / 2) - critical);

        // Start from the one-tailed closed form, then bisect: the power rises monotonically with n.
        var guess = 2 * Math.Pow((critical + Distributions.NormalQuantile(power)) / effect, 2);
        double low = guess / 2, high = guess * 2;
        while (PowerAt(high) < power)
        {
            high *= 2;
        }

        for (var i = 0; i < 200 && high - low > 1e-12 * high; i++)
        {
            var middle = (low + high) / 2;
            if (PowerAt(middle) < power)
            {
                low = middle;
            }
            else
            {
                high = middle;
            }
        }

        return (low + high) / 2;
    }

    /// <summary>
    /// Subjects per arm for the always-valid verdict: the confidence sequence must clear zero with the given power,
    /// i.e. its half-width plus z₁₋β standard errors must fit inside the effect. In the standardized scale of
    /// <paramref name="effectSize"/> the difference's variance is 2/n, so one subject's spread in the sequence is 2.
    /// </summary>
    public static double AlwaysValidSubjectsPerArm(double effectSize, double alpha = 0.05, double power = 0.8, double tuning = Sequential.DefaultTuning)
    {
        var effect = Math.Abs(effectSize);
        if (!(effect > 0))
        {
            return double.PositiveInfinity;
        }

        var zPower = Distributions.NormalQuantile(power);
        bool Enough(double n) => Sequential.HalfWidth(2, 2 * n, alpha, tuning) + zPower * Math.Sqrt(2 / n) <= effect;
        double low = 1, high = 2;
        while (!Enough(high))
        {
            low = high;
            high *= 2;
        }

        for (var i = 0; i < 200 && high - low > 1e-9 * high; i++)
        {
            var middle = (low + high) / 2;
            if (Enough(middle))
            {
                high = middle;
            }
            else
            {
                low = middle;
            }
        }

        return high;
    }
}
