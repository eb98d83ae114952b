using MachCommerce.Api.Personalization;
using Npgsql;

namespace MachCommerce.Launcher.DemoData;

/// <summary>
/// The demo shop's past: 90 days of consenting visitors of the home page experiment (personalized against
/// broadcast) and of the global holdout, so both reports give a reliable verdict from the first start. No API
/// records the past (exposures are written when a decision is made, at the time it is made), so the launcher's
/// seed writes this history straight into the service's tables; nothing else does.
/// Each visitor joins the holdout and an arm by the same hash the decision engine uses (<see cref="Assignment"/>), at the demo shops' own share of 20 %
/// (a 5 % holdout needs far more visitors than a demo has to prove an uplift), the rest are split by the
/// experiment's own hash; whoever buys does so within two days, more often and for more when they have bought
/// before (the pre-exposure spend CUPED uses). Seeded: every machine shows the same report.
/// </summary>
public static class DemoExperimentHistory
{
    public const int Days = 90;
    public const int VisitorsPerDay = 1_500;

    /// <summary>The demo shops' holdout share (their experiment settings say so too).</summary>
    public const double HoldoutShare = 0.2;

    /// <summary>Conversion of a first-time visitor by what they see: broadcast everywhere, the home page's broadcast arm, personal offers.</summary>
    public static readonly IReadOnlyDictionary<string, double> Conversion = new Dictionary<string, double>
    {
        ["holdout"] = 0.030, ["broadcast"] = 0.036, ["personalized"] = 0.050,
    };

    private const int BatchSize = 20_000;

    public static async Task WriteAsync(string connectionString, string tenantId, Guid experimentId, int seed, DateTimeOffset now, CancellationToken cancellationToken)
    {
        (string Key, int Weight)[] arms = [("broadcast", 50), ("personalized", 50)];
        var random = new Random(seed);
        var rows = new Rows();
        for (var day = 0; day < Days; day++)
        {
            // Weekends bring a third more visitors: the reason for the seven-day minimum.
            var visitors = (int)(VisitorsPerDay * (now.AddDays(day - Days).DayOfWeek is DayOfWeek.Saturday or DayOfWeek.Sunday ? 1.33 : 0.87));
            for (var i = 0; i < visitors; i++)
            {
                var key = $"v:demo-history-{tenantId}-{day:D2}-{i:D4}";
                var at = now.AddDays(day - Days).AddMinutes(random.Next(0, 1_440));
                var spentBefore = random.NextDouble() < 0.35 ? Math.Round((decimal)Math.Exp(3.5 + random.NextDouble() * 2), 2) : 0m;
                var inHoldout = Assignment.InHoldout(tenantId, key, HoldoutShare);
                var arm = inHoldout ? Assignment.HoldoutArm : Assignment.Arm(experimentId, key, arms, a => a.Weight).Key;
                // Loyal customers buy more often and more: up to twice the base rate, baskets grow with past spend.
                var buys = random.NextDouble() < Conversion[arm] * (0.7 + Math.Min(1.3, (double)spentBefore / 150));
                var revenue = buys ? Math.Round(25 + (decimal)(random.NextDouble() * 70) + spentBefore * 0.15m, 2) : 0m;
                var boughtAt = buys ? at.AddHours(random.Next(1, 48)) : (DateTimeOffset?)null;
                rows.Add(tenantId, Assignment.HoldoutExperimentId, key, inHoldout ? Assignment.HoldoutArm : Assignment.PersonalizedArm, at, boughtAt, revenue, spentBefore);
                if (!inHoldout)
                {
                    rows.Add(tenantId, experimentId, key, arm, at, boughtAt, revenue, spentBefore);
                }
            }
        }

        await InsertAsync(connectionString, tenantId, experimentId, rows, now.AddDays(-Days), cancellationToken);
    }

    /// <summary>
    /// The past of a cooperative campaign's experiment in one member shop (the offer against none, four visitors in
    /// five with it): <paramref name="days"/> days of consenting visitors of the placement, converting at
    /// <paramref name="withoutRate"/> or <paramref name="withRate"/>.
    /// </summary>
    public static async Task WriteCampaignAsync(string connectionString, string tenantId, Guid experimentId, string placement, double withoutRate, double withRate, int days,
        int visitorsPerDay, int seed, DateTimeOffset now, CancellationToken cancellationToken)
    {
        (string Key, int Weight)[] arms = [(Assignment.CampaignWithoutOffer, 1), (Assignment.CampaignWithOffer, 4)];
        var random = new Random(seed);
        var rows = new Rows();
        for (var day = 0; day < days; day++)
        {
            for (var i = 0; i < visitorsPerDay; i++)
            {
                var key = $"v:demo-campaign-{tenantId}-{day:D2}-{i:D4}";
                var at = now.AddDays(day - days).AddMinutes(random.Next(0, 1_440));
                var spentBefore = random.NextDouble() < 0.35 ? Math.Round((decimal)Math.Exp(3.5 + random.NextDouble() * 2), 2) : 0m;
                var arm = Assignment.Arm(experimentId, key, arms, a => a.Weight).Key;
                var buys = random.NextDouble() < (arm == Assignment.CampaignWithOffer ? withRate : withoutRate) * (0.7 + Math.Min(1.3, (double)spentBefore / 150));
                var revenue = buys ? Math.Round(25 + (decimal)(random.NextDouble() * 70) + spentBefore * 0.15m, 2) : 0m;
                rows.Add(tenantId, experimentId, key, arm, at, buys ? at.AddHours(random.Next(1, 48)) : null, revenue, spentBefore);
            }
        }

        await InsertAsync(connectionString, tenantId, experimentId, rows, now.AddDays(-days), cancellationToken);
    }

    /// <summary>Writes the exposures and moves the experiment's start back to the first of them.</summary>
    private static async Task InsertAsync(string connectionString, string tenantId, Guid experimentId, Rows rows, DateTimeOffset startedAt, CancellationToken cancellationToken)
    {
        await using var dataSource = NpgsqlDataSource.Create(connectionString);
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await using (var started = new NpgsqlCommand(
            "UPDATE personalization.experiments SET definition = jsonb_set(definition, '{startedAt}', to_jsonb($3::timestamptz)) WHERE tenant_id = $1 AND id = $2", connection, transaction))
        {
            started.Parameters.Add(new() { Value = tenantId });
            started.Parameters.Add(new() { Value = experimentId });
            started.Parameters.Add(new() { Value = startedAt });
            await started.ExecuteNonQueryAsync(cancellationToken);
        }

        for (var offset = 0; offset < rows.Count; offset += BatchSize)
        {
            await using var insert = new NpgsqlCommand("""
                INSERT INTO personalization.exposures (tenant_id, experiment_id, subject_key, variant, first_exposed_at, converted_at, revenue, orders, pre_revenue)
                SELECT t, e, k, v, f, c, r, CASE WHEN c IS NULL THEN 0 ELSE 1 END, p
                FROM unnest($1::text[], $2::uuid[], $3::text[], $4::text[], $5::timestamptz[], $6::timestamptz[], $7::numeric[], $8::numeric[]) AS u(t, e, k, v, f, c, r, p)
                ON CONFLICT DO NOTHING
                """, connection, transaction);
            foreach (var column in rows.Slice(offset, BatchSize))
            {
                insert.Parameters.Add(new() { Value = column });
            }

            await insert.ExecuteNonQueryAsync(cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
    }

    private sealed class Rows
    {
        private readonly List<string> _tenants = [], _keys = [], _variants = [];
        private readonly List<Guid> _experiments = [];
        private readonly List<DateTimeOffset> _exposed = [];
        private readonly List<DateTimeOffset?> _bought = [];
        private readonly List<decimal> _revenue = [], _before = [];

        public int Count => _keys.Count;

        public void Add(string tenant, Guid experiment, string key, string variant, DateTimeOffset exposed, DateTimeOffset? bought, decimal revenue, decimal before)
        {
            _tenants.Add(tenant);
            _experiments.Add(experiment);
            _keys.Add(key);
            _variants.Add(variant);
            _exposed.Add(exposed);
            _bought.Add(bought);
            _revenue.Add(revenue);
            _before.Add(before);
        }

        public object[] Slice(int offset, int count)
        {
            count = Math.Min(count, Count - offset);
            return
            [
                _tenants.GetRange(offset, count).ToArray(), _experiments.GetRange(offset, count).ToArray(), _keys.GetRange(offset, count).ToArray(),
                _variants.GetRange(offset, count).ToArray(), _exposed.GetRange(offset, count).ToArray(), _bought.GetRange(offset, count).ToArray(),
                _revenue.GetRange(offset, count).ToArray(), _before.GetRange(offset, count).ToArray(),
            ];
        }
    }
}
