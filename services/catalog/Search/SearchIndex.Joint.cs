using System.Buffers;
using System.Runtime.InteropServices;

namespace MachCommerce.Catalog.Search;

/// <summary>The joint search of a cooperative's member shops over the same index: results by SKU, not by product.</summary>
internal sealed partial class SearchIndex
{
    /// <summary>
    /// The joint search over a cooperative's member shops: the SKUs of the published products that have every word
    /// (and the brand, if one is asked), each ranked by its best product, as the SQL of the joint search ranks them;
    /// how many SKUs; and the brands by how many of those SKUs carry them. The same SKU at fifty members is one result.
    /// </summary>
    public (long Skus, List<string> Top, List<(string Brand, long Skus)> Brands) MatchBySku(TextQuery text, string? brand, int limit, int brandLimit)
    {
        _lock.EnterReadLock();
        try
        {
            var published = _statuses.Find("published");
            var brandId = brand is null ? -1 : _brands.Find(brand);
            if (published < 0 || (brand is not null && brandId < 0))
            {
                return (0, [], []);
            }

            using var work = new WorkArrays(_ids.Count);
            var candidates = Candidates(text, work.Ranks, work.Masks, work.Ordinals);
            var (german, english) = text.Masks();
            return BySku(candidates, work.Ordinals, work.Ranks, work.Masks, german, english, published, brandId, limit, brandLimit);
        }
        finally
        {
            _lock.ExitReadLock();
        }
    }

    /// <summary>
    /// The matching published rows grouped by SKU: each SKU's best rank, the top <paramref name="limit"/> SKUs (rank,
    /// then SKU), and distinct SKUs per brand. A common word matches a large share of a cooperative's million rows, so
    /// this works in arrays indexed by SKU and brand id (no dictionary, no sort of every SKU, nothing left to collect):
    /// at 985,000 rows a Dictionary and LINQ made one word's p99 83 ms.
    /// </summary>
    private (long Skus, List<string> Top, List<(string Brand, long Skus)> Brands) BySku(int candidates, int[] ordinals, float[] ranks, uint[] masks,
        uint german, uint english, int published, int brandId, int limit, int brandLimit)
    {
        var best = ArrayPool<float>.Shared.Rent(Math.Max(_skus.Count, 1));
        var skuBrand = ArrayPool<int>.Shared.Rent(Math.Max(_skus.Count, 1));
        var brandSkus = ArrayPool<long>.Shared.Rent(Math.Max(_brands.Count, 1));
        var touched = ArrayPool<int>.Shared.Rent(Math.Max(_skus.Count, 1));
        try
        {
            Array.Fill(best, float.NaN, 0, _skus.Count); // NaN: SKU not met yet
            Array.Clear(brandSkus, 0, _brands.Count);
            HashSet<long>? otherBrands = null; // the rare SKU sold under two brands (two shops' own products): each (brand, SKU) once
            var touchedCount = 0;
            var removed = CollectionsMarshal.AsSpan(_removed);
            var statuses = CollectionsMarshal.AsSpan(_status);
            var brands = CollectionsMarshal.AsSpan(_brand);
            var skus = CollectionsMarshal.AsSpan(_sku);
            for (var i = 0; i < candidates; i++)
            {
                var ordinal = ordinals[i];
                var mask = masks[ordinal];
                if (removed[ordinal] || statuses[ordinal] != published || (brandId >= 0 && brands[ordinal] != brandId)
                    || !((german != 0 && (mask & german) == german) || (english != 0 && (mask & english) == english)))
                {
                    continue;
                }

                var sku = skus[ordinal];
                var brand = brands[ordinal];
                if (float.IsNaN(best[sku]))
                {
                    best[sku] = ranks[ordinal];
                    touched[touchedCount++] = sku;
                    skuBrand[sku] = brand;
                    if (brand >= 0)
                    {
                        brandSkus[brand]++;
                    }

                    continue;
                }

                best[sku] = Math.Max(best[sku], ranks[ordinal]);
                if (brand >= 0 && brand != skuBrand[sku] && (otherBrands ??= []).Add(((long)brand << 32) | (uint)sku))
                {
                    brandSkus[brand]++;
                }
            }

            // The top SKUs: a min-heap of the best so far, its root the weakest (lower rank, or same rank and later SKU).
            var weakestFirst = Comparer<int>.Create((a, b) => best[a] != best[b] ? best[a].CompareTo(best[b]) : string.CompareOrdinal(_skus[b], _skus[a]));
            var heap = new PriorityQueue<int, int>(limit + 1, weakestFirst);
            for (var i = 0; i < touchedCount && limit > 0; i++)
            {
                var sku = touched[i];
                if (heap.Count < limit)
                {
                    heap.Enqueue(sku, sku);
                }
                else if (weakestFirst.Compare(sku, heap.Peek()) > 0)
                {
                    heap.EnqueueDequeue(sku, sku);
                }
            }

            var top = new List<string>(heap.Count);
            while (heap.Count > 0)
            {
                top.Add(_skus[heap.Dequeue()]);
            }

            top.Reverse();
            var brandCounts = new List<(string Brand, long Skus)>();
            for (var b = 0; b < _brands.Count; b++)
            {
                if (brandSkus[b] > 0)
                {
                    brandCounts.Add((_brands[b], brandSkus[b]));
                }
            }

            brandCounts.Sort((x, y) => x.Skus != y.Skus ? y.Skus.CompareTo(x.Skus) : string.CompareOrdinal(x.Brand, y.Brand));
            return (touchedCount, top, brandCounts.Take(brandLimit).ToList());
        }
        finally
        {
            ArrayPool<float>.Shared.Return(best);
            ArrayPool<int>.Shared.Return(skuBrand);
            ArrayPool<long>.Shared.Return(brandSkus);
            ArrayPool<int>.Shared.Return(touched);
        }
    }
}
