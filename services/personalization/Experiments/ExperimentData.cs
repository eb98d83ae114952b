namespace MachCommerce.Personalization.Experiments;

/// <summary>
/// What the subjects of one arm, first exposed on one day (UTC), did: the sufficient statistics of every metric of
/// the report (counts, sums, sums of squares and the cross sums with the pre-exposure spend CUPED needs), so the
/// report is computed from a few rows per day instead of one per subject.
/// </summary>
internal sealed record ArmDay(string Variant, DateOnly Day, long Subjects, long Clicks, long Conversions, long Redemptions, long Orders,
    decimal Revenue, double RevenueSquares, double PreRevenue, double PreSquares, double PreTimesRevenue, long Withdrawals);

/// <summary>An arm's totals over a range of days (the whole experiment, or up to a day for the daily series).</summary>
internal sealed record ArmTotals(long Subjects, long Clicks, long Conversions, long Redemptions, long Orders,
    decimal Revenue, double RevenueSquares, double PreRevenue, double PreSquares, double PreTimesRevenue, long Withdrawals)
{
    public static readonly ArmTotals None = new(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0);

    public static ArmTotals Of(IEnumerable<ArmDay> days) => days.Aggregate(None, (totals, day) => totals.Add(day));

    public ArmTotals Add(ArmDay d) => new(Subjects + d.Subjects, Clicks + d.Clicks, Conversions + d.Conversions,
        Redemptions + d.Redemptions, Orders + d.Orders, Revenue + d.Revenue, RevenueSquares + d.RevenueSquares, PreRevenue + d.PreRevenue,
        PreSquares + d.PreSquares, PreTimesRevenue + d.PreTimesRevenue, Withdrawals + d.Withdrawals);

    /// <summary>Subjects who withdrew consent are gone from the exposures; for their rate they count among the exposed.</summary>
    public long Exposed => Subjects + Withdrawals;
}

/// <summary>
/// Reads an experiment's (or the holdout's) arm-days through the <c>experiment_days</c> table: a sealed day (no
/// purchase can be credited to it any more) is aggregated from the exposures once and kept; an open day is
/// recomputed when its row is older than the report's freshness. So a report over a million subjects aggregates
/// only the open days, and those at most once per freshness period, instead of every exposure on every request.
/// </summary>
internal static class ExperimentData
{
    /// <summary>How long after the attribution window events reported late are still credited; after it a day is sealed.</summary>
    public static readonly TimeSpan Grace = TimeSpan.FromDays(2);

    /// <summary>The first day (UTC) that is still open: every earlier one is sealed.</summary>
    public static DateOnly FirstOpenDay(DateTimeOffset now, TimeSpan window) => DateOnly.FromDateTime((now - window - Grace - TimeSpan.FromDays(1)).UtcDateTime);

    /// <summary>The arm-days of the subjects first exposed on the days <paramref name="first"/> to <paramref name="last"/> (UTC, inclusive).</summary>
    public static async Task<List<ArmDay>> ReadAsync(NpgsqlTransaction transaction, string tenantId, Guid experimentId, DateOnly first, DateOnly last, TimeSpan window,
        DateTimeOffset now, TimeSpan freshness, CancellationToken cancellationToken)
    {
        var firstOpen = FirstOpenDay(now, window);
        var rows = new List<ArmDay>();
        var computed = new HashSet<DateOnly>();
        await using (var cached = new NpgsqlCommand("""
            SELECT day, variant, subjects, clicks, conversions, redemptions, orders, revenue, revenue_squares, pre_revenue, pre_squares, pre_times_revenue
            FROM experiment_days
            WHERE tenant_id = $1 AND experiment_id = $2 AND day BETWEEN $3 AND $4 AND (sealed OR computed_at > $5)
            """, transaction.Connection, transaction))
        {
            cached.Parameters.Add(new() { Value = tenantId });
            cached.Parameters.Add(new() { Value = experimentId });
            cached.Parameters.Add(new() { Value = first });
            cached.Parameters.Add(new() { Value = last });
            cached.Parameters.Add(new() { Value = now - freshness });
            await using var reader = await cached.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                var day = reader.GetFieldValue<DateOnly>(0);
                computed.Add(day);
                if (reader.GetString(1) is { Length: > 0 } variant)
                {
                    rows.Add(new ArmDay(variant, day, reader.GetInt64(2), reader.GetInt64(3), reader.GetInt64(4), reader.GetInt64(5), reader.GetInt64(6),
                        reader.GetDecimal(7), reader.GetDouble(8), reader.GetDouble(9), reader.GetDouble(10), reader.GetDouble(11), 0));
                }
            }
        }

        var missing = new List<DateOnly>();
        for (var day = first; day <= last; day = day.AddDays(1))
        {
            if (!computed.Contains(day))
            {
                missing.Add(day);
            }
        }

        if (missing.Count > 0)
        {
            rows.AddRange(await ComputeAsync(transaction, tenantId, experimentId, missing, firstOpen, now, cancellationToken));
        }

        await AddWithdrawalsAsync(transaction, tenantId, experimentId, first, last, rows, cancellationToken);
        rows.Sort((a, b) => a.Day.CompareTo(b.Day));
        return rows;
    }

    /// <summary>The earlier of <paramref name="first"/> and the first exposure's day (an index lookup): nothing is left out.</summary>
    public static async Task<DateOnly> EarliestDayAsync(NpgsqlTransaction transaction, string tenantId, Guid experimentId, DateOnly first, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand("SELECT min(first_exposed_at) FROM exposures WHERE tenant_id = $1 AND experiment_id = $2", transaction.Connection, transaction);
        command.Parameters.Add(new() { Value = tenantId });
        command.Parameters.Add(new() { Value = experimentId });
        return await command.ExecuteScalarAsync(cancellationToken) is DateTime earliest && DateOnly.FromDateTime(earliest.ToUniversalTime()) < first
            ? DateOnly.FromDateTime(earliest.ToUniversalTime())
            : first;
    }

    /// <summary>Aggregates the given days from the exposures (one range per run of consecutive days) and keeps the result.</summary>
    private static async Task<List<ArmDay>> ComputeAsync(NpgsqlTransaction transaction, string tenantId, Guid experimentId, List<DateOnly> days, DateOnly firstOpen,
        DateTimeOffset now, CancellationToken cancellationToken)
    {
        var runs = new List<(DateOnly From, DateOnly To)>();
        foreach (var day in days)
        {
            if (runs.Count > 0 && runs[^1].To.AddDays(1) == day)
            {
                runs[^1] = (runs[^1].From, day);
            }
            else
            {
                runs.Add((day, day));
            }
        }

        var rows = new List<ArmDay>();
        await using (var aggregate = new NpgsqlCommand("""
            SELECT variant, (first_exposed_at AT TIME ZONE 'UTC')::date, count(*), count(clicked_at), count(converted_at), count(redeemed_at), sum(orders),
                   coalesce(sum(revenue) FILTER (WHERE revenue <> 0), 0), coalesce(sum(revenue::float8 * revenue::float8) FILTER (WHERE revenue <> 0), 0),
                   sum(pre_revenue), sum(pre_revenue * pre_revenue), coalesce(sum(pre_revenue * revenue::float8) FILTER (WHERE revenue <> 0), 0)
            FROM unnest($3::timestamptz[], $4::timestamptz[]) AS r(low, high)
            JOIN exposures x ON x.tenant_id = $1 AND x.experiment_id = $2 AND x.first_exposed_at >= r.low AND x.first_exposed_at < r.high
            GROUP BY 1, 2
            """, transaction.Connection, transaction))
        {
            // Money in numeric, exactly; squares in double precision, and only over the subjects who bought something:
            // numeric arithmetic over every subject costs most of the time.
            aggregate.Parameters.Add(new() { Value = tenantId });
            aggregate.Parameters.Add(new() { Value = experimentId });
            aggregate.Parameters.Add(new() { Value = runs.Select(r => Midnight(r.From)).ToArray() });
            aggregate.Parameters.Add(new() { Value = runs.Select(r => Midnight(r.To.AddDays(1))).ToArray() });
            await using var reader = await aggregate.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                rows.Add(new ArmDay(reader.GetString(0), reader.GetFieldValue<DateOnly>(1), reader.GetInt64(2), reader.GetInt64(3), reader.GetInt64(4), reader.GetInt64(5),
                    reader.GetInt64(6), reader.GetDecimal(7), reader.GetDouble(8), reader.GetDouble(9), reader.GetDouble(10), reader.GetDouble(11), 0));
            }
        }

        // Kept: the computed days replace what was there (a variant whose subjects were all erased leaves no stale row),
        // each with its marker row. Two reports computing the same day at once write the same numbers.
        var kept = rows.Concat(days.Select(d => new ArmDay("", d, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0))).ToList();
        await using var batch = new NpgsqlBatch(transaction.Connection, transaction)
        {
            BatchCommands =
            {
                new NpgsqlBatchCommand("DELETE FROM experiment_days WHERE tenant_id = $1 AND experiment_id = $2 AND day = ANY($3)")
                {
                    Parameters = { new() { Value = tenantId }, new() { Value = experimentId }, new() { Value = days.ToArray() } },
                },
                new NpgsqlBatchCommand("""
                    INSERT INTO experiment_days (tenant_id, experiment_id, day, variant, sealed, computed_at, subjects, clicks, conversions, redemptions, orders,
                                                 revenue, revenue_squares, pre_revenue, pre_squares, pre_times_revenue)
                    SELECT $1, $2, d, v, d < $3, $4, s, c, cv, rd, o, r, rs, p, ps, pr
                    FROM unnest($5::date[], $6::text[], $7::bigint[], $8::bigint[], $9::bigint[], $10::bigint[], $11::bigint[], $12::numeric[],
                                $13::float8[], $14::float8[], $15::float8[], $16::float8[]) AS u(d, v, s, c, cv, rd, o, r, rs, p, ps, pr)
                    ORDER BY d, v
                    ON CONFLICT (tenant_id, experiment_id, day, variant) DO UPDATE SET
                        sealed = excluded.sealed, computed_at = excluded.computed_at, subjects = excluded.subjects, clicks = excluded.clicks,
                        conversions = excluded.conversions, redemptions = excluded.redemptions, orders = excluded.orders, revenue = excluded.revenue,
                        revenue_squares = excluded.revenue_squares, pre_revenue = excluded.pre_revenue, pre_squares = excluded.pre_squares,
                        pre_times_revenue = excluded.pre_times_revenue
                    """)
                {
                    Parameters =
                    {
                        new() { Value = tenantId }, new() { Value = experimentId }, new() { Value = firstOpen }, new() { Value = now },
                        new() { Value = kept.Select(k => k.Day).ToArray() }, new() { Value = kept.Select(k => k.Variant).ToArray() },
                        new() { Value = kept.Select(k => k.Subjects).ToArray() }, new() { Value = kept.Select(k => k.Clicks).ToArray() },
                        new() { Value = kept.Select(k => k.Conversions).ToArray() }, new() { Value = kept.Select(k => k.Redemptions).ToArray() },
                        new() { Value = kept.Select(k => k.Orders).ToArray() }, new() { Value = kept.Select(k => k.Revenue).ToArray() },
                        new() { Value = kept.Select(k => k.RevenueSquares).ToArray() }, new() { Value = kept.Select(k => k.PreRevenue).ToArray() },
                        new() { Value = kept.Select(k => k.PreSquares).ToArray() }, new() { Value = kept.Select(k => k.PreTimesRevenue).ToArray() },
                    },
                },
            },
        };
        await batch.ExecuteNonQueryAsync(cancellationToken);
        return rows;
    }

    private static async Task AddWithdrawalsAsync(NpgsqlTransaction transaction, string tenantId, Guid experimentId, DateOnly first, DateOnly last, List<ArmDay> rows,
        CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand("""
            SELECT variant, exposed_on, withdrawals FROM experiment_withdrawals WHERE tenant_id = $1 AND experiment_id = $2 AND exposed_on BETWEEN $3 AND $4
            """, transaction.Connection, transaction);
        command.Parameters.Add(new() { Value = tenantId });
        command.Parameters.Add(new() { Value = experimentId });
        command.Parameters.Add(new() { Value = first });
        command.Parameters.Add(new() { Value = last });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
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
                rows.Add(new ArmDay(variant, day, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, count));
            }
        }
    }

    /// <summary>The shop's currency, as the catalog's products carry it.</summary>
    public static async Task<string?> CurrencyAsync(NpgsqlTransaction transaction, string tenantId, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand("SELECT currency FROM products WHERE tenant_id = $1 GROUP BY currency ORDER BY count(*) DESC LIMIT 1", transaction.Connection, transaction);
        command.Parameters.Add(new() { Value = tenantId });
        return await command.ExecuteScalarAsync(cancellationToken) as string;
    }

    private static DateTimeOffset Midnight(DateOnly day) => new(day.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);

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
