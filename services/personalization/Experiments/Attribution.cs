using MachCommerce.Personalization.Behaviour;
using MachCommerce.Personalization.Subjects;

namespace MachCommerce.Personalization.Experiments;

/// <summary>
/// Credits a consenting subject's clicks, purchases (conversions, revenue, orders) and offer redemptions to the
/// experiments they were exposed to and to the global holdout, when they happen inside the attribution window after
/// the first exposure.
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
                clicked_at = least(x.clicked_at, a.first_click),
                converted_at = least(x.converted_at, a.first_purchase),
                redeemed_at = least(x.redeemed_at, a.first_redemption),
                revenue = x.revenue + a.revenue,
                orders = x.orders + a.orders
            FROM (
                SELECT x2.experiment_id, x2.subject_key,
                       min(u.at) FILTER (WHERE u.kind = 'click') AS first_click,
                       min(u.at) FILTER (WHERE u.kind = 'purchase') AS first_purchase,
                       min(u.at) FILTER (WHERE u.kind = 'redemption') AS first_redemption,
                       coalesce(sum(u.amount) FILTER (WHERE u.kind = 'purchase'), 0) AS revenue,
                       count(DISTINCT u.order_key) FILTER (WHERE u.kind = 'purchase') AS orders
                FROM unnest($2::text[], $3::text[], $4::timestamptz[], $5::numeric[], $6::text[]) AS u(subject_key, kind, at, amount, order_key)
                JOIN exposures x2 ON x2.tenant_id = $1 AND x2.subject_key = u.subject_key
                LEFT JOIN experiments e ON e.id = x2.experiment_id AND e.tenant_id = $1
                CROSS JOIN LATERAL (SELECT make_interval(hours => coalesce((e.definition->>'attributionWindowHours')::int, $7)) AS window) w
                WHERE u.at >= x2.first_exposed_at
                  AND u.at <= x2.first_exposed_at + w.window
                  -- Nothing is credited to a sealed day: its numbers are kept (ExperimentData.cs) and must not change.
                  AND (x2.first_exposed_at AT TIME ZONE 'UTC')::date >= ((now() - w.window - $8::interval) AT TIME ZONE 'UTC')::date
                GROUP BY x2.experiment_id, x2.subject_key
            ) a
            WHERE x.tenant_id = $1 AND x.experiment_id = a.experiment_id AND x.subject_key = a.subject_key
            """, transaction.Connection, transaction);
        command.Parameters.Add(new() { Value = tenantId });
        command.Parameters.Add(new() { Value = outcomes.Select(e => subjects[e].Key).ToArray() });
        command.Parameters.Add(new() { Value = outcomes.Select(e => e.Type switch { EventType.OfferClicked => "click", EventType.Purchased => "purchase", _ => "redemption" }).ToArray() });
        command.Parameters.Add(new() { Value = outcomes.Select(e => e.OccurredAt).ToArray() });
        command.Parameters.Add(new() { Value = outcomes.Select(e => e.Type == EventType.Purchased ? e.Quantity * (e.Price ?? 0) : 0m).ToArray() });
        // An order's lines arrive together as a rule; lines of one order split over two batches count as two orders.
        command.Parameters.Add(new() { Value = outcomes.Select(e => e.OrderId ?? e.Id.ToString()).ToArray() });
        // The global holdout has no experiment row: its purchases count for a month after the first decision.
        command.Parameters.Add(new() { Value = (int)Holdout.AttributionWindow.TotalHours });
        command.Parameters.Add(new() { Value = ExperimentData.Grace + TimeSpan.FromDays(1) });
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
