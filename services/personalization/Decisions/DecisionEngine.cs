using MachCommerce.Personalization.Definitions;
using MachCommerce.Personalization.Experiments;
using MachCommerce.Personalization.Subjects;

namespace MachCommerce.Personalization.Decisions;

/// <summary>A decision request after validation; identity-derived parts (profile, customer group) come from the signed assertion.</summary>
internal sealed record DecisionQuery(
    string VisitorId, Guid? ProfileId, string? CustomerGroup, string Placement, Guid? ContextProductId, Guid? ContextCategoryId, IReadOnlyList<Guid> CartProductIds,
    string Language, int MaxOffers, bool Preview = false);

/// <summary>
/// Decides what one visitor sees in one placement: which offers (targeting, validity, frequency cap, relevance
/// to the visitor's interests and to the page), which products in each (ranked by <see cref="ProductRanker"/>,
/// never unavailable, never just bought), and why. With consent it records what it showed, for frequency caps
/// and experiment attribution; without consent it reads nothing stored about the visitor, writes nothing about
/// them, and answers from the page's context and everybody's popularity. Three round trips to PostgreSQL.
/// </summary>
internal sealed class DecisionEngine(PersonalizationDatabase database, TenantDefinitions definitions, ProductShelves productShelves, AnonymousImpressions anonymousImpressions,
    IOptions<PersonalizationOptions> options, TimeProvider time)
{
    public async Task<Decision> DecideAsync(string tenantId, DecisionQuery query, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var halfLife = options.Value.AffinityHalfLife;
        var compiled = await definitions.GetAsync(tenantId, cancellationToken);
        var shelves = await productShelves.GetAsync(tenantId, cancellationToken);
        await using var db = await database.BeginReadAsync(tenantId, cancellationToken);
        var subject = await SubjectContext.LoadAsync(db.Transaction, tenantId, query.VisitorId, query.ProfileId, query.CustomerGroup, query.Language, now, halfLife, cancellationToken,
            query.ContextProductId, query.ContextCategoryId);
        var german = query.Language == "de";

        var (inHoldout, joinsHoldout) = HoldoutMembership(tenantId, subject, compiled.Settings);
        var (experiment, assignment) = inHoldout ? (null, null) : Assign(compiled, query.Placement, subject);
        var strategy = inHoldout ? "broadcast" : assignment?.Strategy ?? "personalized";
        var interests = subject.Consent && strategy == "personalized" ? Interests.From(subject.Model, now, halfLife) : Interests.None;
        var chosen = ChooseOffers(compiled, query, subject, interests, strategy, now);

        var candidates = new ProductCandidates(tenantId);
        var recentIds = RecentProductIds(subject.Model);
        var known = candidates.ById([.. recentIds.Append(query.ContextProductId ?? Guid.Empty).Where(id => id != Guid.Empty).Distinct()]);
        int? viewedTogether = null, boughtTogether = null;
        if (query.ContextProductId is { } contextId && strategy == "personalized")
        {
            viewedTogether = candidates.Neighbours('v', contextId);
            boughtTogether = candidates.Neighbours('b', contextId);
        }

        var named = chosen.SelectMany(c => c.Offer.Skus).Distinct(StringComparer.Ordinal).ToArray();
        var bySku = named.Length > 0 ? candidates.BySku(named) : -1;
        var hidden = candidates.HiddenSince(shelves.LoadedAt);
        await candidates.ExecuteAsync(db.Transaction, cancellationToken);

        var knownProducts = candidates[known].ToDictionary(k => k.Product.ProductId, k => k.Product);
        // Bought together says more than viewed together: it counts double and names itself in the reason.
        var bought = boughtTogether is { } b ? candidates[b] : [];
        var neighbours = bought.Select(n => (n.Product, n.Weight * 2)).Concat(viewedTogether is { } v ? candidates[v] : []).ToList();
        var input = new RankingInput(interests, strategy == "personalized" ? subject.Model : null, knownProducts,
            query.ContextProductId is { } cid ? knownProducts.GetValueOrDefault(cid) : null, query.ContextCategoryId,
            Excluded(query.CartProductIds, query.ContextProductId, subject.Model, now, options.Value.ExcludePurchasedFor, candidates[hidden]), german, now,
            bought.Select(n => n.Product.ProductId).ToHashSet());

        var offers = new List<DecidedOffer>();
        for (var i = 0; i < chosen.Count; i++)
        {
            var (offer, score, matched) = chosen[i];
            var pool = shelves.Pool(offer.CategoryIds, offer.Brands, offer.Skus.Length > 0, ProductCandidates.PoolSize).Select(p => (p, 0.0))
                .Concat(bySku < 0 ? [] : candidates[bySku].Where(n => offer.Skus.Contains(n.Product.Sku)));
            var products = offer.MaxProducts == 0 ? [] : ProductRanker.Rank(pool.Concat(neighbours.Where(n => InSelection(offer, n.Product))),
                input, offer.MaxProducts, Reasons.Popular(german));
            offers.Add(new DecidedOffer(offer.Id, offer.Name, Math.Round(score, 4), OfferReason(offer, matched, strategy, input, compiled, subject.PageCategories),
                offer.Content.GetValueOrDefault(query.Language) ?? offer.Content.GetValueOrDefault("de") ?? offer.Content.Values.FirstOrDefault(), offer.Incentive,
                [.. products.Select(p => new DecidedProduct(p.Product.ProductId, p.Product.Sku, p.Product.Slug, p.Product.Name(query.Language), p.Product.Brand,
                    p.Product.Price, p.Product.Currency, p.Product.ImageUrl, p.Score, p.Reason))]));
        }

        var decisionId = Guid.CreateVersion7();
        // A preview (the console's "what would this visitor see now") changes nothing: no impression, exposure or frequency count.
        if (!query.Preview && subject.Consent && (offers.Count > 0 || experiment is not null || joinsHoldout))
        {
            var exposures = new List<(Guid ExperimentId, string Variant)>();
            if (joinsHoldout)
            {
                exposures.Add((Holdout.Id, inHoldout ? Holdout.HoldoutVariant : Holdout.PersonalizedVariant));
            }

            if (experiment is not null)
            {
                exposures.Add((experiment.Id, assignment!.Variant));
            }

            await RecordAsync(db.Transaction, tenantId, subject.Key, decisionId, offers, exposures, (double)(subject.Model?.Monetary ?? 0), now, cancellationToken);
        }

        await db.Transaction.CommitAsync(cancellationToken);
        if (!query.Preview)
        {
            anonymousImpressions.Add(tenantId, offers.Select(o => o.OfferId), now);
        }

        return new Decision(decisionId, query.Placement, interests.Any, assignment, offers);
    }

    /// <summary>
    /// Whether the consenting subject is in the global holdout (broadcast everywhere, no experiments), and whether
    /// this decision is their first, which draws and records their membership for good.
    /// </summary>
    private static (bool InHoldout, bool Joins) HoldoutMembership(string tenantId, SubjectContext subject, ExperimentSettings settings)
    {
        if (!subject.Consent)
        {
            return (false, false);
        }

        return subject.ExperimentVariants.TryGetValue(Holdout.Id, out var variant)
            ? (variant == Holdout.HoldoutVariant, false)
            : (Holdout.Draws(tenantId, subject.Key, settings.HoldoutShare), true);
    }

    /// <summary>Consenting subjects on a placement with a running experiment get their (stable) variant.</summary>
    private static (CompiledExperiment?, ExperimentAssignment?) Assign(CompiledDefinitions compiled, string placement, SubjectContext subject)
    {
        if (!subject.Consent || !compiled.ExperimentsByPlacement.TryGetValue(placement, out var experiment))
        {
            return (null, null);
        }

        var variant = subject.ExperimentVariants.TryGetValue(experiment.Id, out var key) && experiment.Variants.FirstOrDefault(v => v.Key == key) is { } earlier
            ? earlier
            : experiment.Assign(subject.Key);
        return (experiment, new ExperimentAssignment(experiment.Id, variant.Key, variant.Strategy));
    }

    private static List<(CompiledOffer Offer, double Score, bool Matched)> ChooseOffers(CompiledDefinitions compiled, DecisionQuery query, SubjectContext subject,
        Interests interests, string strategy, DateTimeOffset now)
    {
        var live = compiled.Offers.Where(o => o.Placements.Contains(query.Placement) && o.IsLive(now) && !Capped(o, subject, now)).ToList();
        switch (strategy)
        {
            case "holdout":
                return [];
            case "broadcast":
                // The classic advert: the same offers for everybody, by the merchant's priority alone.
                var untargeted = live.Where(o => !o.Targeted).ToList();
                return [.. (untargeted.Count > 0 ? untargeted : live).OrderByDescending(o => o.Priority).ThenBy(o => o.Id).Take(query.MaxOffers).Select(o => (o, (double)o.Priority, false))];
        }

        return [.. live
            .Select(o => (Offer: o, Matched: o.Targeted && Eligible(o, subject, compiled)))
            .Where(o => !o.Offer.Targeted || o.Matched)
            .Select(o =>
            {
                var relevance = o.Offer.AffinityKeys(compiled.Segments).Sum(interests.Of);
                var context = o.Offer.CategoryIds.Any(subject.PageCategories.Contains) ? 1.0 : 0;
                return (o.Offer, Score: o.Offer.Priority / 100.0 + Math.Log2(1 + relevance) + (o.Matched ? 0.5 : 0) + context, o.Matched);
            })
            .OrderByDescending(o => o.Score).ThenByDescending(o => o.Offer.Priority).ThenBy(o => o.Offer.Id)
            .Take(query.MaxOffers)];
    }

    private static bool Eligible(CompiledOffer offer, SubjectContext subject, CompiledDefinitions compiled) =>
        (offer.SegmentIds.Count == 0 || offer.SegmentIds.Any(id => compiled.Segments.TryGetValue(id, out var segment) && segment.Condition.Matches(subject.Facts)))
        && (offer.Conditions is null || offer.Conditions.Matches(subject.Facts));

    private static bool Capped(CompiledOffer offer, SubjectContext subject, DateTimeOffset now) =>
        offer.Cap is { Max: { } max, PerHours: { } hours }
        && subject.Impressions.Count(i => i.OfferId == offer.Id && i.ShownAt > now - TimeSpan.FromHours(hours)) >= max;

    private static bool InSelection(CompiledOffer offer, CandidateProduct product) =>
        !offer.HasSelection
        || product.CategoryIds.Any(offer.CategoryIds.Contains)
        || product.Brand is { } brand && offer.Brands.Contains(brand.ToLowerInvariant())
        || offer.Skus.Contains(product.Sku);

    private static Reason OfferReason(CompiledOffer offer, bool matched, string strategy, RankingInput input, CompiledDefinitions compiled, IReadOnlySet<Guid> pageCategories)
    {
        if (strategy == "personalized" && input.Interests.Any)
        {
            if (ProductRanker.Because(offer.CategoryIds, null, null, input, threshold: 1) is { } personal)
            {
                return personal;
            }

            var brand = offer.Brands.Where(b => input.Interests.Of(AffinityKeys.Brand(b)) > 0).MaxBy(b => input.Interests.Of(AffinityKeys.Brand(b)));
            if (brand is not null)
            {
                var brandReason = ProductRanker.Because([], brand, null, input, threshold: 2);
                return brandReason ?? Reasons.Brand(input.KnownProducts.Values.FirstOrDefault(p => string.Equals(p.Brand, brand, StringComparison.OrdinalIgnoreCase))?.Brand ?? brand, input.German);
            }

            var segmentKeys = offer.AffinityKeys(compiled.Segments).Where(k => k.StartsWith("c:", StringComparison.Ordinal))
                .Select(k => Guid.ParseExact(k[2..], "N")).ToList();
            if (ProductRanker.Because(segmentKeys, null, null, input, threshold: 1) is { } fromSegment)
            {
                return fromSegment;
            }
        }

        if (matched)
        {
            return Reasons.PickedForYou(input.German);
        }

        if (offer.CategoryIds.Any(pageCategories.Contains))
        {
            return input.ContextProduct is { } product ? Reasons.Context(product.Name(input.German ? "de" : "en"), product.ProductId, input.German) : Reasons.PopularInCategory(input.German);
        }

        return Reasons.CurrentOffer(input.German);
    }

    /// <summary>
    /// The page's product, the cart, what is no longer showable, and (with consent) what is in the subject's cart
    /// or was bought recently.
    /// </summary>
    public static HashSet<Guid> Excluded(IEnumerable<Guid> cart, Guid? contextProduct, SubjectModel? model, DateTimeOffset now, TimeSpan purchasedFor,
        IEnumerable<(CandidateProduct Product, double Weight)> hidden)
    {
        var excluded = new HashSet<Guid>(cart);
        excluded.UnionWith(hidden.Select(h => h.Product.ProductId));
        if (contextProduct is { } context)
        {
            excluded.Add(context);
        }

        if (model is not null)
        {
            excluded.UnionWith(model.Carted.Select(c => c.ProductId));
            excluded.UnionWith(model.Purchased.Where(p => now - p.At < purchasedFor).Select(p => p.ProductId));
        }

        return excluded;
    }

    public static IEnumerable<Guid> RecentProductIds(SubjectModel? model) =>
        model is null ? [] : model.Carted.Concat(model.Viewed).Concat(model.Purchased).Select(r => r.ProductId);

    /// <summary>
    /// Records what was shown and the exposures (the experiment's, the holdout membership at a first decision),
    /// with what the subject had spent so far: the pre-exposure covariate of the report's variance reduction.
    /// </summary>
    private static async Task RecordAsync(NpgsqlTransaction transaction, string tenantId, string subjectKey, Guid decisionId, List<DecidedOffer> offers,
        List<(Guid ExperimentId, string Variant)> exposures, double spentBefore, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var batch = new NpgsqlBatch(transaction.Connection, transaction);
        // The writes keep both walls: row-level security under the application role from here on.
        batch.BatchCommands.Add(new NpgsqlBatchCommand($"SET LOCAL ROLE {PersonalizationDatabase.ApplicationRole}"));
        // What was shown is worth less than the shopper's time: the commit does not wait for the WAL flush. A crash
        // can lose the last fraction of a second of impressions (a frequency cap may allow one more), nothing else.
        batch.BatchCommands.Add(new NpgsqlBatchCommand("SET LOCAL synchronous_commit = off"));
        if (offers.Count > 0)
        {
            batch.BatchCommands.Add(new NpgsqlBatchCommand("""
                INSERT INTO impressions (tenant_id, subject_key, offer_id, decision_id, shown_at) SELECT $1, $2, o, $3, $4 FROM unnest($5::uuid[]) AS o
                """)
            {
                Parameters = { new() { Value = tenantId }, new() { Value = subjectKey }, new() { Value = decisionId }, new() { Value = now }, new() { Value = offers.Select(o => o.OfferId).ToArray() } },
            });
        }

        if (exposures.Count > 0)
        {
            batch.BatchCommands.Add(new NpgsqlBatchCommand("""
                INSERT INTO exposures (tenant_id, experiment_id, subject_key, variant, first_exposed_at, pre_revenue)
                SELECT $1, e, $2, v, $3, $4 FROM unnest($5::uuid[], $6::text[]) AS u(e, v)
                ON CONFLICT (tenant_id, experiment_id, subject_key) DO UPDATE SET impressions = exposures.impressions + 1
                """)
            {
                Parameters =
                {
                    new() { Value = tenantId }, new() { Value = subjectKey }, new() { Value = now }, new() { Value = spentBefore },
                    new() { Value = exposures.Select(e => e.ExperimentId).ToArray() }, new() { Value = exposures.Select(e => e.Variant).ToArray() },
                },
            });
        }

        await batch.ExecuteNonQueryAsync(cancellationToken);
    }
}
