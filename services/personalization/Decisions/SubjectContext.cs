using MachCommerce.Personalization.Definitions;
using MachCommerce.Personalization.Subjects;

namespace MachCommerce.Personalization.Decisions;

/// <summary>
/// Everything a decision or recommendation knows about the visitor: who they are (profile or anonymous visitor),
/// whether they consented, their model, and what was shown to them lately. Without consent only the facts the
/// request itself carries are used; nothing stored about the visitor is read.
/// </summary>
internal sealed record SubjectContext(string Key, Guid? ProfileId, bool Consent, SubjectFacts Facts, SubjectModel? Model,
    IReadOnlyList<(Guid OfferId, DateTimeOffset ShownAt)> Impressions, IReadOnlyDictionary<Guid, string> ExperimentVariants)
{
    /// <summary>
    /// The categories the page is about, ancestors included: the context product's, or for a category page the
    /// categories every sampled product of that category shares (the category and its ancestors; the read model
    /// has no category tree of its own). Set by <see cref="LoadAsync"/> when a page context is given.
    /// </summary>
    public IReadOnlySet<Guid> PageCategories { get; init; } = new HashSet<Guid>();

    private static readonly TimeSpan ImpressionLookback = TimeSpan.FromDays(365);

    public static async Task<SubjectContext> LoadAsync(NpgsqlTransaction transaction, string tenantId, string visitorId, Guid? profileId, string? customerGroup, string? locale,
        DateTimeOffset now, TimeSpan halfLife, CancellationToken cancellationToken, Guid? pageProduct = null, Guid? pageCategory = null)
    {
        Guid? linkedProfile = null;
        bool? visitorConsent = null;
        (string? Kind, string? Group, string? Locale, string? Traits, bool Consent)? profile = null;
        HashSet<Guid>? pageCategories = null;
        await using (var batch = new NpgsqlBatch(transaction.Connection, transaction))
        {
            batch.BatchCommands.Add(new NpgsqlBatchCommand("""
                WITH v AS (SELECT profile_id, consent FROM visitors WHERE tenant_id = $1 AND visitor_id = $2)
                SELECT v.profile_id, v.consent, p.profile_id, p.kind, p.customer_group, p.locale, p.traits::text, p.consent
                FROM (SELECT 1) AS one
                LEFT JOIN v ON true
                LEFT JOIN profiles p ON p.tenant_id = $1 AND p.profile_id = coalesce($3, v.profile_id)
                """)
            {
                Parameters =
                {
                    new() { Value = tenantId }, new() { Value = visitorId },
                    new() { Value = (object?)profileId ?? DBNull.Value, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Uuid },
                },
            });
            if (pageProduct is not null || pageCategory is not null)
            {
                batch.BatchCommands.Add(new NpgsqlBatchCommand(pageProduct is not null
                    ? "SELECT category_ids FROM products WHERE tenant_id = $1 AND product_id = $2"
                    : "SELECT category_ids FROM products WHERE tenant_id = $1 AND category_ids && ARRAY[$2] LIMIT 20")
                {
                    Parameters = { new() { Value = tenantId }, new() { Value = pageProduct ?? pageCategory!.Value } },
                });
            }

            await using var reader = await batch.ExecuteReaderAsync(cancellationToken);
            await reader.ReadAsync(cancellationToken);
            linkedProfile = reader.IsDBNull(0) ? null : reader.GetGuid(0);
            visitorConsent = reader.IsDBNull(1) ? null : reader.GetBoolean(1);
            if (!reader.IsDBNull(2))
            {
                profile = (reader.IsDBNull(3) ? null : reader.GetString(3), reader.IsDBNull(4) ? null : reader.GetString(4), reader.IsDBNull(5) ? null : reader.GetString(5),
                    reader.GetString(6), reader.GetBoolean(7));
            }

            if (await reader.NextResultAsync(cancellationToken))
            {
                while (await reader.ReadAsync(cancellationToken))
                {
                    var categories = reader.GetFieldValue<Guid[]>(0);
                    if (pageCategories is null)
                    {
                        pageCategories = [.. categories];
                    }
                    else
                    {
                        pageCategories.IntersectWith(categories);
                    }
                }
            }
        }

        pageCategories ??= [];
        if (pageCategory is { } category)
        {
            pageCategories.Add(category);
        }

        var knownProfile = profileId ?? linkedProfile;
        var key = knownProfile is { } id ? SubjectStore.ProfileKey(id) : SubjectStore.VisitorKey(visitorId);
        var consent = knownProfile is not null ? profile?.Consent == true : visitorConsent == true;
        if (!consent)
        {
            // The signed customer group (B2B prices) and the page's locale are the request's own, not stored behaviour.
            var anonymous = new SubjectFacts(knownProfile is not null, false, null, customerGroup, locale, SubjectFacts.NoTraits, null, now, halfLife);
            return new SubjectContext(key, knownProfile, false, anonymous, null, [], new Dictionary<Guid, string>()) { PageCategories = pageCategories };
        }

        SubjectModel? model = null;
        var impressions = new List<(Guid, DateTimeOffset)>();
        var variants = new Dictionary<Guid, string>();
        await using (var batch = new NpgsqlBatch(transaction.Connection, transaction))
        {
            foreach (var sql in new[]
            {
                "SELECT model::text FROM subject_models WHERE tenant_id = $1 AND subject_key = $2",
                "SELECT offer_id, shown_at FROM impressions WHERE tenant_id = $1 AND subject_key = $2 AND shown_at > $3 ORDER BY shown_at DESC LIMIT 5000",
                "SELECT experiment_id, variant FROM exposures WHERE tenant_id = $1 AND subject_key = $2",
            })
            {
                var command = new NpgsqlBatchCommand(sql);
                command.Parameters.Add(new() { Value = tenantId });
                command.Parameters.Add(new() { Value = key });
                if (sql.Contains("$3", StringComparison.Ordinal))
                {
                    command.Parameters.Add(new() { Value = now - ImpressionLookback });
                }

                batch.BatchCommands.Add(command);
            }

            await using var reader = await batch.ExecuteReaderAsync(cancellationToken);
            if (await reader.ReadAsync(cancellationToken))
            {
                model = SubjectModel.FromJson(reader.GetString(0));
            }

            await reader.NextResultAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                impressions.Add((reader.GetGuid(0), reader.GetFieldValue<DateTimeOffset>(1)));
            }

            await reader.NextResultAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                variants[reader.GetGuid(0)] = reader.GetString(1);
            }
        }

        var facts = new SubjectFacts(knownProfile is not null, true, profile?.Kind, customerGroup ?? profile?.Group, locale ?? profile?.Locale,
            profile?.Traits is { } traits ? Traits(traits) : SubjectFacts.NoTraits, model ?? new SubjectModel(), now, halfLife);
        return new SubjectContext(key, knownProfile, true, facts, model, impressions, variants) { PageCategories = pageCategories };
    }

    public static IReadOnlyDictionary<string, JsonElement> Traits(string json) =>
        JsonSerializer.Deserialize<Dictionary<string, JsonElement>>(json) ?? [];
}
