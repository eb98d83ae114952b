using MachCommerce.Catalog.Search;

namespace MachCommerce.Catalog.Tests;

/// <summary>
/// The index in memory, without a database: searches share it while changes come in, and looks at the catalog that
/// are taken in out of order (two searches read at different moments) never leave an older version in for good.
/// </summary>
public sealed class SearchIndexLooksTests
{
    private static readonly TextQuery Drills = TextQuery.From("'bohrschraub':*", "'bohrschraub':*")!;

    private static readonly ProductQuery Published =
        new(null, [], null, null, null, ["published"], [], "relevance", 20, null, "bohrschraub", []);

    [Fact]
    public void A_look_alone_moves_the_next_look_to_its_watermark()
    {
        var index = new SearchIndex(["shop"], watermark: 100);
        index.Apply(index.Current, [], [Drill(1, 189m)], 120);
        Assert.Equal(120ul, index.Current.Watermark);

        // A look that found nothing moves it on too.
        index.Apply(index.Current, [], [], 130);
        Assert.Equal(130ul, index.Current.Watermark);
    }

    [Fact]
    public void A_look_taken_in_after_a_newer_one_sends_the_next_look_back_to_its_own_watermark()
    {
        var index = new SearchIndex(["shop"], watermark: 100);
        index.Apply(index.Current, [], [Drill(1, 189m)], 100);

        // Two searches look at the catalog from the same position; the later reader sees the new price, and is taken in first.
        var start = index.Current;
        index.Apply(start, [], [Drill(1, 149m)], 120);
        Assert.Equal(120ul, index.Current.Watermark);

        // The earlier reader puts the old price back. The new price was written at or after its watermark (110), so
        // the next look must read from there again, not from 120, or the old price would stay until a rebuild.
        index.Apply(start, [], [Drill(1, 189m)], 110);
        Assert.Equal(110ul, index.Current.Watermark);

        // A look that found nothing after another was taken in leaves the position as it is.
        var before = index.Current;
        index.Apply(start, [], [], 140);
        Assert.Same(before, index.Current);
    }

    [Fact]
    public async Task Searches_run_side_by_side_while_changes_come_in_and_each_sees_every_change_taken_in_before_it()
    {
        const int Products = 1_500;
        var index = new SearchIndex(["shop"], watermark: 1);
        var takenIn = 0;
        var writer = Task.Run(() =>
        {
            for (var i = 1; i <= Products; i++)
            {
                // Each product brings a word of its own, so the searches' prefix look-ups must sort the words anew each time.
                index.Apply(index.Current, [], [Drill(i, 100m + i)], (ulong)i + 1);
                Volatile.Write(ref takenIn, i);
            }
        });

        var searchers = Enumerable.Range(0, 4).Select(searcher => Task.Run(() =>
        {
            var searches = 0;
            while (!writer.IsCompleted || searches == 0)
            {
                var atLeast = Volatile.Read(ref takenIn);
                if (searcher % 2 == 0)
                {
                    var (total, ids, _, wordsFound) = index.Match(Published, Drills, allWords: true);
                    Assert.True(total >= atLeast, $"{total} products found after {atLeast} were taken in");
                    Assert.True(wordsFound || atLeast == 0);
                    Assert.Equal(Math.Min(total, 20), ids.Count);
                }
                else
                {
                    var (skus, top, _) = index.MatchBySku(Drills, brand: null, limit: 10, brandLimit: 5);
                    Assert.True(skus >= atLeast, $"{skus} SKUs found after {atLeast} were taken in");
                    Assert.Equal(Math.Min(skus, 10), top.Count);
                }

                searches++;
            }

            return searches;
        })).ToArray();

        await writer;
        var searchesEach = await Task.WhenAll(searchers);
        Assert.All(searchesEach, searches => Assert.True(searches > 0));
        Assert.Equal(Products, index.Match(Published, Drills, allWords: true).Total);
        Assert.Equal(Products, index.MatchBySku(Drills, brand: null, limit: 10, brandLimit: 5).Skus);
    }

    private static SearchIndex.Product Drill(int number, decimal price) => new(
        new Guid(number, 0, 0, new byte[8]), (UInt128)number, "published", "Bosch", [], [], price, Available: true, $"akku-bohrschrauber {number}",
        [], SearchIndex.ReadVector($"'bohrschraub':1A 'modell{number}':2B"), $"BS-{number}");
}
