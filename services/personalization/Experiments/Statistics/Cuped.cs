namespace MachCommerce.Personalization.Experiments.Statistics;

/// <summary>
/// One arm's sums over its subjects of the metric y and of the pre-exposure covariate x (what the subject spent
/// before the experiment): n, Σy, Σy², Σx, Σx², Σxy.
/// </summary>
public readonly record struct CovariateSums(double N, double SumY, double SumY2, double SumX, double SumX2, double SumXY)
{
    public static CovariateSums operator +(CovariateSums a, CovariateSums b) =>
        new(a.N + b.N, a.SumY + b.SumY, a.SumY2 + b.SumY2, a.SumX + b.SumX, a.SumX2 + b.SumX2, a.SumXY + b.SumXY);
}

/// <summary>
/// CUPED (Deng et al. 2013): y − θ(x − x̄) has the same expected difference between arms as y, and a variance
/// smaller by the share ρ² that the pre-exposure behaviour explains. θ = Cov(x, y) / Var(x) over all subjects of
/// all arms, so it does not depend on the assignment.
/// </summary>
public static class Cuped
{
    public readonly record struct Adjusted(double Theta, IReadOnlyList<Sample> Samples);

    public static Adjusted Adjust(IReadOnlyList<CovariateSums> arms)
    {
        var all = arms.Aggregate(default(CovariateSums), (total, arm) => total + arm);
        var varianceX = all.N > 1 ? (all.SumX2 - all.SumX * all.SumX / all.N) / (all.N - 1) : 0;
        var covariance = all.N > 1 ? (all.SumXY - all.SumX * all.SumY / all.N) / (all.N - 1) : 0;
        var theta = varianceX > 0 ? covariance / varianceX : 0;
        var meanX = all.N > 0 ? all.SumX / all.N : 0;
        return new Adjusted(theta, [.. arms.Select(arm =>
        {
            if (arm.N <= 0)
            {
                return new Sample(0, 0, 0);
            }

            var y = Sample.FromSums(arm.N, arm.SumY, arm.SumY2);
            if (arm.N <= 1)
            {
                return y;
            }

            var armVarianceX = (arm.SumX2 - arm.SumX * arm.SumX / arm.N) / (arm.N - 1);
            var armCovariance = (arm.SumXY - arm.SumX * arm.SumY / arm.N) / (arm.N - 1);
            var variance = Math.Max(0, y.Variance - 2 * theta * armCovariance + theta * theta * armVarianceX);
            return new Sample(arm.N, y.Mean - theta * (arm.SumX / arm.N - meanX), variance);
        })]);
    }
}
