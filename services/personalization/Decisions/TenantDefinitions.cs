using MachCommerce.Personalization.Definitions;
using MachCommerce.Personalization.Experiments;
using MachCommerce.Personalization.Subjects;

namespace MachCommerce.Personalization.Decisions;

internal sealed record CompiledSegment(Guid Id, string Name, Condition Condition);

internal sealed record CompiledOffer(
    Guid Id, string Name, int Priority, IReadOnlySet<string> Placements, IReadOnlyList<Guid> SegmentIds, Condition? Conditions,
    IReadOnlyDictionary<string, OfferContent> Content, Guid[] CategoryIds, string[] Brands, string[] Skus, int MaxProducts, OfferIncentive? Incentive,
    DateTimeOffset? ValidFrom, DateTimeOffset? ValidUntil, FrequencyCap? Cap)
{
    public bool Targeted => SegmentIds.Count > 0 || Conditions is not null;

    public bool HasSelection => CategoryIds.Length + Brands.Length + Skus.Length > 0;

    /// <summary>The interests this offer is about: its categories and brands, and those its conditions test for.</summary>
    public IEnumerable<string> AffinityKeys(IReadOnlyDictionary<Guid, CompiledSegment> segments) =>
        CategoryIds.Select(Subjects.AffinityKeys.Category)
            .Concat(Brands.Select(Subjects.AffinityKeys.Brand))
            .Concat(Conditions?.AffinityKeys() ?? [])
            .Concat(SegmentIds.Select(segments.GetValueOrDefault).OfType<CompiledSegment>().SelectMany(s => s.Condition.AffinityKeys()))
            .Distinct(StringComparer.Ordinal);

    public bool IsLive(DateTimeOffset now) => (ValidFrom is null || ValidFrom <= now) && (ValidUntil is null || now < ValidUntil);
}

internal sealed record CompiledVariant(string Key, string Strategy, int Weight);

internal sealed record CompiledExperiment(Guid Id, string Name, string Placement, IReadOnlyList<CompiledVariant> Variants)
{
    /// <summary>
    /// The subject's variant: a hash of experiment and subject, so the same visitor always lands in the same arm,
    /// on every instance and after every restart, without storing anything first.
    /// </summary>
    public CompiledVariant Assign(string subjectKey) => Api.Personalization.Assignment.Arm(Id, subjectKey, Variants, v => v.Weight);
}

internal sealed record CompiledDefinitions(
    IReadOnlyList<CompiledOffer> Offers, IReadOnlyDictionary<Guid, CompiledSegment> Segments, IReadOnlyDictionary<string, CompiledExperiment> ExperimentsByPlacement,
    ExperimentSettings Settings);

/// <summary>
/// The tenant's active offers, segments and running experiments, compiled, cached per instance for
/// <see cref="PersonalizationOptions.DefinitionCacheLifetime"/>: decisions must not read and parse them every time.
/// A write on this instance invalidates at once; other instances see it when their copy expires.
/// </summary>
internal sealed class TenantDefinitions(PersonalizationDatabase database, IOptions<PersonalizationOptions> options, TimeProvider time)
{
    private sealed record Entry(long Generation, DateTimeOffset LoadedAt, Task<CompiledDefinitions> Definitions);

    private readonly ConcurrentDictionary<string, Entry> _entries = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, long> _generations = new(StringComparer.Ordinal);

    public async ValueTask<CompiledDefinitions> GetAsync(string tenantId, CancellationToken cancellationToken)
    {
        var generation = _generations.GetValueOrDefault(tenantId);
        var now = time.GetUtcNow();
        if (_entries.TryGetValue(tenantId, out var entry) && entry.Generation == generation && now - entry.LoadedAt < options.Value.DefinitionCacheLifetime
            && (entry.Definitions.IsCompletedSuccessfully || !entry.Definitions.IsCompleted))
        {
            return await entry.Definitions;
        }

        // Not the request's token: the load is shared with every request that comes while it runs.
        var loading = new Entry(generation, now, LoadAsync(tenantId, CancellationToken.None));
        _entries[tenantId] = loading;
        return await loading.Definitions.WaitAsync(cancellationToken);
    }

    public void Invalidate(string tenantId) => _generations.AddOrUpdate(tenantId, 1, (_, g) => g + 1);

    private async Task<CompiledDefinitions> LoadAsync(string tenantId, CancellationToken cancellationToken)
    {
        await using var db = await database.BeginAsync(tenantId, cancellationToken);
        var segments = (await DefinitionStore.AllAsync(db.Connection, db.Transaction, SegmentModel.Table, tenantId, ["active"], cancellationToken))
            .Select(s => new CompiledSegment(s.Id, s.Name, Compile(s.Definition["conditions"])!))
            .ToDictionary(s => s.Id);
        var offers = (await DefinitionStore.AllAsync(db.Connection, db.Transaction, OfferModel.Table, tenantId, ["active"], cancellationToken))
            .Select(o => CompileOffer(o))
            .ToList();
        var experiments = (await DefinitionStore.AllAsync(db.Connection, db.Transaction, ExperimentModel.Table, tenantId, ["running"], cancellationToken))
            .Select(e => new CompiledExperiment(e.Id, e.Name, e.Definition["placement"]!.GetValue<string>(),
                [.. e.Definition["variants"]!.AsArray().Select(v => new CompiledVariant(v!["key"]!.GetValue<string>(), v["strategy"]!.GetValue<string>(), v["weight"]!.GetValue<int>()))]))
            .ToDictionary(e => e.Placement, StringComparer.Ordinal);
        var settings = await ExperimentSettingsApi.ReadAsync(db.Transaction, tenantId, options.Value, cancellationToken);
        return new CompiledDefinitions(offers, segments, experiments, settings);
    }

    private static CompiledOffer CompileOffer(StoredDefinition stored)
    {
        var offer = DefinitionStore.FromJson<OfferInput>(stored.Definition);
        return new CompiledOffer(
            stored.Id, stored.Name, offer.Priority ?? 0, new HashSet<string>(offer.Placements ?? [], StringComparer.Ordinal),
            offer.Targeting?.SegmentIds ?? [], Compile(stored.Definition["targeting"]?["conditions"]),
            offer.Content ?? [], [.. offer.Selection?.CategoryIds ?? []], [.. (offer.Selection?.Brands ?? []).Select(b => b.Trim().ToLowerInvariant())],
            [.. offer.Selection?.Skus ?? []], offer.Selection?.MaxProducts ?? OfferModel.DefaultProducts, offer.Incentive, offer.ValidFrom, offer.ValidUntil, offer.FrequencyCap);
    }

    private static Condition? Compile(System.Text.Json.Nodes.JsonNode? json) =>
        json is null ? null : Condition.Parse(JsonSerializer.SerializeToElement(json), "conditions", new FieldErrors());
}
