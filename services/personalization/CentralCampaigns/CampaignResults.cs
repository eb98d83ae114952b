using MachCommerce.Personalization.Experiments;
using MachCommerce.Personalization.Experiments.Statistics;

namespace MachCommerce.Personalization.CentralCampaigns;

/// <summary>
/// What a campaign brought: each member's experiment report (the offer against none on its placement, by revenue
/// per visitor, from the member's own data) and the members pooled by random-effects meta-analysis, so a campaign
/// that works in a few large shops and not elsewhere shows a wide interval rather than a confident average.
/// Only aggregates leave a member's data, and none of an arm of fewer than <see cref="MinimumGroup"/> visitors.
/// </summary>
internal static class CampaignResults
{
    /// <summary>The smallest group whose counts and rates are shown (k-anonymity for what a cooperative sees).</summary>
    public const int MinimumGroup = 10;

    private const double Confidence = 0.95;

    public static async Task<CentralCampaignResults> ReadAsync(StoredCampaign campaign, IReadOnlyList<Participation> participations, PersonalizationDatabase database,
        IOptions<PersonalizationOptions> options, TimeProvider time, CancellationToken cancellationToken)
    {
        var z = Distributions.NormalQuantile(1 - (1 - Confidence) / 2);
        var members = new List<MemberCampaignResult>();
        var studies = new List<(double Estimate, double Variance)>();
        foreach (var participation in participations)
        {
            if (participation.ExperimentId is not { } experimentId)
            {
                members.Add(new MemberCampaignResult(participation.TenantId, false, null, null, null, false, participation.Note ?? "Not measured: the campaign runs without an experiment."));
                continue;
            }

            var report = await ExperimentsApi.ReportAsync(participation.TenantId, experimentId, database, options, time, cancellationToken);
            var with = report?.Variants.FirstOrDefault(v => v.Key == CampaignRollout.WithOffer);
            var without = report?.Variants.FirstOrDefault(v => v.Key == CampaignRollout.WithoutOffer);
            if (with is null || without is null || with.Subjects < MinimumGroup || without.Subjects < MinimumGroup)
            {
                members.Add(new MemberCampaignResult(participation.TenantId, true, null, null, null, false,
                    $"Fewer than {MinimumGroup} visitors with or without the offer so far: too few to show."));
                continue;
            }

            var relative = with.Comparison?.RevenuePerSubject.Relative;
            var significant = relative is { CiLow: { } low, CiHigh: { } high } && (low > 0 || high < 0);
            members.Add(new MemberCampaignResult(participation.TenantId, true, with.Subjects, without.Subjects, relative, significant, null));
            if (relative is { CiLow: { } l, CiHigh: { } h } && h > l)
            {
                // The report's relative interval is the delta method's, symmetric: its half width is z standard errors.
                studies.Add((relative.Value, Math.Pow((h - l) / (2 * z), 2)));
            }
        }

        PooledUplift? pooled = null;
        if (MetaAnalysis.Combine(studies, Confidence) is { } meta)
        {
            pooled = new PooledUplift(new IntervalView(meta.Pooled.Estimate, meta.Pooled.Low, meta.Pooled.High), meta.PValue, meta.Pooled.ExcludesZero, meta.Tau2, meta.I2,
                meta.Q, meta.QPValue, meta.Studies);
        }

        var (en, de) = Verdict(participations.Count, pooled);
        return new CentralCampaignResults(campaign.Id, ExperimentReport.RevenuePerSubject, Confidence, MinimumGroup, members, pooled, en, de);
    }

    private static (string En, string De) Verdict(int participants, PooledUplift? pooled)
    {
        if (participants == 0)
        {
            return ("No member shop takes part yet.", "Noch nimmt kein Mitgliedsbetrieb teil.");
        }

        if (pooled is null)
        {
            return ("No member shop has enough visitors with and without the offer yet.", "Noch hat kein Mitgliedsbetrieb genug Besucher mit und ohne das Angebot.");
        }

        var (value, low, high) = (Percent(pooled.Uplift.Value), Percent(pooled.Uplift.CiLow!.Value), Percent(pooled.Uplift.CiHigh!.Value));
        var shops = pooled.Members == 1 ? "one member shop" : $"{pooled.Members} member shops";
        var betriebe = pooled.Members == 1 ? "einem Mitgliedsbetrieb" : $"{pooled.Members} Mitgliedsbetrieben";
        var spread = pooled.I2 >= 0.5 ? " The shops differ a lot: look at each shop's result." : "";
        var streuung = pooled.I2 >= 0.5 ? " Die Betriebe unterscheiden sich stark: siehe das Ergebnis je Betrieb." : "";
        return pooled.Significant
            ? ($"Across {shops} the campaign brings {value} revenue per visitor (95 % interval {low} to {high}). The result is reliable.{spread}",
               $"Über {betriebe} bringt die Kampagne {value} Umsatz pro Besucher (95-%-Intervall {low} bis {high}). Das Ergebnis ist belastbar.{streuung}")
            : ($"Across {shops} the campaign's effect is not clear yet: {value} revenue per visitor (95 % interval {low} to {high}).{spread}",
               $"Über {betriebe} ist die Wirkung der Kampagne noch nicht klar: {value} Umsatz pro Besucher (95-%-Intervall {low} bis {high}).{streuung}");
    }

    private static string Percent(double relative) => Math.Round(relative * 100) is var percent && percent == 0
        ? "0 %"
        : (percent > 0 ? "+" : "−") + Math.Abs(percent).ToString("0", CultureInfo.InvariantCulture) + " %";
}
