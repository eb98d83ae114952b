namespace MachCommerce.Personalization.Experiments.Statistics;

/// <summary>
/// Intervals for rates: Wilson's score interval for one proportion and Newcombe's hybrid score interval for the
/// difference of two (his method 10). Unlike the Wald interval they stay inside [0, 1] and keep their coverage for
/// the small rates shops have (a 2 % conversion rate on a few hundred visitors).
/// </summary>
public static class Proportions
{
    public static Interval Wilson(double successes, double n, double confidence = 0.95)
    {
        if (n <= 0)
        {
            return new Interval(double.NaN, 0, 1);
        }

        var z = Distributions.NormalQuantile(1 - (1 - confidence) / 2);
        var p = successes / n;
        var denominator = 1 + z * z / n;
        var centre = (p + z * z / (2 * n)) / denominator;
        var half = z * Math.Sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / denominator;
        // At 0 or n successes the bound is exactly 0 or 1; the formula leaves a rounding residue there.
        return new Interval(p, successes <= 0 ? 0 : Math.Max(0, centre - half), successes >= n ? 1 : Math.Min(1, centre + half));
    }

    /// <summary>p₁ − p₂ with Newcombe's interval built from the two Wilson intervals.</summary>
    public static Interval NewcombeDifference(double successes1, double n1, double successes2, double n2, double confidence = 0.95)
    {
        var first = Wilson(successes1, n1, confidence);
        var second = Wilson(successes2, n2, confidence);
        var difference = first.Estimate - second.Estimate;
        var low = difference - Math.Sqrt(Square(first.Estimate - first.Low) + Square(second.High - second.Estimate));
        var high = difference + Math.Sqrt(Square(first.High - first.Estimate) + Square(second.Estimate - second.Low));
        return new Interval(difference, low, high);
    }

    /// <summary>The two-sided p-value of the pooled two-proportion z-test (the usual fixed-horizon test).</summary>
    public static double PooledZTestPValue(double successes1, double n1, double successes2, double n2)
    {
        var pooled = (successes1 + successes2) / (n1 + n2);
        var error = Math.Sqrt(pooled * (1 - pooled) * (1 / n1 + 1 / n2));
        return error == 0 ? 1 : 2 * Distributions.NormalSf(Math.Abs(successes1 / n1 - successes2 / n2) / error);
    }

    private static double Square(double x) => x * x;
}
