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
        // An unknown p-value (an arm without data) counts as 1: it can only make the others more careful, never less.
        var known = pValues.Select(p => double.IsNaN(p) ? 1 : p).ToArray();
        var order = Enumerable.Range(0, m).OrderBy(i => known[i]).ToArray();
        var adjusted = new double[m];
        var running = 0.0;
        for (var rank = 0; rank < m; rank++)
        {
            running = Math.Max(running, Math.Min(1, (m - rank) * known[order[rank]]));
            adjusted[order[rank]] = running;
        }

        return adjusted;
    }
}
