using MachCommerce.MerchantConsole.Customers;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;

namespace MachCommerce.Console.Tests;

public sealed class CustomerPageTests : ConsolePageContext
{
    private static readonly Guid Erika = Guid.Parse("0192f0a0-0000-7000-8000-0000000000e1");

    [Fact]
    public void Support_is_offered_export_and_erasure_and_erasing_asks_first()
    {
        SignedInWith("catalog:read", "profiles:read", "profiles:write", "gdpr:export", "gdpr:erase");
        Customer();
        var page = RenderPage<CustomerPage>(("Id", Erika));

        page.WaitForElement("#export");
        Assert.Equal("Erika Mustermann", page.Find("h1").TextContent);
        page.WaitForAssertion(() => Assert.Equal(2, page.FindAll("#consent-history tbody tr").Count));
        Assert.Contains("Werbung per E-Mail", page.FindAll("#consent-history tbody tr")[0].TextContent, StringComparison.Ordinal); // newest first
        page.Find("#erase").Click();
        // The confirmation renders after the click's event has run, which on a busy machine can be after this line.
        Assert.Contains("nicht rückgängig", page.WaitForElement("#erase-confirmation").TextContent, StringComparison.Ordinal);
        Assert.DoesNotContain(PlatformDouble.LogEntries, e => e.RequestMessage.Path.EndsWith("/erasure", StringComparison.Ordinal)); // asked, not done
    }

    [Fact]
    public void A_read_only_person_reads_the_customer_and_is_offered_neither_export_nor_erasure()
    {
        SignedInWith("catalog:read", "profiles:read");
        Customer();
        var page = RenderPage<CustomerPage>(("Id", Erika));

        page.WaitForAssertion(() => Assert.Equal("Erika Mustermann", page.Find("h1").TextContent));
        Assert.Empty(page.FindAll("#gdpr, #export, #erase"));
    }

    [Fact]
    public void A_customer_who_is_gone_is_said_in_the_platforms_words()
    {
        SignedInWith("profiles:read");
        PlatformDouble.Given(Request.Create().WithPath($"/api/profiles/profiles/{Erika}*").UsingGet()).RespondWith(Response.Create().WithStatusCode(404)
            .WithHeader("Content-Type", "application/problem+json").WithBodyAsJson(new { status = 404, title = "Not found", detail = $"No profile {Erika} in this shop." }));
        var page = RenderPage<CustomerPage>(("Id", Erika));

        page.WaitForAssertion(() => Assert.Contains($"No profile {Erika} in this shop.", page.Find("#problem").TextContent, StringComparison.Ordinal));
    }

    private void Customer()
    {
        Get($"/api/profiles/profiles/{Erika}", new
        {
            id = Erika, kind = "person", email = "erika@example.com", firstName = "Erika", lastName = "Mustermann", addresses = Array.Empty<object>(),
            traits = new { }, preferences = new { }, contacts = Array.Empty<object>(), version = 3, createdAt = DateTimeOffset.UtcNow.AddDays(-30), updatedAt = DateTimeOffset.UtcNow,
        });
        Get($"/api/profiles/profiles/{Erika}/consents", new[] { Consent("personalization", true, 2), Consent("marketing_email", true, 1) });
        Get($"/api/profiles/profiles/{Erika}/consents/history", new[] { Consent("personalization", true, 2), Consent("marketing_email", true, 1) });
        Get($"/api/profiles/profiles/{Erika}/visitors", Array.Empty<object>());
    }

    private static object Consent(string purpose, bool granted, int daysAgo) =>
        new { purpose, granted, source = "storefront", policyVersion = "2026-11", recordedBy = "customer", recordedAt = DateTimeOffset.UtcNow.AddDays(-daysAgo) };

    private void Get(string path, object body) =>
        PlatformDouble.Given(Request.Create().WithPath(path).UsingGet()).RespondWith(Response.Create().WithStatusCode(200).WithBodyAsJson(body));
}
