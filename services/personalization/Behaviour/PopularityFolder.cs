namespace MachCommerce.Personalization.Behaviour;

/// <summary>
/// Folds the appended popularity increments into products.trend about once a second, for every tenant, in one
/// transaction that deletes what it applied; a transaction-scoped advisory lock lets one instance at a time do
/// it. A crash before the commit leaves the increments in place for the next fold, so none is lost or counted
/// twice.
/// </summary>
internal sealed class PopularityFolder(PersonalizationDatabase database, ILogger<PopularityFolder> logger) : BackgroundService
{
    private static readonly TimeSpan Interval = TimeSpan.FromSeconds(1);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Interval);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                try
                {
                    await FoldAsync(stoppingToken);
                }
                catch (Exception e) when (e is NpgsqlException or TimeoutException)
                {
                    logger.LogWarning(e, "Folding popularity failed; the increments wait for the next try");
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    /// <returns>How many increments were applied.</returns>
    public async Task<int> FoldAsync(CancellationToken cancellationToken)
    {
        await using var connection = await database.DataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await using (var lockCommand = new NpgsqlCommand("SELECT pg_try_advisory_xact_lock(hashtext('personalization.popularity'))", connection, transaction))
        {
            if (await lockCommand.ExecuteScalarAsync(cancellationToken) is not true)
            {
                return 0;
            }
        }

        // Across tenants, under the service's login: the increments were written under row-level security, and
        // each one updates only its own tenant's product. log2(Σ 2^v) is computed as max + log2(Σ 2^(v − max)).
        await using var fold = new NpgsqlCommand("""
            WITH applied AS (
                DELETE FROM personalization.popularity_deltas RETURNING tenant_id, product_id, v
            ), peak AS (
                SELECT tenant_id, product_id, max(v) AS top FROM applied GROUP BY tenant_id, product_id
            ), summed AS (
                SELECT a.tenant_id, a.product_id, p.top + ln(sum(power(2::float8, a.v - p.top))) / ln(2::float8) AS v, count(*) AS n
                FROM applied a JOIN peak p USING (tenant_id, product_id)
                GROUP BY a.tenant_id, a.product_id, p.top
            ), updated AS (
                UPDATE personalization.products p SET trend = CASE WHEN p.trend IS NULL THEN s.v
                    ELSE greatest(p.trend, s.v) + ln(1 + power(2::float8, -abs(p.trend - s.v))) / ln(2::float8) END
                FROM summed s
                WHERE p.tenant_id = s.tenant_id AND p.product_id = s.product_id
                RETURNING 1
            )
            SELECT coalesce((SELECT sum(n) FROM summed), 0)::int
            """, connection, transaction);
        var applied = (int)(await fold.ExecuteScalarAsync(cancellationToken))!;
        await transaction.CommitAsync(cancellationToken);
        return applied;
    }
}
