using Npgsql;

namespace MachCommerce.Personalization.Experiments;

/// <summary>
/// What the subjects of one arm, first exposed on one day (UTC), did: the sufficient statistics of every metric of
/// the report (counts, sums, sums of squares and the cross sums with the pre-exposure spend CUPED needs), so the
/// report is computed from a few rows per day instead of one per subject.
/// </summary>
internal sealed record ArmDay(string Variant, DateOnly Day, long Subjects, long Impressions, long Clicks, long Conversions, long Redemptions, long Orders,
    decimal Revenue, double RevenueSquares, double PreRevenue, double PreSquares, double PreTimesRevenue, long Withdrawals);

/// <summary>An arm's totals over a range of days (the whole experiment, or up to a day for the daily series).</summary>
internal sealed record ArmTotals(long Subjects, long Impressions, long Clicks, long Conversions, long Redemptions, long Orders,
    decimal Revenue, double RevenueSquares, double PreRevenue, double PreSquares, double PreTimesRevenue, long Withdrawals)
{
    public static readonly ArmTotals None = new(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0);

    public static ArmTotals Of(IEnumerable<ArmDay> days) => days.Aggregate(None, (totals, day) => totals.Add(day));

    public ArmTotals Add(ArmDay d) => new(Subjects + d.Subjects, Impressions + d.Impressions, Clicks + d.Clicks, Conversions + d.Conversions,
        Redemptions + d.Redemptions, Orders + d.Orders, Revenue + d.Revenue, RevenueSquares + d.RevenueSquares, PreRevenue + d.PreRevenue,
        PreSquares + d.PreSquares, PreTimesRevenue + d.PreTimesRevenue, Withdrawals + d.Withdrawals);

    /// <summary>Subjects who withdrew consent are gone from the exposures; for their rate they count among the exposed.</summary>
    public long Exposed => Subjects + Withdrawals;
}

internal static class ExperimentData
{
    /// <summary>The arm-days of one experiment (or of the global holdout), optionally only subjects first exposed in [from, to).</summary>
    public static async Task<List<ArmDay>> ReadAsync(NpgsqlTransaction transaction, string tenantId, Guid experimentId, CancellationToken cancellationToken,
        DateTimeOffset? from = null, DateTimeOffset? to = null)
    {
        var rows = new List<ArmDay>();
        await using var batch = new NpgsqlBatch(transaction.Connection, transaction);
        // Squares in double precision: numeric arithmetic over a million rows costs several times as much, and the
        // statistics are computed in doubles anyway. The revenue itself is summed exactly.
        batch.BatchCommands.Add(new NpgsqlBatchCommand("""
            SELECT variant, (first_exposed_at AT TIME ZONE 'UTC')::date, count(*), sum(impressions), count(clicked_at), count(converted_at), count(redeemed_at),
                   sum(orders), sum(revenue), sum(revenue::float8 * revenue::float8), sum(pre_revenue::float8),
                   sum(pre_revenue::float8 * pre_revenue::float8), sum(pre_revenue::float8 * revenue::float8)
            FROM exposures
            WHERE tenant_id = $1 AND experiment_id = $2 AND first_exposed_at >= coalesce($3, '-infinity') AND first_exposed_at < coalesce($4, 'infinity')
            GROUP BY 1, 2
            """)
        {
            Parameters = { new() { Value = tenantId }, new() { Value = experimentId }, Bound(from), Bound(to) },
        });
        batch.BatchCommands.Add(new NpgsqlBatchCommand("""
            SELECT variant, exposed_on, withdrawals FROM experiment_withdrawals
            WHERE tenant_id = $1 AND experiment_id = $2
              AND exposed_on >= coalesce(($3 AT TIME ZONE 'UTC')::date, '-infinity') AND exposed_on < coalesce(($4 AT TIME ZONE 'UTC')::date, 'infinity')
            """)
        {
            Parameters = { new() { Value = tenantId }, new() { Value = experimentId }, Bound(from), Bound(to) },
        });
        await using var reader = await batch.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            rows.Add(new ArmDay(reader.GetString(0), reader.GetFieldValue<DateOnly>(1), reader.GetInt64(2), reader.GetInt64(3), reader.GetInt64(4), reader.GetInt64(5),
                reader.GetInt64(6), reader.GetInt64(7), reader.GetDecimal(8), reader.GetDouble(9), reader.GetDouble(10), reader.GetDouble(11), reader.GetDouble(12), 0));
        }

        await reader.NextResultAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            var (variant, day, count) = (reader.GetString(0), reader.GetFieldValue<DateOnly>(1), reader.GetInt32(2));
            var index = rows.FindIndex(r => r.Variant == variant && r.Day == day);
            if (index >= 0)
            {
                rows[index] = rows[index] with { Withdrawals = count };
            }
            else
            {
                rows.Add(new ArmDay(variant, day, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, count));
            }
        }

        rows.Sort((a, b) => a.Day.CompareTo(b.Day));
        return rows;
    }

    private static NpgsqlParameter Bound(DateTimeOffset? at) => new() { Value = (object?)at ?? DBNull.Value, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.TimestampTz };

    /// <summary>
    /// Counts the subjects' exposures as consent withdrawals, anonymously, before <c>SubjectStore.ForgetAsync</c>
    /// deletes them: the guardrail of every experiment the subjects were in.
    /// </summary>
    public static NpgsqlBatchCommand CountWithdrawals(string tenantId, string[] subjectKeys) => new("""
        INSERT INTO experiment_withdrawals (tenant_id, experiment_id, variant, exposed_on, withdrawals)
        SELECT tenant_id, experiment_id, variant, (first_exposed_at AT TIME ZONE 'UTC')::date, count(*)
        FROM exposures WHERE tenant_id = $1 AND subject_key = ANY($2)
        GROUP BY 1, 2, 3, 4
        ORDER BY 2, 3, 4
        ON CONFLICT (tenant_id, experiment_id, variant, exposed_on) DO UPDATE SET withdrawals = experiment_withdrawals.withdrawals + excluded.withdrawals
        """)
    {
        Parameters = { new() { Value = tenantId }, new() { Value = subjectKeys } },
    };
}
