using MachCommerce.Catalog.DemoData;
using MachCommerce.Catalog.Products;

namespace MachCommerce.Catalog.Tests;

public sealed class DemoCatalogTests
{
    [Fact]
    public void The_demo_catalog_is_valid_unique_and_the_same_on_every_run()
    {
        var first = DemoCatalog.Products(2_000, "garden", 7, "G").ToList();
        var second = DemoCatalog.Products(2_000, "garden", 7, "G").ToList();

        Assert.All(first, product => Assert.NotNull(ProductValidator.Validate(product.Input, [])));
        Assert.Equal(2_000, first.Select(p => p.Input.Slug).Distinct().Count());
        Assert.Equal(first.SelectMany(p => p.Input.Variants!).Count(), first.SelectMany(p => p.Input.Variants!).Select(v => v.Sku).Distinct().Count());
        Assert.Equal(first.Select(p => p.Input.Name!["de"]), second.Select(p => p.Input.Name!["de"]));
        Assert.All(first.SelectMany(p => p.CategorySlugs), slug => Assert.Contains(DemoCatalog.Categories, c => c.Slug == slug));
        // A garden shop sells mostly garden goods.
        Assert.True(first.Count(p => DemoCatalog.Categories.First(c => c.Slug == p.CategorySlugs[0]).ParentSlug == "garten") > 1_000);
    }
}
