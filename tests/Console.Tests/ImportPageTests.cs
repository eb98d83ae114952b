using System.Text.Json;
using MachCommerce.MerchantConsole.Catalog;
using Microsoft.AspNetCore.Components.Forms;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;

namespace MachCommerce.Console.Tests;

public sealed class ImportPageTests : ConsolePageContext
{
    private static readonly Guid Garden = Guid.Parse("0192f0a0-0000-7000-8000-000000000001");

    [Fact]
    public void A_file_is_read_before_anything_is_sent_and_its_bad_lines_are_named_with_their_reasons()
    {
        SignedInWith("catalog:read", "catalog:write");
        CategoryTree();
        var page = RenderPage<ImportPage>();

        page.FindComponent<InputFile>().UploadFiles(InputFileContent.CreateFromText("""
            sku,name_de,categories,price_gross,tax_rate,stock
            A-1,Eimer,garten,"1.299,50",7,3
            B-1,Besen,keller,4.99,19,1
            C-1,Schaufel,,12,19,viele
            """, "artikel.csv"));

        page.WaitForAssertion(() => Assert.Contains("3 Zeilen gelesen: 1 Produkte mit 1 Varianten zu importieren, 2 Zeilen mit Fehlern.", Spaced(page.Find("#file-summary").TextContent), StringComparison.Ordinal));
        var errors = page.FindAll("#row-errors tbody tr").Select(row => row.TextContent).ToList();
        Assert.Equal(2, errors.Count);
        Assert.Contains("keller", errors[0], StringComparison.Ordinal);
        Assert.StartsWith("3", errors[0].Trim(), StringComparison.Ordinal);
        Assert.Contains("„viele“ ist keine ganze Zahl", errors[1], StringComparison.Ordinal);
        Assert.DoesNotContain(PlatformDouble.LogEntries, entry => entry.RequestMessage.Path.EndsWith("/bulk", StringComparison.Ordinal)); // nothing sent yet
    }

    [Fact]
    public void Importing_sends_only_the_good_products_and_puts_the_platforms_refusal_on_the_line_of_the_variant_it_names()
    {
        SignedInWith("catalog:read", "catalog:write");
        CategoryTree();
        PlatformDouble.Given(Request.Create().WithPath("/api/catalog/products/bulk").UsingPost()).RespondWith(Response.Create().WithStatusCode(200).WithBodyAsJson(new
        {
            created = 1, updated = 0, failed = 1,
            items = new object[]
            {
                new { index = 0, sku = "A-1", status = "created", id = Guid.NewGuid(), version = 1, errors = (object?)null },
                new { index = 1, sku = "B-1", status = "failed", id = (Guid?)null, version = (int?)null, errors = new Dictionary<string, string[]> { ["variants[1].priceGross"] = ["must be from 0 to 1000000 EUR."] } },
            },
        }));
        var page = RenderPage<ImportPage>();
        page.FindComponent<InputFile>().UploadFiles(InputFileContent.CreateFromText("""
            sku;name_de;variant_sku;option_size;price_gross;categories
            A-1;Eimer;A-1;;9,99;garten
            B-1;Besen;B-1-S;S;4,99;
            B-1;Besen;B-1-L;L;99999999;
            """, "artikel.csv"));
        page.WaitForElement("#import").Click();

        page.WaitForAssertion(() => Assert.Contains("1 neu angelegt, 0 aktualisiert, 1 von der Plattform abgelehnt", Spaced(page.Find("#outcome").TextContent), StringComparison.Ordinal));
        var refusal = Assert.Single(page.FindAll("#row-errors tbody tr")).TextContent;
        Assert.StartsWith("4", refusal.Trim(), StringComparison.Ordinal); // B-1's second variant is on line 4
        Assert.Contains("variants[1].priceGross: must be from 0 to 1000000 EUR.", refusal, StringComparison.Ordinal);

        var sent = JsonDocument.Parse(Assert.Single(PlatformDouble.LogEntries, e => e.RequestMessage.Path.EndsWith("/bulk", StringComparison.Ordinal)).RequestMessage.Body!).RootElement;
        var items = sent.GetProperty("items");
        Assert.Equal(2, items.GetArrayLength());
        Assert.Equal(Garden, items[0].GetProperty("categoryIds")[0].GetGuid());
        Assert.Equal(9.99m, items[0].GetProperty("variants")[0].GetProperty("priceGross").GetDecimal());
        Assert.Equal("L", items[1].GetProperty("variants")[1].GetProperty("options").GetProperty("size").GetString());
    }

    [Fact]
    public void A_person_who_may_not_change_the_catalog_is_offered_no_import()
    {
        SignedInWith("catalog:read", "profiles:read");
        var page = RenderPage<ImportPage>();
        Assert.Contains("Das darf Ihre Rolle nicht", page.Find("#problem").TextContent, StringComparison.Ordinal);
        Assert.Empty(page.FindComponents<InputFile>());
    }

    /// <summary>The text as a reader sees it: the markup's line breaks and indentation as single spaces.</summary>
    private static string Spaced(string text) => System.Text.RegularExpressions.Regex.Replace(text, @"\s+", " ");

    private void CategoryTree() =>
        PlatformDouble.Given(Request.Create().WithPath("/api/catalog/categories").UsingGet()).RespondWith(Response.Create().WithStatusCode(200).WithBodyAsJson(new[]
        {
            new { id = Garden, parentId = (Guid?)null, slug = "garten", name = new Dictionary<string, string> { ["de"] = "Garten" }, position = 0, version = 1, children = Array.Empty<object>() },
        }));
}
