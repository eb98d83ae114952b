using MachCommerce.Personalization.ReadModels;

namespace MachCommerce.Personalization.Behaviour;

/// <summary>
/// Anonymous popularity with a one-week half-life, from everybody's views, cart additions and purchases, with or
/// without consent. products.trend holds log2(Σ weight · 2^((t − epoch) / half-life)): each event counts as if it
/// grew by half-life steps since the epoch, so an index ordered by trend is ordered by today's decayed popularity
/// and no row is ever rewritten just because time passed; the logarithm keeps it far from overflowing.
/// </summary>
internal static class Popularity
{
    public static readonly DateTimeOffset Epoch = new(2025, 1, 1, 0, 0, 0, TimeSpan.Zero);
    public static readonly TimeSpan HalfLife = TimeSpan.FromDays(7);

    public static double Weight(EventType type) => type switch
    {
        EventType.ProductViewed => 1,
        EventType.AddedToCart => 3,
        EventType.Purchased => 5,
        _ => 0,
    };

    /// <summary>log2 of one event's contribution.</summary>
    public static double Exponent(double weight, DateTimeOffset at) => Math.Log2(weight) + (at - Epoch).TotalSeconds / HalfLife.TotalSeconds;

    /// <summary>log2(2^a + 2^b) without leaving the logarithm.</summary>
    public static double Combine(double a, double b) => Math.Max(a, b) + Math.Log2(1 + Math.Pow(2, -Math.Abs(a - b)));

    /// <summary>The decayed interaction count as of <paramref name="now"/> (roughly: weighted events this week).</summary>
    public static double ValueAt(double? trend, DateTimeOffset now) => trend is { } t ? Math.Pow(2, t - (now - Epoch).TotalSeconds / HalfLife.TotalSeconds) : 0;

    /// <summary>Appends the batch's increments (one per product, already combined); <see cref="PopularityFolder"/> applies them.</summary>
    public static async Task AddAsync(NpgsqlTransaction transaction, string tenantId, List<ValidEvent> events, ProductFacts products, CancellationToken cancellationToken)
    {
        var byProduct = new Dictionary<Guid, double>();
        foreach (var e in events)
        {
            if (Weight(e.Type) is > 0 and var weight && products.Find(e) is { } product)
            {
                var exponent = Exponent(weight * e.Quantity, e.OccurredAt);
                byProduct[product.ProductId] = byProduct.TryGetValue(product.ProductId, out var sum) ? Combine(sum, exponent) : exponent;
            }
        }

        if (byProduct.Count == 0)
        {
            return;
        }

        await using var command = new NpgsqlCommand("INSERT INTO popularity_deltas (tenant_id, product_id, v) SELECT $1, * FROM unnest($2::uuid[], $3::float8[])",
            transaction.Connection, transaction);
        command.Parameters.Add(new() { Value = tenantId });
        command.Parameters.Add(new() { Value = byProduct.Keys.ToArray() });
        command.Parameters.Add(new() { Value = byProduct.Values.ToArray() });
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
