using System.Text;
using MachCommerce.MerchantConsole.Catalog;

namespace MachCommerce.Console.Tests;

public sealed class ProductCsvTests
{
    private static CsvReadResult Read(string text, bool byteOrderMark = false)
    {
        var bytes = Encoding.UTF8.GetBytes(text);
        using var file = new MemoryStream(byteOrderMark ? [.. Encoding.UTF8.Preamble, .. bytes] : bytes);
        return ProductCsv.Read(file, new Dictionary<string, Guid>(StringComparer.OrdinalIgnoreCase), ConsoleTextsTests.Localizer, CancellationToken.None);
    }

    [Theory]
    [InlineData("\"1.299,50\"", 1299.50)]
    [InlineData("1299.50", 1299.50)]
    [InlineData("\"12,99 €\"", 12.99)]
    [InlineData("7", 7)]
    public void Prices_read_as_a_merchant_writes_them(string written, double expected)
    {
        var result = Read($"sku,price_gross\nA-1,{written}\n");
        Assert.Empty(result.Errors);
        Assert.Equal((decimal)expected, Assert.Single(result.Products).Product.Variants![0].PriceGross);
    }

    [Fact]
    public void Excels_German_file_reads_with_its_byte_order_mark_semicolons_and_quoted_texts()
    {
        var result = Read("SKU;Name_DE;tax_rate;backorderable\nA-1;\"Eimer; verzinkt\";7;ja\n", byteOrderMark: true);
        var product = Assert.Single(result.Products).Product;
        Assert.Equal("Eimer; verzinkt", product.Name!["de"]);
        Assert.Equal(0.07m, product.Variants![0].TaxRate);
        Assert.True(product.Variants[0].Backorderable);
        Assert.Equal("draft", product.Status); // nothing is published by accident
    }

    [Fact]
    public void A_file_without_a_sku_column_says_so_and_reads_nothing()
    {
        var result = Read("name_de;price_gross\nEimer;3\n");
        Assert.Empty(result.Products);
        Assert.Contains("„sku“ fehlt", Assert.Single(result.Errors).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Unknown_columns_are_named_and_empty_lines_are_no_errors()
    {
        var result = Read("sku;farbe;price_gross\nA-1;rot;3\n;;\n");
        Assert.Single(result.Products);
        Assert.Contains("farbe", Assert.Single(result.Errors).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_platform_error_lands_on_its_variants_line_and_anything_else_on_the_products_first()
    {
        var product = new CsvProduct(new MachCommerce.Api.Catalog.ProductInput(), [4, 7, 9]);
        Assert.Equal(7, ProductCsv.LineOf(product, "variants[1].priceGross"));
        Assert.Equal(4, ProductCsv.LineOf(product, "name"));
        Assert.Equal(4, ProductCsv.LineOf(product, "variants[8].sku"));
    }
}
