using MachCommerce.Api.Personalization;
using MachCommerce.Personalization.Experiments;
using MachCommerce.Personalization.Experiments.Statistics;
using Xunit.Abstractions;

namespace MachCommerce.Personalization.Tests.Statistics;

/// <summary>
/// What the methods promise, shown on simulated experiments (seeded, so every run sees the same numbers): peeking
/// every day at an A/A test, a broken split, and pre-exposure spend that predicts revenue.
/// </summary>
public sealed class SimulationTests(ITestOutputHelper output)
{
    [Fact]
    public void Peeking_daily_at_1000_AA_experiments_keeps_the_always_valid_false_positive_rate_at_5_percent_where_the_naive_z_test_exceeds_it()
    {
        const int experiments = 1_000, days = 30, visitorsPerArmPerDay = 200;
        const double rate = 0.05;
        var random = new Random(4_711);
        int sequentialFalse = 0, naiveFalse = 0;
        for (var e = 0; e < experiments; e++)
        {
            double conversionsA = 0, conversionsB = 0, n = 0;
            bool sequentialSaid = false, naiveSaid = false;
            for (var day = 0; day < days; day++)
            {
                conversionsA += Binomial(random, visitorsPerArmPerDay, rate);
                conversionsB += Binomial(random, visitorsPerArmPerDay, rate);
                n += visitorsPerArmPerDay;
                // The merchant looks every day and believes whatever is significant that day.
                naiveSaid |= Proportions.PooledZTestPValue(conversionsB, n, conversionsA, n) < 0.05;
                sequentialSaid |= Comparison.OfRates(conversionsB, n, conversionsA, n, 0.95).SequentialPValue < 0.05;
            }

            sequentialFalse += sequentialSaid ? 1 : 0;
            naiveFalse += naiveSaid ? 1 : 0;
        }

        var sequentialRate = sequentialFalse / (double)experiments;
        var naiveRate = naiveFalse / (double)experiments;
        output.WriteLine($"A/A, {experiments} experiments, {days} daily looks: always-valid false positives {sequentialRate:P1}, naive daily z-test {naiveRate:P1}");
        Assert.True(sequentialRate <= 0.05, $"always-valid false-positive rate {sequentialRate:P1}");
        Assert.True(naiveRate > 0.05, $"the naive daily z-test should exceed 5 % when peeked at daily; it gave {naiveRate:P1}");
    }

    [Fact]
    public void A_52_to_48_split_is_a_sample_ratio_mismatch_and_a_fair_coins_split_is_not()
    {
        Assert.True(SampleRatio.Test([5_200, 4_800], [50, 50]).Mismatch);
        var random = new Random(7);
        var fair = Enumerable.Range(0, 10_000).Count(_ => random.Next(2) == 0);
        var check = SampleRatio.Test([fair, 10_000 - fair], [50, 50]);
        output.WriteLine($"52/48 of 10,000: p = {SampleRatio.Test([5_200, 4_800], [50, 50]).PValue:E2}; a fair split {fair}/{10_000 - fair}: p = {check.PValue:F3}");
        Assert.False(check.Mismatch);
    }

    [Fact]
    public void CUPED_narrows_the_interval_when_pre_exposure_spend_predicts_revenue()
    {
        var random = new Random(99);
        var arms = new CovariateSums[2];
        for (var i = 0; i < 20_000; i++)
        {
            var arm = i % 2;
            var before = Math.Max(0, 40 + 30 * Gaussian(random));
            var revenue = Math.Max(0, 0.6 * before + 15 * Gaussian(random) + (arm == 1 ? 2 : 0));
            arms[arm] += new CovariateSums(1, revenue, revenue * revenue, before, before * before, before * revenue);
        }

        var raw = Means.WelchTest(Sample.FromSums(arms[1].N, arms[1].SumY, arms[1].SumY2), Sample.FromSums(arms[0].N, arms[0].SumY, arms[0].SumY2));
        var cuped = Cuped.Adjust(arms);
        var adjusted = Means.WelchTest(cuped.Samples[1], cuped.Samples[0]);
        var rawWidth = raw.Difference.High - raw.Difference.Low;
        var adjustedWidth = adjusted.Difference.High - adjusted.Difference.Low;
        output.WriteLine($"interval width without CUPED {rawWidth:F3}, with {adjustedWidth:F3} (θ = {cuped.Theta:F3}); variance reduction {1 - Math.Pow(adjustedWidth / rawWidth, 2):P0}");
        Assert.True(adjustedWidth < 0.7 * rawWidth, $"{adjustedWidth} against {rawWidth}");
        Assert.InRange(adjusted.Difference.Estimate, raw.Difference.Low, raw.Difference.High);
    }

    private static int Binomial(Random random, int n, double p)
    {
        var count = 0;
        for (var i = 0; i < n; i++)
        {
            count += random.NextDouble() < p ? 1 : 0;
        }

        return count;
    }

    private static double Gaussian(Random random) => Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
}
