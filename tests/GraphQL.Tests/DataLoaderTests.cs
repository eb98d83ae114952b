using MachCommerce.GraphQL.Execution;
using MachCommerce.GraphQL.Language;
using MachCommerce.GraphQL.Types;

namespace MachCommerce.GraphQL.Tests;

/// <summary>A list of 50 products with their offers and the offers' sellers: one call per loader and level, not one per item.</summary>
public sealed class DataLoaderTests
{
    [Fact]
    public async Task Keys_of_a_whole_level_are_fetched_in_one_batch_per_loader()
    {
        var offerBatches = new List<int>();
        var sellerBatches = new List<int>();
        var schema = SdlSchemaBuilder.Build("""
            type Query { products: [Product!]! }
            type Product { id: Int! offers: [Offer!]! slowOffers: [Offer!]! }
            type Offer { price: Float! seller: Seller }
            type Seller { name: String! }
            """);
        var query = (ObjectType)schema.Type("Query")!;
        var product = (ObjectType)schema.Type("Product")!;
        var offer = (ObjectType)schema.Type("Offer")!;
        query.Field("products")!.Resolve = _ => ValueTask.FromResult<object?>(Enumerable.Range(1, 50).Select(i => new Dictionary<string, object?> { ["id"] = i }).ToList());

        DataLoader<int, object> Offers(ResolveContext context) => context.DataLoaders.Get<int, object>("offers", (ids, _) =>
        {
            lock (offerBatches)
            {
                offerBatches.Add(ids.Count);
            }

            return Task.FromResult<IReadOnlyDictionary<int, object>>(ids.ToDictionary(id => id, id => (object)new List<object>
            {
                new Dictionary<string, object?> { ["price"] = id * 1.5, ["sellerId"] = id % 7 },
            }));
        });

        product.Field("offers")!.Resolve = async context => await Offers(context).LoadAsync((int)((Dictionary<string, object?>)context.Parent!)["id"]!);
        product.Field("slowOffers")!.Resolve = async context =>
        {
            await Task.Delay(10, context.CancellationToken); // a real remote call before the loader
            return await Offers(context).LoadAsync((int)((Dictionary<string, object?>)context.Parent!)["id"]!);
        };
        offer.Field("seller")!.Resolve = async context => await context.DataLoaders.Get<int, object>("sellers", (ids, _) =>
        {
            lock (sellerBatches)
            {
                sellerBatches.Add(ids.Count);
            }

            return Task.FromResult<IReadOnlyDictionary<int, object>>(ids.ToDictionary(id => id, id => (object)new Dictionary<string, object?> { ["name"] = $"Händler {id}" }));
        }).LoadAsync((int)((Dictionary<string, object?>)context.Parent!)["sellerId"]!);

        var result = await Executor.ExecuteAsync(new ExecutionRequest(schema, Parser.Parse("{ products { id offers { price seller { name } } } }")));
        var slow = await Executor.ExecuteAsync(new ExecutionRequest(schema, Parser.Parse("{ products { slowOffers { seller { name } } } }")));

        Assert.Empty(result.Errors);
        Assert.Equal([50], offerBatches.Take(1));
        Assert.Equal([7], sellerBatches.Take(1)); // 50 offers, 7 distinct sellers, cached per key
        var products = (List<object?>)result.Data!["products"]!;
        Assert.Equal(50, products.Count);
        Assert.Empty(slow.Errors);
        Assert.Equal(50, ((List<object?>)slow.Data!["products"]!).Count);
        Assert.True(offerBatches.Count < 10, $"{offerBatches.Count} offer batches for two requests");
    }
}
