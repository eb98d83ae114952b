using MachCommerce.Api.Personalization;
using System.Text.Json.Nodes;
using MachCommerce.LocalInfrastructure;
using MachCommerce.Personalization.Experiments.Statistics;

namespace MachCommerce.Personalization.Tests.Statistics;

/// <summary>
/// Every statistic of the experiment report against SciPy and statsmodels (Debian's python3-scipy and
/// python3-statsmodels), as the GraphQL engine is checked against graphql-js: seeded generated cases, computed on
/// both sides, equal to 1e-9 relative where the formula is closed-form.
/// </summary>
public sealed class ReferenceTests
{
    private const double Closed = 1e-9;

    private static readonly Lazy<Task<(JsonObject Cases, JsonObject Answers)>> Reference = new(RunReferenceAsync);

    [Fact]
    public async Task Normal_t_and_chi_squared_distributions_agree_with_scipy()
    {
        var (cases, answers) = await Reference.Value;
        var normal = cases["normal"]!.AsArray();
        for (var i = 0; i < normal.Count; i++)
        {
            var (x, p) = (normal[i]![0]!.GetValue<double>(), normal[i]![1]!.GetValue<double>());
            Close(answers["normal"]![i]!["cdf"], Distributions.NormalCdf(x), $"Φ({x})");
            Close(answers["normal"]![i]!["sf"], Distributions.NormalSf(x), $"1 − Φ({x})");
            Close(answers["normal"]![i]!["ppf"], Distributions.NormalQuantile(p), $"Φ⁻¹({p})");
        }

        var t = cases["t"]!.AsArray();
        for (var i = 0; i < t.Count; i++)
        {
            var (x, p, df) = (t[i]![0]!.GetValue<double>(), t[i]![1]!.GetValue<double>(), t[i]![2]!.GetValue<double>());
            Close(answers["t"]![i]!["cdf"], Distributions.StudentTCdf(x, df), $"T_{df}({x})");
            // SciPy 1.10's t.ppf (cephes stdtri) is itself off by up to ~2e-9 (its own cdf of its answer differs from p):
            // the quantile is held to 1e-8 against it, and to 1e-11 by the round trip through the distribution function (ln Γ of large
            // degrees of freedom cancels a few digits).
            var quantile = Distributions.StudentTQuantile(p, df);
            Close(answers["t"]![i]!["ppf"], quantile, $"T_{df}⁻¹({p})", 1e-8);
            Assert.True(Math.Abs(Distributions.StudentTCdf(quantile, df) - p) <= 1e-11 * Math.Min(p, 1 - p), $"T_{df}(T_{df}⁻¹({p})) = {Distributions.StudentTCdf(quantile, df):R}");
        }

        var chi = cases["chi2"]!.AsArray();
        for (var i = 0; i < chi.Count; i++)
        {
            Close(answers["chi2"]![i], Distributions.ChiSquaredSf(chi[i]![0]!.GetValue<double>(), chi[i]![1]!.GetValue<double>()), $"χ² {chi[i]}");
        }
    }

    [Fact]
    public async Task Wilson_Newcombe_and_the_z_test_agree_with_statsmodels()
    {
        var (cases, answers) = await Reference.Value;
        var list = cases["proportions"]!.AsArray();
        for (var i = 0; i < list.Count; i++)
        {
            var c = list[i]!.AsArray().Select(v => v!.GetValue<double>()).ToArray();
            var expected = answers["proportions"]![i]!;
            var wilson = Proportions.Wilson(c[0], c[1]);
            var newcombe = Proportions.NewcombeDifference(c[0], c[1], c[2], c[3]);
            Close(expected["wilsonLow"], wilson.Low, $"Wilson low {list[i]}");
            Close(expected["wilsonHigh"], wilson.High, $"Wilson high {list[i]}");
            Close(expected["newcombeLow"], newcombe.Low, $"Newcombe low {list[i]}");
            Close(expected["newcombeHigh"], newcombe.High, $"Newcombe high {list[i]}");
            Close(expected["zPValue"], Proportions.PooledZTestPValue(c[0], c[1], c[2], c[3]), $"z-test {list[i]}");
        }
    }

    [Fact]
    public async Task Welch_the_delta_method_and_CUPED_agree_with_scipy_on_per_subject_data()
    {
        var (cases, answers) = await Reference.Value;
        var list = cases["means"]!.AsArray();
        for (var i = 0; i < list.Count; i++)
        {
            var y = list[i]!["y"]!.AsArray().Select(v => v!.GetValue<double>()).ToArray();
            var x = list[i]!["x"]!.AsArray().Select(v => v!.GetValue<double>()).ToArray();
            var arm = list[i]!["arm"]!.AsArray().Select(v => v!.GetValue<int>()).ToArray();
            var sums = new[] { Sums(y, x, arm, 0), Sums(y, x, arm, 1) };
            var control = Sample.FromSums(sums[0].N, sums[0].SumY, sums[0].SumY2);
            var treatment = Sample.FromSums(sums[1].N, sums[1].SumY, sums[1].SumY2);
            var expected = answers["means"]![i]!;

            var welch = Means.WelchTest(treatment, control);
            Close(expected["welch"]!["difference"], welch.Difference.Estimate, "Welch difference");
            Close(expected["welch"]!["low"], welch.Difference.Low, "Welch low");
            Close(expected["welch"]!["high"], welch.Difference.High, "Welch high");
            Close(expected["welch"]!["df"], welch.DegreesOfFreedom, "Welch df");
            Close(expected["welch"]!["pValue"], welch.PValue, "Welch p");

            var (relative, variance) = Means.Relative(treatment, control)!.Value;
            Close(expected["relative"]!["estimate"], relative.Estimate, "relative uplift");
            Close(expected["relative"]!["low"], relative.Low, "relative low");
            Close(expected["relative"]!["high"], relative.High, "relative high");
            Close(expected["relative"]!["variance"], variance, "delta-method variance");

            var cuped = Cuped.Adjust(sums);
            Close(expected["theta"], cuped.Theta, "CUPED θ");
            var adjusted = Means.WelchTest(cuped.Samples[1], cuped.Samples[0]);
            Close(expected["cuped"]!["difference"], adjusted.Difference.Estimate, "CUPED difference");
            Close(expected["cuped"]!["low"], adjusted.Difference.Low, "CUPED low");
            Close(expected["cuped"]!["high"], adjusted.Difference.High, "CUPED high");
            Close(expected["cuped"]!["pValue"], adjusted.PValue, "CUPED p");
        }
    }

    [Fact]
    public async Task Confidence_sequences_the_Bayesian_view_SRM_Holm_and_power_agree_with_the_reference()
    {
        var (cases, answers) = await Reference.Value;
        var sequential = cases["sequential"]!.AsArray();
        for (var i = 0; i < sequential.Count; i++)
        {
            var c = sequential[i]!.AsArray().Select(v => v!.GetValue<double>()).ToArray();
            var interval = Sequential.Around(c[0], c[1], c[2], c[3], c[4]);
            Close(answers["sequential"]![i]!["low"], interval.Low, $"sequence low {sequential[i]}");
            Close(answers["sequential"]![i]!["high"], interval.High, $"sequence high {sequential[i]}");
        }

        var bayesian = cases["bayesian"]!.AsArray();
        for (var i = 0; i < bayesian.Count; i++)
        {
            var view = Bayesian.Of(bayesian[i]![0]!.GetValue<double>(), bayesian[i]![1]!.GetValue<double>());
            Close(answers["bayesian"]![i]!["chance"], view.ChanceToBeatControl, $"chance {bayesian[i]}");
            // The reference integrates numerically (quad): the closed form is checked to 1e-8 relative, or 1e-15 absolute
            // for risks that are practically zero (1e-33), where the integral itself has no more digits.
            Close(answers["bayesian"]![i]!["riskVariant"], view.RiskOfChoosingVariant, $"risk of the variant {bayesian[i]}", 1e-8, absolute: 1e-15);
            Close(answers["bayesian"]![i]!["riskControl"], view.RiskOfChoosingControl, $"risk of control {bayesian[i]}", 1e-8, absolute: 1e-15);
        }

        var srm = cases["srm"]!.AsArray();
        for (var i = 0; i < srm.Count; i++)
        {
            var observed = srm[i]![0]!.AsArray().Select(v => v!.GetValue<double>()).ToArray();
            var weights = srm[i]![1]!.AsArray().Select(v => v!.GetValue<double>()).ToArray();
            Close(answers["srm"]![i], SampleRatio.Test(observed, weights).PValue, $"SRM {srm[i]}");
        }

        var holm = cases["holm"]!.AsArray();
        for (var i = 0; i < holm.Count; i++)
        {
            var adjusted = Holm.Adjust([.. holm[i]!.AsArray().Select(v => v!.GetValue<double>())]);
            for (var j = 0; j < adjusted.Length; j++)
            {
                Close(answers["holm"]![i]![j], adjusted[j], $"Holm {holm[i]}[{j}]");
            }
        }

        var power = cases["power"]!.AsArray();
        for (var i = 0; i < power.Count; i++)
        {
            var c = power[i]!.AsArray().Select(v => v!.GetValue<double>()).ToArray();
            var h = Power.CohensH(c[0], c[1]);
            Close(answers["power"]![i]!["h"], h, $"Cohen's h {power[i]}");
            // statsmodels solves by root finding to its own tolerance: the sample size agrees to 1e-6.
            Close(answers["power"]![i]!["n"], Power.SubjectsPerArm(h, c[2], c[3]), $"subjects per arm {power[i]}", 1e-6);
        }
    }

    [Fact]
    public async Task The_cooperative_pooled_uplift_agrees_with_statsmodels_random_effects_meta_analysis()
    {
        var (cases, answers) = await Reference.Value;
        var meta = cases["meta"]!.AsArray();
        for (var i = 0; i < meta.Count; i++)
        {
            var estimates = meta[i]!["estimates"]!.AsArray().Select(v => v!.GetValue<double>()).ToArray();
            var variances = meta[i]!["variances"]!.AsArray().Select(v => v!.GetValue<double>()).ToArray();
            var result = MetaAnalysis.Combine([.. estimates.Zip(variances)], 0.95)!;
            var expected = answers["meta"]![i]!;
            var what = $"{estimates.Length} shops";
            Close(expected["estimate"], result.Pooled.Estimate, $"{what}: pooled uplift");
            Close(expected["low"], result.Pooled.Low, $"{what}: pooled low");
            Close(expected["high"], result.Pooled.High, $"{what}: pooled high");
            Close(expected["fixed"], result.FixedEffect.Estimate, $"{what}: fixed-effect uplift");
            Close(expected["tau2"], result.Tau2, $"{what}: τ²", absolute: 1e-15);
            Close(expected["q"], result.Q, $"{what}: Q", absolute: 1e-15);
            Close(expected["i2"], result.I2, $"{what}: I²", absolute: 1e-12);
            Close(expected["pValue"], result.PValue, $"{what}: p");
        }
    }

    private static CovariateSums Sums(double[] y, double[] x, int[] arm, int which)
    {
        var sums = default(CovariateSums);
        for (var i = 0; i < y.Length; i++)
        {
            if (arm[i] == which)
            {
                sums += new CovariateSums(1, y[i], y[i] * y[i], x[i], x[i] * x[i], x[i] * y[i]);
            }
        }

        return sums;
    }

    private static void Close(JsonNode? expected, double actual, string what, double tolerance = Closed, double absolute = 0)
    {
        var e = expected!.GetValue<double>();
        var scale = Math.Max(Math.Abs(e), 1e-300);
        Assert.True(Math.Abs(actual - e) <= tolerance * scale || Math.Abs(actual - e) <= absolute || actual == e,
            $"{what}: expected {e:R} (reference), got {actual:R}, relative error {Math.Abs(actual - e) / scale:E2}");
    }

    private static async Task<(JsonObject, JsonObject)> RunReferenceAsync()
    {
        var cases = GenerateCases(new Random(20_261_130));
        var folder = Directory.CreateTempSubdirectory("statistics-reference");
        try
        {
            var input = Path.Combine(folder.FullName, "cases.json");
            var output = Path.Combine(folder.FullName, "answers.json");
            await File.WriteAllTextAsync(input, cases.ToJsonString());
            var script = Path.Combine(AppContext.BaseDirectory, "Statistics", "reference.py");
            // Debian's interpreter: its python3-scipy and python3-statsmodels are what .ci/run installs.
            (await ProcessRunner.RunAsync("/usr/bin/python3", [script, input, output], timeout: TimeSpan.FromMinutes(3))).ThrowIfFailed("the SciPy reference");
            return (cases, JsonNode.Parse(await File.ReadAllTextAsync(output))!.AsObject());
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }

    private static JsonObject GenerateCases(Random random)
    {
        static JsonArray Row(params double[] values) => new([.. values.Select(v => (JsonNode)v)]);
        var normal = new JsonArray();
        foreach (var x in new[] { -30.0, -12.5, -8, -5, -3.3, -1.96, -1, -0.3, 0, 0.01, 0.7, 1.5, 2.5, 4, 6, 9 })
        {
            normal.Add(Row(x, 0));
        }

        for (var i = 0; i < normal.Count; i++)
        {
            normal[i]![1] = new[] { 1e-12, 1e-8, 1e-5, 0.001, 0.01, 0.025, 0.05, 0.2, 0.5, 0.6, 0.8, 0.95, 0.975, 0.99, 0.9999, 1 - 1e-9 }[i];
        }

        var t = new JsonArray();
        foreach (var df in new[] { 1.0, 2, 3.5, 7, 12.25, 30, 99.5, 500, 4_321.7, 50_000 })
        {
            t.Add(Row(random.NextDouble() * 8 - 4, 0.975, df));
            t.Add(Row(-random.NextDouble() * 3, 0.0005 + random.NextDouble() * 0.2, df));
            t.Add(Row(random.NextDouble() * 0.5, 0.6 + random.NextDouble() * 0.39, df));
        }

        var chi = new JsonArray();
        foreach (var df in new[] { 1.0, 2, 3, 5, 9 })
        {
            chi.Add(Row(random.NextDouble() * 3 * df, df));
            chi.Add(Row(df + 20 + random.NextDouble() * 30, df));
        }

        var proportions = new JsonArray();
        for (var i = 0; i < 25; i++)
        {
            var n1 = random.Next(20, 200_000);
            var n2 = random.Next(20, 200_000);
            var rate = 0.5 * Math.Pow(10, -random.NextDouble() * 2.5);
            proportions.Add(Row(Math.Round(n1 * rate * (0.8 + random.NextDouble() * 0.4)), n1, Math.Round(n2 * rate), n2));
        }

        proportions.Add(Row(0, 50, 3, 60));
        proportions.Add(Row(130, 1000, 100, 1000));

        var means = new JsonArray();
        for (var i = 0; i < 6; i++)
        {
            var n = random.Next(200, 3000);
            var correlation = i * 0.15;
            var y = new JsonArray();
            var x = new JsonArray();
            var arm = new JsonArray();
            for (var j = 0; j < n; j++)
            {
                var treated = random.Next(2);
                var before = Math.Exp(3 + Gaussian(random)) * (random.NextDouble() < 0.4 ? 1 : 0);
                var buys = random.NextDouble() < 0.05 + 0.02 * treated + correlation * Math.Min(1, before / 50);
                var revenue = buys ? Math.Round(20 + 60 * random.NextDouble() + correlation * before, 2) : 0;
                y.Add(revenue);
                x.Add(Math.Round(before, 2));
                arm.Add(treated);
            }

            means.Add(new JsonObject { ["y"] = y, ["x"] = x, ["arm"] = arm });
        }

        var sequential = new JsonArray();
        for (var i = 0; i < 12; i++)
        {
            sequential.Add(Row(random.NextDouble() - 0.5, Math.Pow(10, -2 - random.NextDouble() * 4), Math.Round(Math.Pow(10, 2 + random.NextDouble() * 4)),
                new[] { 0.01, 0.05, 0.1 }[i % 3], new[] { 1_000.0, 5_000, 20_000 }[i % 3]));
        }

        var bayesian = new JsonArray();
        for (var i = 0; i < 10; i++)
        {
            bayesian.Add(Row(random.NextDouble() * 0.4 - 0.2, Math.Pow(10, -4 + random.NextDouble() * 2.5)));
        }

        var srm = new JsonArray
        {
            new JsonArray(Row(5200, 4800), Row(50, 50)),
            new JsonArray(Row(5030, 4970), Row(50, 50)),
            new JsonArray(Row(1000, 2100, 2950), Row(1, 2, 3)),
            new JsonArray(Row(48_123, 951_877), Row(5, 95)),
        };

        var holm = new JsonArray
        {
            Row(0.01, 0.04, 0.03), Row(0.2, 0.001), Row(0.5, 0.02, 0.049, 0.0001, 0.3), Row(0.04),
        };

        var power = new JsonArray
        {
            Row(0.03, 0.033, 0.05, 0.8), Row(0.1, 0.12, 0.05, 0.9), Row(0.02, 0.025, 0.025, 0.8), Row(0.5, 0.55, 0.01, 0.95),
        };

        // A cooperative's campaign across member shops: relative uplifts with their variances, alike (τ² = 0), spread, one shop.
        var meta = new JsonArray();
        foreach (var (shops, spread) in new[] { (2, 0.0), (5, 0.0), (8, 0.15), (20, 0.05), (50, 0.3), (1, 0.0) })
        {
            var estimates = new JsonArray();
            var variances = new JsonArray();
            for (var i = 0; i < shops; i++)
            {
                var variance = Math.Pow(0.02 + random.NextDouble() * 0.2, 2);
                estimates.Add(0.12 + spread * Gaussian(random) + Math.Sqrt(variance) * Gaussian(random));
                variances.Add(variance);
            }

            meta.Add(new JsonObject { ["estimates"] = estimates, ["variances"] = variances });
        }

        return new JsonObject
        {
            ["normal"] = normal, ["t"] = t, ["chi2"] = chi, ["proportions"] = proportions, ["means"] = means, ["sequential"] = sequential,
            ["bayesian"] = bayesian, ["srm"] = srm, ["holm"] = holm, ["power"] = power, ["meta"] = meta,
        };
    }

    private static double Gaussian(Random random) => Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
}
