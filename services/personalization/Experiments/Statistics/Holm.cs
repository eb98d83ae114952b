namespace MachCommerce.Personalization.Experiments.Statistics;

/// <summary>
/// Holm's step-down correction for comparing several variants with one control: the family-wise error stays at α
/// (with three variants, "one of them won" by chance would otherwise be up to three times as likely).
/// </summary>
public static class Holm
{
    /// <summary>The adjusted p-values, in the order given.</summary>
    public static double[] Adjust(IReadOnlyList<double> pValues)
    {
        var m = pValues.Count;
        var order = Enumerable.Range(0, m).OrderBy(i => pValues[i]).ToArray();
        var adjusted = new double[m];
        var running = 0.0;
        for (var rank = 0; rank < m; rank++)
        {
            running = Math.Max(running, Math.Min(1, (m - rank) * pValues[order[rank]]));
            adjusted[order[rank]] = running;
        }

        return adjusted;
    }
}
