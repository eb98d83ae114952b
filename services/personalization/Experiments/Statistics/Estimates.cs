namespace MachCommerce.Personalization.Experiments.Statistics;

/// <summary>A point estimate with its two-sided interval.</summary>
public readonly record struct Interval(double Estimate, double Low, double High)
{
    public bool ExcludesZero => Low > 0 || High < 0;
}

/// <summary>
/// One arm's observations of one metric, by subject: how many, their mean, and the variance of one observation
/// (n − 1 in the denominator; for a proportion p(1 − p), the binomial variance).
/// </summary>
public readonly record struct Sample(double N, double Mean, double Variance)
{
    public double VarianceOfMean => N > 0 ? Variance / N : double.NaN;

    /// <summary>From the sum and the sum of squares, as the database returns them.</summary>
    public static Sample FromSums(double n, double sum, double sumOfSquares)
    {
        if (n <= 0)
        {
            return new Sample(0, 0, 0);
        }

        var mean = sum / n;
        // Centred to keep the precision when the mean is large against the spread.
        var variance = n > 1 ? Math.Max(0, (sumOfSquares - sum * mean) / (n - 1)) : 0;
        return new Sample(n, mean, variance);
    }

    public static Sample Proportion(double successes, double n) =>
        n <= 0 ? new Sample(0, 0, 0) : new Sample(n, successes / n, successes / n * (1 - successes / n));
}
