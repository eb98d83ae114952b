using System.Text.Json.Serialization;

namespace MachCommerce.Personalization.Subjects;

/// <summary>
/// What personalization knows of one consenting subject: interests with exponential time decay, recency /
/// frequency / monetary value, and the last things seen, put in the cart, bought and searched. Stored as JSONB in
/// subject_models and updated incrementally by every accepted event.
/// </summary>
internal sealed class SubjectModel
{
    /// <summary>How many interests are kept: the weakest go first, so a heavy user's model stays small.</summary>
    public const int MaxAffinities = 300;
    private const int MaxRecent = 20;
    private const int MaxSearches = 10;

    /// <summary>Keyed by <see cref="AffinityKeys"/>: c:{category id}, b:{brand}, a:{attribute}={value}.</summary>
    public Dictionary<string, Interest> Affinities { get; set; } = new(StringComparer.Ordinal);

    public DateTimeOffset? FirstSeenAt { get; set; }
    public DateTimeOffset? LastSeenAt { get; set; }
    public DateTimeOffset? LastPurchaseAt { get; set; }
    /// <summary>Orders (purchase events grouped by order id).</summary>
    public int Orders { get; set; }
    public decimal Monetary { get; set; }
    public long Events { get; set; }
    public string? LastOrderId { get; set; }
    public List<RecentItem> Viewed { get; set; } = [];
    public List<RecentItem> Carted { get; set; } = [];
    public List<RecentItem> Purchased { get; set; } = [];
    public List<RecentSearch> Searches { get; set; } = [];

    public double AffinityAt(string key, DateTimeOffset now, TimeSpan halfLife) =>
        Affinities.TryGetValue(key, out var interest) ? interest.ValueAt(now, halfLife) : 0;

    public void AddInterest(string key, double weight, DateTimeOffset at, TimeSpan halfLife)
    {
        Affinities[key] = Affinities.TryGetValue(key, out var interest) ? interest.Add(weight, at, halfLife) : new Interest(weight, at);
    }

    public void Saw(DateTimeOffset at)
    {
        Events++;
        FirstSeenAt = FirstSeenAt is { } first && first <= at ? first : at;
        LastSeenAt = LastSeenAt is { } last && last >= at ? last : at;
    }

    public void Bought(string orderKey, decimal amount, DateTimeOffset at)
    {
        if (orderKey != LastOrderId)
        {
            Orders++;
            LastOrderId = orderKey;
        }

        Monetary += amount;
        LastPurchaseAt = LastPurchaseAt is { } last && last >= at ? last : at;
    }

    public static void Remember(List<RecentItem> list, RecentItem item)
    {
        list.RemoveAll(existing => existing.ProductId == item.ProductId);
        var position = list.FindIndex(existing => existing.At < item.At);
        list.Insert(position < 0 ? list.Count : position, item);
        if (list.Count > MaxRecent)
        {
            list.RemoveRange(MaxRecent, list.Count - MaxRecent);
        }
    }

    public void Searched(string query, DateTimeOffset at)
    {
        Searches.RemoveAll(s => s.Query == query);
        Searches.Insert(0, new RecentSearch(query, at));
        if (Searches.Count > MaxSearches)
        {
            Searches.RemoveRange(MaxSearches, Searches.Count - MaxSearches);
        }
    }

    /// <summary>Keeps the strongest interests as of <paramref name="now"/>.</summary>
    public void Prune(DateTimeOffset now, TimeSpan halfLife)
    {
        if (Affinities.Count <= MaxAffinities)
        {
            return;
        }

        var keep = Affinities.OrderByDescending(a => a.Value.ValueAt(now, halfLife)).Take(MaxAffinities).ToDictionary(StringComparer.Ordinal);
        Affinities = keep;
    }

    /// <summary>Folds another subject's model into this one (an anonymous visitor who turned out to be this customer).</summary>
    public void Merge(SubjectModel other, TimeSpan halfLife)
    {
        foreach (var (key, interest) in other.Affinities)
        {
            AddInterest(key, interest.Score, interest.At, halfLife);
        }

        Events += other.Events;
        Orders += other.Orders;
        Monetary += other.Monetary;
        FirstSeenAt = Earliest(FirstSeenAt, other.FirstSeenAt);
        LastSeenAt = Latest(LastSeenAt, other.LastSeenAt);
        LastPurchaseAt = Latest(LastPurchaseAt, other.LastPurchaseAt);
        foreach (var item in other.Viewed) Remember(Viewed, item);
        foreach (var item in other.Carted) Remember(Carted, item);
        foreach (var item in other.Purchased) Remember(Purchased, item);
        foreach (var search in other.Searches.AsEnumerable().Reverse()) Searched(search.Query, search.At);
        Prune(LastSeenAt ?? DateTimeOffset.UtcNow, halfLife);

        static DateTimeOffset? Earliest(DateTimeOffset? a, DateTimeOffset? b) => a is null ? b : b is null ? a : a < b ? a : b;
        static DateTimeOffset? Latest(DateTimeOffset? a, DateTimeOffset? b) => a is null ? b : b is null ? a : a > b ? a : b;
    }

    public string ToJson() => JsonSerializer.Serialize(this, SubjectModelJson.Default.SubjectModel);

    public static SubjectModel FromJson(string json) => JsonSerializer.Deserialize(json, SubjectModelJson.Default.SubjectModel) ?? new SubjectModel();
}

/// <summary>An interest's score as of <see cref="At"/>; it halves every half-life after that.</summary>
internal readonly record struct Interest(double Score, DateTimeOffset At)
{
    public double ValueAt(DateTimeOffset now, TimeSpan halfLife) => Score * Decay(now - At, halfLife);

    /// <summary>Adds a weight observed at <paramref name="at"/>, which may be older than the interest (late events).</summary>
    public Interest Add(double weight, DateTimeOffset at, TimeSpan halfLife) => at >= At
        ? new Interest(ValueAt(at, halfLife) + weight, at)
        : new Interest(Score + weight * Decay(At - at, halfLife), At);

    public static double Decay(TimeSpan elapsed, TimeSpan halfLife) =>
        elapsed <= TimeSpan.Zero ? 1 : Math.Pow(2, -elapsed.TotalSeconds / halfLife.TotalSeconds);
}

internal sealed record RecentItem(Guid ProductId, DateTimeOffset At, string? Name);

internal sealed record RecentSearch(string Query, DateTimeOffset At);

/// <summary>The keys of <see cref="SubjectModel.Affinities"/>; brand and attribute values are compared case-insensitively.</summary>
internal static class AffinityKeys
{
    public static string Category(Guid id) => "c:" + id.ToString("N");

    public static string Brand(string brand) => "b:" + brand.Trim().ToLowerInvariant();

    /// <summary>An attribute as the read model stores it, "material=stahl".</summary>
    public static string Attribute(string keyEqualsValue) => "a:" + keyEqualsValue;

    public static string AttributeText(string key, string value) => $"{key.Trim().ToLowerInvariant()}={value.Trim().ToLowerInvariant()}";
}

[JsonSourceGenerationOptions(JsonSerializerDefaults.Web)]
[JsonSerializable(typeof(SubjectModel))]
internal sealed partial class SubjectModelJson : JsonSerializerContext;
