namespace MachCommerce.Personalization.Experiments.Statistics;

/// <summary>
/// The sample ratio mismatch check: a chi-squared goodness-of-fit test of the subjects per arm against the
/// configured weights. A broken split (a redirect losing visitors of one arm, a bot filter, a caching bug) makes
/// every other number of the report untrustworthy, so below p = 0.001 the verdict is withheld.
/// </summary>
public static class SampleRatio
{
    public const double Threshold = 0.001;

    public readonly record struct Check(double ChiSquared, double PValue, bool Mismatch);

    public static Check Test(IReadOnlyList<double> subjects, IReadOnlyList<double> weights)
    {
        var total = subjects.Sum();
        var weightTotal = weights.Sum();
        if (total <= 0 || subjects.Count < 2)
        {
            return new Check(0, 1, false);
        }

        var chi = 0.0;
        for (var i = 0; i < subjects.Count; i++)
        {
            var expected = total * weights[i] / weightTotal;
            chi += (subjects[i] - expected) * (subjects[i] - expected) / expected;
        }

        var p = Distributions.ChiSquaredSf(chi, subjects.Count - 1);
        return new Check(chi, p, p < Threshold);
    }
}
