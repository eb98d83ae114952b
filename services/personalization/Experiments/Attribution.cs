using MachCommerce.Personalization.Behaviour;
using MachCommerce.Personalization.Subjects;
using Npgsql;

namespace MachCommerce.Personalization.Experiments;

/// <summary>
/// Credits a consenting subject's clicks and conversions (purchases, offer redemptions) to the experiments they
/// were exposed to, when they happen inside the experiment's attribution window after the first exposure.
/// </summary>
internal static class Attribution
{
    public static async Task RecordAsync(NpgsqlTransaction transaction, string tenantId, List<ValidEvent> events, SubjectResolution subjects, CancellationToken cancellationToken)
    {
        var outcomes = events.Where(e => e.Type is EventType.OfferClicked or EventType.Purchased or EventType.OfferRedeemed).ToList();
        if (outcomes.Count == 0)
        {
            return;
        }

        await using var command = new NpgsqlCommand("""
            UPDATE exposures x SET
                clicked_at = CASE WHEN a.first_click IS NULL THEN x.clicked_at ELSE least(coalesce(x.clicked_at, a.first_click), a.first_click) END,
                converted_at = CASE WHEN a.first_conversion IS NULL THEN x.converted_at ELSE least(coalesce(x.converted_at, a.first_conversion), a.first_conversion) END,
                revenue = x.revenue + a.revenue
            FROM (
                SELECT x2.experiment_id, x2.subject_key,
                       min(u.at) FILTER (WHERE u.kind = 'click') AS first_click,
                       min(u.at) FILTER (WHERE u.kind <> 'click') AS first_conversion,
                       coalesce(sum(u.amount) FILTER (WHERE u.kind = 'purchase'), 0) AS revenue
                FROM unnest($2::text[], $3::text[], $4::timestamptz[], $5::numeric[]) AS u(subject_key, kind, at, amount)
                JOIN exposures x2 ON x2.tenant_id = $1 AND x2.subject_key = u.subject_key
                JOIN experiments e ON e.id = x2.experiment_id AND e.tenant_id = $1
                WHERE u.at >= x2.first_exposed_at
                  AND u.at <= x2.first_exposed_at + make_interval(hours => (e.definition->>'attributionWindowHours')::int)
                GROUP BY x2.experiment_id, x2.subject_key
            ) a
            WHERE x.tenant_id = $1 AND x.experiment_id = a.experiment_id AND x.subject_key = a.subject_key
            """, transaction.Connection, transaction);
        command.Parameters.Add(new() { Value = tenantId });
        command.Parameters.Add(new() { Value = outcomes.Select(e => subjects[e].Key).ToArray() });
        command.Parameters.Add(new() { Value = outcomes.Select(e => e.Type switch { EventType.OfferClicked => "click", EventType.Purchased => "purchase", _ => "redemption" }).ToArray() });
        command.Parameters.Add(new() { Value = outcomes.Select(e => e.OccurredAt).ToArray() });
        command.Parameters.Add(new() { Value = outcomes.Select(e => e.Type == EventType.Purchased ? e.Quantity * (e.Price ?? 0) : 0m).ToArray() });
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
