using MachCommerce.Personalization.Behaviour;

namespace MachCommerce.Personalization.Subjects;

/// <summary>Who an event is about and whether it may be kept personally.</summary>
internal sealed record Subject(string Key, Guid? ProfileId, bool Consent);

/// <summary>
/// Decides, for each event of a batch, its subject and consent: an event of a known customer (the profile id it
/// names, or the profile its visitor id is linked to) follows that profile's personalization consent; an
/// anonymous visitor's follows the storefront's consent-banner answer (the events' <c>consent</c> flag, remembered
/// per visitor id). No answer means no consent.
/// </summary>
internal sealed class SubjectResolution
{
    private readonly Dictionary<Guid, Subject> _byEvent = [];
    private readonly Dictionary<string, Guid?> _profileByKey = new(StringComparer.Ordinal);

    public Subject this[ValidEvent e] => _byEvent[e.Id];

    public Guid? ProfileOf(string key) => _profileByKey.GetValueOrDefault(key);

    public static async Task<SubjectResolution> ResolveAsync(NpgsqlTransaction transaction, string tenantId, IReadOnlyList<ValidEvent> events, CancellationToken cancellationToken)
    {
        var visitorIds = events.Select(e => e.VisitorId).Distinct(StringComparer.Ordinal).ToArray();
        var visitors = new Dictionary<string, (Guid? ProfileId, bool? Consent)>(StringComparer.Ordinal);
        await using (var command = new NpgsqlCommand("SELECT visitor_id, profile_id, consent FROM visitors WHERE tenant_id = $1 AND visitor_id = ANY($2)", transaction.Connection, transaction))
        {
            command.Parameters.Add(new() { Value = tenantId });
            command.Parameters.Add(new() { Value = visitorIds });
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                visitors[reader.GetString(0)] = (reader.IsDBNull(1) ? null : reader.GetGuid(1), reader.IsDBNull(2) ? null : reader.GetBoolean(2));
            }
        }

        await RecordBannerAnswersAsync(transaction, tenantId, events, visitors, cancellationToken);

        var profileIds = events.Select(e => e.ProfileId ?? visitors.GetValueOrDefault(e.VisitorId).ProfileId).OfType<Guid>().Distinct().ToArray();
        var consents = await ProfileConsentsAsync(transaction, tenantId, profileIds, cancellationToken);

        var resolution = new SubjectResolution();
        foreach (var e in events)
        {
            var profileId = e.ProfileId ?? visitors.GetValueOrDefault(e.VisitorId).ProfileId;
            var subject = profileId is { } id
                ? new Subject(SubjectStore.ProfileKey(id), id, consents.GetValueOrDefault(id))
                : new Subject(SubjectStore.VisitorKey(e.VisitorId), null, visitors.GetValueOrDefault(e.VisitorId).Consent == true);
            resolution._byEvent[e.Id] = subject;
            resolution._profileByKey[subject.Key] = subject.ProfileId;
        }

        return resolution;
    }

    private static async Task<Dictionary<Guid, bool>> ProfileConsentsAsync(NpgsqlTransaction transaction, string tenantId, Guid[] profileIds, CancellationToken cancellationToken)
    {
        var consents = new Dictionary<Guid, bool>();
        if (profileIds.Length == 0)
        {
            return consents;
        }

        await using var command = new NpgsqlCommand("SELECT profile_id, consent FROM profiles WHERE tenant_id = $1 AND profile_id = ANY($2)", transaction.Connection, transaction);
        command.Parameters.Add(new() { Value = tenantId });
        command.Parameters.Add(new() { Value = profileIds });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            consents[reader.GetGuid(0)] = reader.GetBoolean(1);
        }

        return consents;
    }

    /// <summary>The newest banner answer per visitor in this batch wins; a "no" deletes what an earlier "yes" allowed.</summary>
    private static async Task RecordBannerAnswersAsync(NpgsqlTransaction transaction, string tenantId, IReadOnlyList<ValidEvent> events,
        Dictionary<string, (Guid? ProfileId, bool? Consent)> visitors, CancellationToken cancellationToken)
    {
        var answers = events.Where(e => e.Consent is not null)
            .GroupBy(e => e.VisitorId, StringComparer.Ordinal)
            .Select(g => (VisitorId: g.Key, Consent: g.MaxBy(e => e.OccurredAt)!.Consent!.Value))
            .Where(a => visitors.GetValueOrDefault(a.VisitorId).Consent != a.Consent)
            .OrderBy(a => a.VisitorId, StringComparer.Ordinal)
            .ToList();
        if (answers.Count == 0)
        {
            return;
        }

        await using var command = new NpgsqlCommand("""
            INSERT INTO visitors (tenant_id, visitor_id, consent) SELECT $1, * FROM unnest($2::text[], $3::boolean[])
            ON CONFLICT (tenant_id, visitor_id) DO UPDATE SET consent = excluded.consent, updated_at = now()
            """, transaction.Connection, transaction);
        command.Parameters.Add(new() { Value = tenantId });
        command.Parameters.Add(new() { Value = answers.Select(a => a.VisitorId).ToArray() });
        command.Parameters.Add(new() { Value = answers.Select(a => a.Consent).ToArray() });
        await command.ExecuteNonQueryAsync(cancellationToken);

        var withdrawn = answers.Where(a => !a.Consent).Select(a => SubjectStore.VisitorKey(a.VisitorId)).ToArray();
        if (withdrawn.Length > 0)
        {
            await SubjectStore.ForgetAsync(transaction, tenantId, withdrawn, cancellationToken, consentWithdrawn: true);
        }

        foreach (var (visitorId, consent) in answers)
        {
            visitors[visitorId] = (visitors.GetValueOrDefault(visitorId).ProfileId, consent);
        }
    }
}
