using MachCommerce.Personalization.Behaviour;

namespace MachCommerce.Personalization.Decisions;

/// <summary>
/// Counts how often each offer was shown, for everybody, without naming anyone. Counted in memory and written
/// once a second: every decision incrementing the same row would make that row the one lock all decisions queue
/// for. The price is that a crash loses up to a second of these anonymous counts; per-subject impressions (the
/// frequency cap, experiments) are written in the decision's own transaction and never lost.
/// </summary>
internal sealed class AnonymousImpressions(PersonalizationDatabase database, ILogger<AnonymousImpressions> logger) : BackgroundService
{
    private ConcurrentDictionary<(string Tenant, Guid Offer, DateOnly Day), int> _pending = new();

    public void Add(string tenantId, IEnumerable<Guid> offerIds, DateTimeOffset at)
    {
        var day = DateOnly.FromDateTime(at.UtcDateTime);
        foreach (var offerId in offerIds)
        {
            _pending.AddOrUpdate((tenantId, offerId, day), 1, (_, count) => count + 1);
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(1));
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                await FlushAsync(CancellationToken.None);
            }
        }
        catch (OperationCanceledException)
        {
        }

        await FlushAsync(CancellationToken.None);
    }

    public async Task FlushAsync(CancellationToken cancellationToken)
    {
        var counts = Interlocked.Exchange(ref _pending, new());
        foreach (var tenant in counts.GroupBy(c => c.Key.Tenant))
        {
            try
            {
                await using var db = await database.BeginAsync(tenant.Key, cancellationToken);
                var rows = tenant.OrderBy(c => c.Key.Offer).ThenBy(c => c.Key.Day).ToList();
                await OfferCounters.AddAsync(db.Transaction, tenant.Key, [.. rows.Select(r => (r.Key.Offer, r.Key.Day, 0, 0))], [.. rows.Select(r => r.Value)], cancellationToken);
                await db.Transaction.CommitAsync(cancellationToken);
            }
            catch (Exception e) when (e is Npgsql.NpgsqlException or TimeoutException)
            {
                // Put them back: the next tick tries again.
                foreach (var ((_, offer, day), count) in tenant)
                {
                    _pending.AddOrUpdate((tenant.Key, offer, day), count, (_, c) => c + count);
                }

                logger.LogWarning(e, "Could not write anonymous offer impressions for {TenantId}; retrying", tenant.Key);
            }
        }
    }
}
