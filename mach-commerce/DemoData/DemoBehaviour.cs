using MachCommerce.Api.Personalization;

namespace MachCommerce.Launcher.DemoData;

/// <summary>A product as the behaviour generator needs it: where it sits (most specific category first) and its brand.</summary>
public sealed record DemoProduct(Guid ProductId, IReadOnlyList<Guid> CategoryIds, string? Brand, decimal Price);

/// <summary>One shopper's generated history: the events, and the session held back for evaluation (empty unless asked for).</summary>
public sealed record DemoHistory(string VisitorId, Guid? ProfileId, IReadOnlyList<BehaviourEventInput> Events, IReadOnlyList<BehaviourEventInput> HeldOut);

/// <summary>
/// Deterministic behaviour for demo shops and benchmarks, with the structure real shops have: everybody leans
/// towards the same bestsellers (a Zipf-like popularity), but each shopper has two favourite categories and a
/// favourite brand and spends most sessions there. Sessions of a few views, sometimes a cart, sometimes a purchase
/// of what was put in the cart, spread over the last 60 days. The same seed gives the same history on every machine.
/// </summary>
public static class DemoBehaviour
{
    public static IEnumerable<DemoHistory> For(IReadOnlyList<DemoProduct> products, IReadOnlyList<(string VisitorId, Guid? ProfileId)> shoppers, int eventsPerShopper,
        int seed, DateTimeOffset now, bool holdOutLastSession = false, IReadOnlyDictionary<string, int>? eventsOverride = null)
    {
        var catalog = new Shelves(products, seed);
        for (var s = 0; s < shoppers.Count; s++)
        {
            var (visitorId, profileId) = shoppers[s];
            var random = new Random(HashCode.Combine(seed, s));
            var events = eventsOverride?.GetValueOrDefault(visitorId) is > 0 and var n ? n : eventsPerShopper;
            yield return Generate(catalog, random, visitorId, profileId, events, now, holdOutLastSession);
        }
    }

    private static DemoHistory Generate(Shelves catalog, Random random, string visitorId, Guid? profileId, int count, DateTimeOffset now, bool holdOut)
    {
        var favourites = new[] { catalog.RandomCategory(random), catalog.RandomCategory(random) };
        var favouriteBrand = catalog.BrandIn(favourites[0], random);
        var sessions = new List<List<BehaviourEventInput>>();
        var total = 0;
        var sessionCount = Math.Max(1, count / 6);
        var step = TimeSpan.FromDays(60) / (sessionCount + 1);
        var at = now - TimeSpan.FromDays(60);
        while (total < count)
        {
            at += step * (0.5 + random.NextDouble());
            // A session lasts under an hour; it must end before now (events from the future are refused).
            if (at > now - TimeSpan.FromHours(2))
            {
                at = now - TimeSpan.FromMinutes(120 + random.Next(0, 600));
            }

            var session = new List<BehaviourEventInput>();
            var focus = random.NextDouble() < 0.8 ? favourites[random.Next(favourites.Length)] : catalog.RandomCategory(random);
            var order = $"O-{visitorId}-{sessions.Count}";
            var moment = at;
            for (var i = random.Next(3, 9); i > 0 && total + session.Count < count; i--)
            {
                var product = random.NextDouble() < 0.4 && favouriteBrand is not null && catalog.ByBrandIn(focus, favouriteBrand) is { Count: > 0 } branded
                    ? branded[random.Next(branded.Count)]
                    : catalog.PopularIn(focus, random);
                moment += TimeSpan.FromSeconds(random.Next(10, 240));
                session.Add(Event(random, "product_viewed", visitorId, profileId, product, moment));
                if (random.NextDouble() < 0.15 && total + session.Count < count)
                {
                    moment += TimeSpan.FromSeconds(random.Next(5, 60));
                    session.Add(Event(random, "added_to_cart", visitorId, profileId, product, moment));
                    if (random.NextDouble() < 0.5 && total + session.Count < count)
                    {
                        session.Add(Event(random, "purchased", visitorId, profileId, product, moment + TimeSpan.FromMinutes(5), order));
                    }
                }
            }

            total += session.Count;
            sessions.Add(session);
        }

        // Evaluation holds back the last session that ends in a purchase: what did they buy next?
        var heldOut = new List<BehaviourEventInput>();
        if (holdOut && sessions.FindLastIndex(s => s.Exists(e => e.Type == "purchased")) is >= 1 and var last)
        {
            heldOut = sessions[last];
            sessions.RemoveAt(last);
        }

        return new DemoHistory(visitorId, profileId, [.. sessions.SelectMany(s => s)], heldOut);
    }

    /// <summary>
    /// A UUIDv7 for the event's time, its random bits from the shopper's random sequence: ids are time-ordered as the
    /// platform recommends, and a second run produces the very same events (recognised as a resend).
    /// </summary>
    private static BehaviourEventInput Event(Random random, string type, string visitorId, Guid? profileId, DemoProduct product, DateTimeOffset at, string? orderId = null) =>
        new(Version7(random, at), type, visitorId, profileId, at, "web", null, product.ProductId, null, null, type == "purchased" ? 1 : null,
            type == "purchased" ? product.Price : null, orderId, null, null, null, null);

    private static Guid Version7(Random random, DateTimeOffset at)
    {
        Span<byte> bytes = stackalloc byte[16];
        random.NextBytes(bytes);
        var milliseconds = at.ToUnixTimeMilliseconds();
        for (var i = 5; i >= 0; i--, milliseconds >>= 8)
        {
            bytes[i] = (byte)milliseconds;
        }

        bytes[6] = (byte)(0x70 | (bytes[6] & 0x0F));
        bytes[8] = (byte)(0x80 | (bytes[8] & 0x3F));
        return new Guid(bytes, bigEndian: true);
    }

    /// <summary>The catalog arranged for drawing: products per most specific category, bestsellers first.</summary>
    private sealed class Shelves
    {
        private readonly List<Guid> _categories;
        private readonly Dictionary<Guid, List<DemoProduct>> _byCategory = [];
        private readonly Dictionary<(Guid, string), List<DemoProduct>> _byBrand = [];

        public Shelves(IReadOnlyList<DemoProduct> products, int seed)
        {
            var random = new Random(seed);
            // A fixed shuffle decides which products are the bestsellers.
            foreach (var product in products.OrderBy(_ => random.Next()))
            {
                var category = product.CategoryIds.Count > 0 ? product.CategoryIds[0] : Guid.Empty;
                if (!_byCategory.TryGetValue(category, out var shelf))
                {
                    _byCategory[category] = shelf = [];
                }

                shelf.Add(product);
            }

            _categories = [.. _byCategory.Keys.Order()];
        }

        public Guid RandomCategory(Random random)
        {
            // Bigger categories are visited more often.
            var pick = random.Next(_byCategory.Values.Sum(s => s.Count));
            foreach (var category in _categories)
            {
                pick -= _byCategory[category].Count;
                if (pick < 0)
                {
                    return category;
                }
            }

            return _categories[^1];
        }

        /// <summary>Zipf-like: the k-th product of a shelf is drawn with weight 1/(k+1).</summary>
        public DemoProduct PopularIn(Guid category, Random random)
        {
            var shelf = _byCategory[category];
            var harmonic = Math.Log(shelf.Count + 1) + 0.5772;
            var target = random.NextDouble() * harmonic;
            var sum = 0.0;
            for (var k = 0; k < shelf.Count; k++)
            {
                sum += 1.0 / (k + 1);
                if (sum >= target)
                {
                    return shelf[k];
                }
            }

            return shelf[^1];
        }

        public string? BrandIn(Guid category, Random random)
        {
            var brands = _byCategory[category].Select(p => p.Brand).OfType<string>().Distinct().Order(StringComparer.Ordinal).ToList();
            return brands.Count == 0 ? null : brands[random.Next(brands.Count)];
        }

        public List<DemoProduct> ByBrandIn(Guid category, string brand)
        {
            if (!_byBrand.TryGetValue((category, brand), out var products))
            {
                _byBrand[(category, brand)] = products = [.. _byCategory[category].Where(p => p.Brand == brand)];
            }

            return products;
        }
    }
}
