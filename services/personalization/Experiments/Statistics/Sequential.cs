namespace MachCommerce.Personalization.Experiments.Statistics;

/// <summary>
/// Always-valid intervals: the asymptotic confidence sequence of Waudby-Smith et al. (a normal mixture, the
/// method GrowthBook and Eppo use). Whatever day the merchant looks, and however often, the chance that any of the
/// intervals ever excludes a true zero stays below α; the price is a wider interval than the fixed-horizon one.
/// </summary>
public static class Sequential
{
    /// <summary>The sample size (both arms together) at which the sequence is tightest; GrowthBook's default.</summary>
    public const double DefaultTuning = 5_000;

    /// <summary>
    /// The interval around an estimate whose variance is <paramref name="varianceOfEstimate"/>, after
    /// <paramref name="n"/> subjects in all: σ̂·√(2(Nρ² + 1)/(N²ρ²)·ln(√(Nρ² + 1)/α)) with σ̂² = N·Var, where
    /// ρ² = (−2 ln α + ln(−2 ln α + 1)) / tuning puts the tightest point at the tuning sample size.
    /// </summary>
    public static Interval Around(double estimate, double varianceOfEstimate, double n, double alpha = 0.05, double tuning = DefaultTuning)
    {
        if (!(n > 0) || !(varianceOfEstimate >= 0))
        {
            return new Interval(estimate, double.NegativeInfinity, double.PositiveInfinity);
        }

        var half = HalfWidth(Math.Sqrt(varianceOfEstimate * n), n, alpha, tuning);
        return new Interval(estimate, estimate - half, estimate + half);
    }

    public static double HalfWidth(double sigma, double n, double alpha = 0.05, double tuning = DefaultTuning)
    {
        var rho2 = (-2 * Math.Log(alpha) + Math.Log(-2 * Math.Log(alpha) + 1)) / tuning;
        return sigma * Math.Sqrt(2 * (n * rho2 + 1) / (n * n * rho2) * Math.Log(Math.Sqrt(n * rho2 + 1) / alpha));
    }
}
