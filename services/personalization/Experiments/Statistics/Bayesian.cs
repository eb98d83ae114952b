namespace MachCommerce.Personalization.Experiments.Statistics;

/// <summary>
/// The Bayesian view with GrowthBook's default Gaussian approximation: with an uninformative prior the relative
/// uplift's posterior is normal around the estimate with the delta method's variance. From it, the chance that the
/// variant beats control, and the risk (expected loss, in relative uplift) of choosing either.
/// </summary>
public static class Bayesian
{
    public readonly record struct View(double ChanceToBeatControl, double RiskOfChoosingVariant, double RiskOfChoosingControl);

    public static View Of(double relativeUplift, double variance)
    {
        var sd = Math.Sqrt(variance);
        if (!(sd > 0))
        {
            return new View(relativeUplift > 0 ? 1 : relativeUplift < 0 ? 0 : 0.5, Math.Max(0, -relativeUplift), Math.Max(0, relativeUplift));
        }

        var z = relativeUplift / sd;
        // For X ~ N(μ, σ²): E[max(0, −X)] = σφ(μ/σ) − μΦ(−μ/σ) and E[max(0, X)] = σφ(μ/σ) + μΦ(μ/σ).
        var density = sd * Distributions.NormalPdf(z);
        return new View(
            Distributions.NormalCdf(z),
            density - relativeUplift * Distributions.NormalCdf(-z),
            density + relativeUplift * Distributions.NormalCdf(z));
    }
}
