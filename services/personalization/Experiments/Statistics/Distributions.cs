namespace MachCommerce.Personalization.Experiments.Statistics;

/// <summary>
/// The distributions the reports need: normal, Student's t and chi-squared, to about 1e-14 relative (checked
/// against SciPy in the tests). .NET has none of them and the report must agree with the reference to 1e-9, so
/// they are built on the regularized incomplete gamma and beta functions (continued fractions, Lentz's method).
/// </summary>
public static class Distributions
{
    private const double Epsilon = 1e-16;
    private const double Tiny = 1e-300;

    /// <summary>Φ(x), the standard normal distribution function.</summary>
    public static double NormalCdf(double x) => x < 0 ? 0.5 * Erfc(-x / Math.Sqrt(2)) : 1 - 0.5 * Erfc(x / Math.Sqrt(2));

    /// <summary>1 − Φ(x), exact in the far tail too.</summary>
    public static double NormalSf(double x) => NormalCdf(-x);

    public static double NormalPdf(double x) => Math.Exp(-x * x / 2) / Math.Sqrt(2 * Math.PI);

    /// <summary>Φ⁻¹(p): Acklam's rational approximation, polished by two Halley steps on <see cref="NormalCdf"/>.</summary>
    public static double NormalQuantile(double p)
    {
        if (p is <= 0 or >= 1)
        {
            return p == 0 ? double.NegativeInfinity : p == 1 ? double.PositiveInfinity : double.NaN;
        }

        double[] a = [-3.969683028665376e+01, 2.209460984245205e+02, -2.759285104469687e+02, 1.383577518672690e+02, -3.066479806614716e+01, 2.506628277459239e+00];
        double[] b = [-5.447609879822406e+01, 1.615858368580409e+02, -1.556989798598866e+02, 6.680131188771972e+01, -1.328068155288572e+01];
        double[] c = [-7.784894002430293e-03, -3.223964580411365e-01, -2.400758277161838e+00, -2.549732539343734e+00, 4.374664141464968e+00, 2.938163982698783e+00];
        double[] d = [7.784695709041462e-03, 3.224671290700398e-01, 2.445134137142996e+00, 3.754408661907416e+00];
        double x;
        if (p < 0.02425)
        {
            var q = Math.Sqrt(-2 * Math.Log(p));
            x = (((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5]) / ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1);
        }
        else if (p <= 1 - 0.02425)
        {
            var q = p - 0.5;
            var r = q * q;
            x = (((((a[0] * r + a[1]) * r + a[2]) * r + a[3]) * r + a[4]) * r + a[5]) * q / (((((b[0] * r + b[1]) * r + b[2]) * r + b[3]) * r + b[4]) * r + 1);
        }
        else
        {
            var q = Math.Sqrt(-2 * Math.Log(1 - p));
            x = -(((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5]) / ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1);
        }

        for (var i = 0; i < 2; i++)
        {
            // Halley's method: the error of the approximation (1e-9) drops below double precision.
            var e = (p < 0.5 ? NormalCdf(x) - p : -(NormalSf(x) - (1 - p)));
            var u = e * Math.Sqrt(2 * Math.PI) * Math.Exp(x * x / 2);
            x -= u / (1 + x * u / 2);
        }

        return x;
    }

    /// <summary>erfc(x) for x ≥ 0 through the regularized upper incomplete gamma function: erfc(x) = Q(½, x²).</summary>
    public static double Erfc(double x) => x < 0 ? 2 - Erfc(-x) : UpperGamma(0.5, x * x);

    /// <summary>Student's t distribution function with <paramref name="df"/> degrees of freedom (not necessarily whole).</summary>
    public static double StudentTCdf(double t, double df)
    {
        if (double.IsInfinity(df))
        {
            return NormalCdf(t);
        }

        var tail = 0.5 * RegularizedBeta(df / 2, 0.5, df / (df + t * t));
        return t > 0 ? 1 - tail : tail;
    }

    /// <summary>The quantile of Student's t: Newton's method on <see cref="StudentTCdf"/> from the normal quantile.</summary>
    public static double StudentTQuantile(double p, double df)
    {
        if (p == 0.5)
        {
            return 0;
        }

        if (p > 0.5)
        {
            return -StudentTQuantile(1 - p, df);
        }

        // Work in the lower tail (p < ½, t < 0), where the distribution function is computed without cancellation.
        var x = NormalQuantile(p);
        if (df < 1e7)
        {
            // Cornish–Fisher start, then Newton; the t density is log-concave enough in the tail for this to converge.
            var g1 = (x * x * x + x) / 4;
            var g2 = (5 * Math.Pow(x, 5) + 16 * x * x * x + 3 * x) / 96;
            x += g1 / df + g2 / (df * df);
            for (var i = 0; i < 100; i++)
            {
                var step = (StudentTCdf(x, df) - p) / StudentTPdf(x, df);
                x -= step;
                if (Math.Abs(step) <= 1e-15 * Math.Max(1, Math.Abs(x)))
                {
                    break;
                }
            }
        }

        return x;
    }

    public static double StudentTPdf(double t, double df) =>
        Math.Exp(LogGamma((df + 1) / 2) - LogGamma(df / 2) - 0.5 * Math.Log(df * Math.PI) - (df + 1) / 2 * Log1p(t * t / df));

    /// <summary>The upper tail of the chi-squared distribution (a goodness-of-fit test's p-value).</summary>
    public static double ChiSquaredSf(double x, double df) => x <= 0 ? 1 : UpperGamma(df / 2, x / 2);

    /// <summary>ln(1 + x) without losing the digits of a small x (Goldberg's trick; .NET's LogP1 is log(1 + x) as written).</summary>
    public static double Log1p(double x)
    {
        var u = 1 + x;
        return u == 1 ? x : Math.Log(u) * x / (u - 1);
    }

    /// <summary>ln Γ(x) for x &gt; 0 (Lanczos, g = 7, nine terms: about 1e-15 relative).</summary>
    public static double LogGamma(double x)
    {
        if (x < 0.5)
        {
            return Math.Log(Math.PI / Math.Abs(Math.Sin(Math.PI * x))) - LogGamma(1 - x);
        }

        double[] g =
        [
            0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059,
            12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7,
        ];
        x -= 1;
        var sum = g[0];
        for (var i = 1; i < g.Length; i++)
        {
            sum += g[i] / (x + i);
        }

        var t = x + 7.5;
        return 0.5 * Math.Log(2 * Math.PI) + (x + 0.5) * Math.Log(t) - t + Math.Log(sum);
    }

    /// <summary>Q(a, x) = Γ(a, x) / Γ(a): a series below a + 1, a continued fraction above.</summary>
    public static double UpperGamma(double a, double x)
    {
        if (x <= 0)
        {
            return 1;
        }

        var front = Math.Exp(-x + a * Math.Log(x) - LogGamma(a));
        if (x < a + 1)
        {
            var term = 1 / a;
            var sum = term;
            for (var n = 1; n < 10_000; n++)
            {
                term *= x / (a + n);
                sum += term;
                if (Math.Abs(term) < Math.Abs(sum) * Epsilon)
                {
                    break;
                }
            }

            return 1 - sum * front;
        }

        // Lentz's method for the continued fraction of Γ(a, x).
        var b = x + 1 - a;
        var c = 1 / Tiny;
        var d = 1 / b;
        var h = d;
        for (var i = 1; i < 10_000; i++)
        {
            var an = -i * (i - a);
            b += 2;
            d = NonZero(an * d + b);
            c = NonZero(b + an / c);
            d = 1 / d;
            var delta = d * c;
            h *= delta;
            if (Math.Abs(delta - 1) < Epsilon)
            {
                break;
            }
        }

        return front * h;
    }

    /// <summary>I_x(a, b), the regularized incomplete beta function.</summary>
    public static double RegularizedBeta(double a, double b, double x)
    {
        if (x <= 0)
        {
            return 0;
        }

        if (x >= 1)
        {
            return 1;
        }

        var front = Math.Exp(LogGamma(a + b) - LogGamma(a) - LogGamma(b) + a * Math.Log(x) + b * Log1p(-x));
        // The continued fraction converges fast for x below the mean; above it, the symmetry I_x(a,b) = 1 − I_{1−x}(b,a).
        return x < (a + 1) / (a + b + 2) ? front * BetaFraction(a, b, x) / a : 1 - front * BetaFraction(b, a, 1 - x) / b;
    }

    /// <summary>Lentz's guard: a denominator that comes out zero is replaced by a tiny number instead of dividing by it.</summary>
    private static double NonZero(double x) => Math.Abs(x) < Tiny ? Tiny : x;

    private static double BetaFraction(double a, double b, double x)
    {
        var qab = a + b;
        var qap = a + 1;
        var qam = a - 1;
        var c = 1.0;
        var d = NonZero(1 - qab * x / qap);
        d = 1 / d;
        var h = d;
        for (var m = 1; m < 10_000; m++)
        {
            var m2 = 2 * m;
            var aa = m * (b - m) * x / ((qam + m2) * (a + m2));
            d = NonZero(1 + aa * d);
            c = NonZero(1 + aa / c);
            d = 1 / d;
            h *= d * c;
            aa = -(a + m) * (qab + m) * x / ((a + m2) * (qap + m2));
            d = NonZero(1 + aa * d);
            c = NonZero(1 + aa / c);
            d = 1 / d;
            var delta = d * c;
            h *= delta;
            if (Math.Abs(delta - 1) < Epsilon)
            {
                break;
            }
        }

        return h;
    }
}
