using MachCommerce.Personalization.Experiments;
using MachCommerce.Personalization.ReadModels;
using MachCommerce.Personalization.Subjects;

namespace MachCommerce.Personalization.Behaviour;

/// <summary>
/// Applies a validated batch in one transaction, so an answer of 202 means every effect is durable and a failure
/// leaves nothing half-written: the events (idempotent by id), anonymous popularity and offer counters, and for
/// subjects with personalization consent their model, co-occurrences and experiment attribution.
/// </summary>
internal sealed class BehaviourIngest(PersonalizationDatabase database, Microsoft.Extensions.Options.IOptions<PersonalizationOptions> options,
    MachCommerce.Messaging.IEventOutbox outbox)
{
    // How much one event says about an interest; a purchase says more than a glance.
    private const double ViewWeight = 1, CartWeight = 3, PurchaseWeight = 5, CategoryViewWeight = 0.5, AttributeShare = 0.5;
    // "Together" means one after the other in the same visit (within two hours): each view or purchase pairs with the
    // previous one. More partners added little signal but many rows: co-occurrence was most of PostgreSQL's work
    // per event (measured at 2,000 products: 15,600 events per CPU-second with three partners, 20,600 with one).
    private static readonly TimeSpan ViewedTogetherWindow = TimeSpan.FromHours(2), BoughtTogetherWindow = TimeSpan.FromHours(2);
    private const int CoOccurrencePartners = 1;

    public async Task<IngestResult> IngestAsync(string tenantId, IReadOnlyList<ValidEvent> events, CancellationToken cancellationToken)
    {
        await using var scope = await database.BeginAsync(tenantId, cancellationToken);
        var transaction = scope.Transaction;

        var subjects = await SubjectResolution.ResolveAsync(transaction, tenantId, events, cancellationToken);
        var products = await ProductFacts.LoadAsync(transaction, tenantId, events, cancellationToken);
        var inserted = await InsertEventsAsync(transaction, tenantId, events, subjects, products, cancellationToken);
        var fresh = events.Where(e => inserted.Contains(e.Id)).OrderBy(e => e.OccurredAt).ToList();

        await Popularity.AddAsync(transaction, tenantId, fresh, products, cancellationToken);
        await OfferCounters.AddAsync(transaction, tenantId, fresh, cancellationToken);
        foreach (var redeemed in fresh.Where(e => e.Type == EventType.OfferRedeemed))
        {
            // The shop's systems (webhooks) hear of a redemption once, with the event: a repeated batch inserts nothing fresh.
            await outbox.AddAsync(transaction, new Contracts.Personalization.V1.OfferRedeemed
            {
                TenantId = tenantId, OccurredAt = redeemed.OccurredAt, OfferId = redeemed.OfferId!.Value, OrderId = redeemed.OrderId,
                Channel = redeemed.Channel, Placement = redeemed.Placement,
            }, redeemed.OfferId.ToString(), cancellationToken);
        }

        var personal = fresh.Where(e => subjects[e].Consent).ToList();
        if (personal.Count > 0)
        {
            await UpdateModelsAsync(transaction, tenantId, personal, subjects, products, cancellationToken);
            await Attribution.RecordAsync(transaction, tenantId, personal, subjects, cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
        return new IngestResult(fresh.Count, events.Count - fresh.Count, personal.Count);
    }

    private static async Task<HashSet<Guid>> InsertEventsAsync(NpgsqlTransaction transaction, string tenantId, IReadOnlyList<ValidEvent> events,
        SubjectResolution subjects, ProductFacts products, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand("""
            INSERT INTO events (tenant_id, event_id, type, occurred_at, channel, placement, subject_key, visitor_id, profile_id, product_id, category_id, quantity, price, query, offer_id)
            SELECT $1, * FROM unnest($2::uuid[], $3::text[], $4::timestamptz[], $5::text[], $6::text[], $7::text[], $8::text[], $9::uuid[], $10::uuid[], $11::uuid[], $12::int[], $13::numeric[], $14::text[], $15::uuid[])
            ON CONFLICT (tenant_id, event_id) DO NOTHING
            RETURNING event_id
            """, transaction.Connection, transaction);
        // Without consent the row keeps what happened to which product, never who did it or what they typed.
        command.Parameters.Add(new() { Value = tenantId });
        command.Parameters.Add(new() { Value = events.Select(e => e.Id).ToArray() });
        command.Parameters.Add(new() { Value = events.Select(e => e.TypeName).ToArray() });
        command.Parameters.Add(new() { Value = events.Select(e => e.OccurredAt).ToArray() });
        command.Parameters.Add(new() { Value = events.Select(e => e.Channel).ToArray() });
        command.Parameters.Add(new() { Value = events.Select(e => e.Placement).ToArray() });
        command.Parameters.Add(new() { Value = events.Select(e => subjects[e] is { Consent: true } s ? s.Key : null).ToArray() });
        command.Parameters.Add(new() { Value = events.Select(e => subjects[e].Consent ? e.VisitorId : null).ToArray() });
        command.Parameters.Add(new() { Value = events.Select(e => subjects[e].Consent ? subjects[e].ProfileId : null).ToArray() });
        command.Parameters.Add(new() { Value = events.Select(e => products.Find(e)?.ProductId).ToArray() });
        command.Parameters.Add(new() { Value = events.Select(e => e.CategoryId).ToArray() });
        command.Parameters.Add(new() { Value = events.Select(e => e.Quantity).ToArray() });
        command.Parameters.Add(new() { Value = events.Select(e => e.Price).ToArray() });
        command.Parameters.Add(new() { Value = events.Select(e => subjects[e].Consent ? e.Query : null).ToArray() });
        command.Parameters.Add(new() { Value = events.Select(e => e.OfferId).ToArray() });
        var inserted = new HashSet<Guid>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            inserted.Add(reader.GetGuid(0));
        }

        return inserted;
    }

    private async Task UpdateModelsAsync(NpgsqlTransaction transaction, string tenantId, List<ValidEvent> personal, SubjectResolution subjects, ProductFacts products,
        CancellationToken cancellationToken)
    {
        var halfLife = options.Value.AffinityHalfLife;
        var keys = personal.Select(e => subjects[e].Key).Distinct().ToList();
        var models = await SubjectStore.LoadForUpdateAsync(transaction, tenantId, keys, cancellationToken);
        var pairs = new Dictionary<(char Kind, Guid A, Guid B), double>();

        foreach (var e in personal)
        {
            var subject = subjects[e];
            if (!models.TryGetValue(subject.Key, out var model))
            {
                models[subject.Key] = model = new SubjectModel();
            }

            model.Saw(e.OccurredAt);
            var product = products.Find(e);
            switch (e.Type)
            {
                case EventType.ProductViewed when product is not null:
                    AddProductInterest(model, product, ViewWeight, e.OccurredAt, halfLife);
                    Pair(pairs, 'v', product.ProductId, model.Viewed, e.OccurredAt - ViewedTogetherWindow);
                    SubjectModel.Remember(model.Viewed, new RecentItem(product.ProductId, e.OccurredAt, product.DisplayName));
                    break;
                case EventType.AddedToCart when product is not null:
                    AddProductInterest(model, product, CartWeight, e.OccurredAt, halfLife);
                    SubjectModel.Remember(model.Carted, new RecentItem(product.ProductId, e.OccurredAt, product.DisplayName));
                    break;
                case EventType.Purchased:
                    model.Bought(e.OrderId ?? e.Id.ToString(), e.Quantity * (e.Price ?? 0), e.OccurredAt);
                    if (product is not null)
                    {
                        AddProductInterest(model, product, PurchaseWeight, e.OccurredAt, halfLife);
                        Pair(pairs, 'b', product.ProductId, model.Purchased, e.OccurredAt - BoughtTogetherWindow);
                        SubjectModel.Remember(model.Purchased, new RecentItem(product.ProductId, e.OccurredAt, product.DisplayName));
                        model.Carted.RemoveAll(c => c.ProductId == product.ProductId);
                    }

                    break;
                case EventType.CategoryViewed:
                    model.AddInterest(AffinityKeys.Category(e.CategoryId!.Value), CategoryViewWeight, e.OccurredAt, halfLife);
                    break;
                case EventType.Searched:
                    model.Searched(e.Query!, e.OccurredAt);
                    break;
            }
        }

        foreach (var model in models.Values)
        {
            model.Prune(model.LastSeenAt ?? DateTimeOffset.UtcNow, halfLife);
        }

        await SubjectStore.SaveAsync(transaction, tenantId,
            [.. keys.Select(key => (key, subjects.ProfileOf(key), models[key]))], cancellationToken);
        await CoOccurrence.AddAsync(transaction, tenantId, pairs, cancellationToken);
    }

    private static void AddProductInterest(SubjectModel model, ProductFact product, double weight, DateTimeOffset at, TimeSpan halfLife)
    {
        foreach (var category in product.CategoryIds)
        {
            model.AddInterest(AffinityKeys.Category(category), weight, at, halfLife);
        }

        if (!string.IsNullOrWhiteSpace(product.Brand))
        {
            model.AddInterest(AffinityKeys.Brand(product.Brand), weight, at, halfLife);
        }

        foreach (var attribute in product.Attributes)
        {
            model.AddInterest(AffinityKeys.Attribute(attribute), weight * AttributeShare, at, halfLife);
        }
    }

    /// <summary>Counts the product together with what the subject saw (or bought) shortly before; a pair is stored once, smaller id first.</summary>
    private static void Pair(Dictionary<(char, Guid, Guid), double> pairs, char kind, Guid product, List<RecentItem> before, DateTimeOffset since)
    {
        foreach (var other in before.Where(r => r.At >= since && r.ProductId != product).Take(CoOccurrencePartners))
        {
            var key = product.CompareTo(other.ProductId) < 0 ? (kind, product, other.ProductId) : (kind, other.ProductId, product);
            pairs[key] = pairs.GetValueOrDefault(key) + 1;
        }
    }
}

/// <summary>Item-to-item counts for "viewed together" and "bought together", one row per unordered pair (product_a &lt; product_b).</summary>
internal static class CoOccurrence
{
    public static async Task AddAsync(NpgsqlTransaction transaction, string tenantId, Dictionary<(char Kind, Guid A, Guid B), double> pairs, CancellationToken cancellationToken)
    {
        if (pairs.Count == 0)
        {
            return;
        }

        // Sorted, so concurrent batches take the row locks in the same order and cannot deadlock.
        var ordered = pairs.OrderBy(p => p.Key.Kind).ThenBy(p => p.Key.A).ThenBy(p => p.Key.B).ToList();
        await using var command = new NpgsqlCommand("""
            INSERT INTO co_occurrence (tenant_id, kind, product_a, product_b, weight)
            SELECT $1, * FROM unnest($2::char[], $3::uuid[], $4::uuid[], $5::float8[])
            ON CONFLICT (tenant_id, kind, product_a, product_b) DO UPDATE SET weight = co_occurrence.weight + excluded.weight
            """, transaction.Connection, transaction);
        command.Parameters.Add(new() { Value = tenantId });
        command.Parameters.Add(new() { Value = ordered.Select(p => p.Key.Kind.ToString()).ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Char });
        command.Parameters.Add(new() { Value = ordered.Select(p => p.Key.A).ToArray() });
        command.Parameters.Add(new() { Value = ordered.Select(p => p.Key.B).ToArray() });
        command.Parameters.Add(new() { Value = ordered.Select(p => p.Value).ToArray() });
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}

/// <summary>Anonymous per-offer daily counters of clicks and redemptions reported by front ends.</summary>
internal static class OfferCounters
{
    public static async Task AddAsync(NpgsqlTransaction transaction, string tenantId, List<ValidEvent> events, CancellationToken cancellationToken)
    {
        var counts = events.Where(e => e.Type is EventType.OfferClicked or EventType.OfferRedeemed)
            .GroupBy(e => (Offer: e.OfferId!.Value, Day: DateOnly.FromDateTime(e.OccurredAt.UtcDateTime)))
            .OrderBy(g => g.Key.Offer).ThenBy(g => g.Key.Day)
            .Select(g => (g.Key.Offer, g.Key.Day, Clicks: g.Count(e => e.Type == EventType.OfferClicked), Redemptions: g.Count(e => e.Type == EventType.OfferRedeemed)))
            .ToList();
        if (counts.Count > 0)
        {
            await AddAsync(transaction, tenantId, counts, impressions: null, cancellationToken);
        }
    }

    public static async Task AddAsync(NpgsqlTransaction transaction, string tenantId, IReadOnlyList<(Guid Offer, DateOnly Day, int Clicks, int Redemptions)> counts,
        int[]? impressions, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand("""
            INSERT INTO offer_stats (tenant_id, offer_id, day, impressions, clicks, redemptions)
            SELECT $1, * FROM unnest($2::uuid[], $3::date[], $4::bigint[], $5::bigint[], $6::bigint[])
            ON CONFLICT (tenant_id, offer_id, day) DO UPDATE SET impressions = offer_stats.impressions + excluded.impressions,
                clicks = offer_stats.clicks + excluded.clicks, redemptions = offer_stats.redemptions + excluded.redemptions
            """, transaction.Connection, transaction);
        command.Parameters.Add(new() { Value = tenantId });
        command.Parameters.Add(new() { Value = counts.Select(c => c.Offer).ToArray() });
        command.Parameters.Add(new() { Value = counts.Select(c => c.Day).ToArray() });
        command.Parameters.Add(new() { Value = impressions?.Select(i => (long)i).ToArray() ?? new long[counts.Count] });
        command.Parameters.Add(new() { Value = counts.Select(c => (long)c.Clicks).ToArray() });
        command.Parameters.Add(new() { Value = counts.Select(c => (long)c.Redemptions).ToArray() });
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
