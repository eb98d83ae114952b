using MachCommerce.Launcher.DemoData;
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
        // The launcher writes the slugs itself (numbered, since names repeat), exactly as the catalog would from the name.
        Assert.All(first.Select((p, i) => (p, i)), x => Assert.Equal($"{Search.Slugs.From(x.p.Input.Name!["de"])}-{x.i + 1}", x.p.Input.Slug));
        Assert.Equal(first.SelectMany(p => p.Input.Variants!).Count(), first.SelectMany(p => p.Input.Variants!).Select(v => v.Sku).Distinct().Count());
        Assert.Equal(first.Select(p => p.Input.Name!["de"]), second.Select(p => p.Input.Name!["de"]));
        Assert.All(first.SelectMany(p => p.CategorySlugs), slug => Assert.Contains(DemoCatalog.Categories, c => c.Slug == slug));
        // A garden shop sells mostly garden goods.
        Assert.True(first.Count(p => DemoCatalog.Categories.First(c => c.Slug == p.CategorySlugs[0]).ParentSlug == "garten") > 1_000);
    }

    [Fact]
    public void Demo_texts_say_the_same_in_German_and_English_and_colours_are_translated()
    {
        var products = DemoCatalog.Products(500, "hardware", 11, "H").ToList();

        foreach (var product in products)
        {
            var years = System.Text.RegularExpressions.Regex.Match(product.Input.Description!["de"], @"(\d+) Jahren").Groups[1].Value;
            Assert.Contains($"{years}-year", product.Input.Description!["en"], StringComparison.Ordinal);
            Assert.True(product.Input.Images!.All(image => image.Alt!.ContainsKey("en")));
        }

        var coloured = products.SelectMany(p => p.Input.Variants!).Where(v => v.Options!.ContainsKey("farbe")).ToList();
        Assert.NotEmpty(coloured);
        Assert.All(coloured, variant => Assert.NotEqual(variant.Options!["farbe"], variant.OptionLabels!["en"]["farbe"]));
    }
}
