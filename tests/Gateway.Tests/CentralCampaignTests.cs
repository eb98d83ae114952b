using MachCommerce.Api.Personalization;
using Microsoft.Playwright;
using System.Net;

namespace MachCommerce.Gateway.Tests;

/// <summary>
/// A cooperative's central campaign through the gateway, with the real services: the cooperative's marketing staff
/// keep it in their central level (no X-Tenant), a member shop takes part with its own key and its storefront shows
/// the offer to its own visitors, the other member's storefront does not, and the results reach the cooperative.
/// </summary>
[Collection(WholePlatform.Name)]
public sealed class CentralCampaignTests(PlatformFixture platform) : CooperativeTest(platform)
{
    [Fact]
    public async Task A_cooperatives_central_campaign_reaches_the_storefront_of_a_member_that_takes_part_and_no_other()
    {
        var (cooperative, memberA, memberB) = await CooperativeAsync();
        using var staff = Platform.Client(await StaffTokenAsync(cooperative, "marketing"));
        var (created, campaign) = await SendAsync(staff, null, HttpMethod.Post, "/api/personalization/central/campaigns", new
        {
            name = "Verbund-Gartenwochen",
            offer = new
            {
                placements = new[] { "home-hero" },
                content = new { de = new { headline = "Gartenwochen bei Ihrem Fachhändler" }, en = new { headline = "Garden weeks at your local dealer" } },
                incentive = new { type = "percent", value = 10, code = "GARTEN10" },
                priority = 900,
            },
            limits = new { maxIncentive = 15, locked = new[] { "content" } },
            measure = false,
        });
        Assert.True(created == HttpStatusCode.Created, campaign.ToString());
        Assert.Equal(cooperative, campaign.GetProperty("cooperative").GetString());
        var id = campaign.GetProperty("id").GetGuid();
        Assert.Equal(HttpStatusCode.OK, (await SendAsync(staff, null, HttpMethod.Post, $"/api/personalization/central/campaigns/{id}/publish")).Status);

        // Member A takes part with its own admin key, through the typed client, at 15 %.
        using var client = MachCommerceClient.Create(o => { o.BaseAddress = Platform.Gateway.Address; o.ApiKey = memberA.AdminKey; });
        var offered = Assert.Single((await client.CentralCampaigns.ListAsync()).Items);
        Assert.Null(offered.Participation);
        var joined = await client.CentralCampaigns.JoinAsync(id, new CampaignAdjustments(null, new OfferIncentive(null, 15, null), null, null, null));
        var refused = await Assert.ThrowsAsync<MachCommerceApiException>(() =>
            client.CentralCampaigns.JoinAsync(id, new CampaignAdjustments(null, null, null, new() { ["de"] = new OfferContent("Eigene Überschrift", null, null, null, null) }, null)));
        Assert.Equal(["content"], refused.Errors.Keys);

        // A's storefront shows the campaign to its visitors with A's incentive; B's storefront does not.
        using var storefrontA = Platform.Client(await memberA.StorefrontKeyAsync());
        using var storefrontB = Platform.Client(await memberB.StorefrontKeyAsync());
        const string Query = """{ offers(placement: "home-hero") { offers { id headline incentive { value code } } } }""";
        var shownA = (await storefrontA.DataAsync(Query, visitorId: "v-" + Guid.NewGuid().ToString("N")[..10])).GetProperty("offers").GetProperty("offers").EnumerateArray().ToList();
        var offer = Assert.Single(shownA, o => o.GetProperty("id").GetString() == joined.OfferId.ToString());
        Assert.Equal("Gartenwochen bei Ihrem Fachhändler", offer.GetProperty("headline").GetString());
        Assert.Equal(15m, decimal.Parse(offer.GetProperty("incentive").GetProperty("value").GetString()!, System.Globalization.CultureInfo.InvariantCulture)); // Decimal is a string in GraphQL
        var shownB = (await storefrontB.DataAsync(Query, visitorId: "v-" + Guid.NewGuid().ToString("N")[..10])).GetProperty("offers").GetProperty("offers").EnumerateArray();
        Assert.DoesNotContain(shownB, o => o.GetProperty("headline").GetString() == "Gartenwochen bei Ihrem Fachhändler");

        // A shop taking part in a campaign does not leave the cooperative before it leaves the campaign.
        using var operatorClient = Platform.Client(PlatformFixture.PlatformKey);
        var detach = await operatorClient.DeleteAsync($"/api/admin/cooperatives/{cooperative}/members/{memberA.Id}");
        Assert.Equal(HttpStatusCode.Conflict, detach.StatusCode);
        Assert.Contains("central campaign", await detach.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        // The cooperative sees who takes part and the (unmeasured) results; a storefront key sees nothing of it.
        var (_, results) = await SendAsync(staff, null, HttpMethod.Get, $"/api/personalization/central/campaigns/{id}/results");
        var row = Assert.Single(results.GetProperty("members").EnumerateArray());
        Assert.Equal(memberA.Id, row.GetProperty("tenantId").GetString());
        Assert.Contains("Not measured", row.GetProperty("withheld").GetString(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Forbidden, (await storefrontA.GetAsync($"/api/personalization/central/campaigns/{id}")).StatusCode);

        // A shop outside the cooperative sees no campaign.
        var alone = await Platform.NewTenantAsync();
        using var aloneAdmin = alone.Admin();
        Assert.Equal(HttpStatusCode.NotFound, (await aloneAdmin.GetAsync($"/api/personalization/central/campaigns/{id}")).StatusCode);
    }

    [Fact]
    public async Task A_cooperatives_campaign_is_made_in_the_console_taken_by_a_member_there_and_its_results_read_by_the_cooperative()
    {
        var (cooperative, member, _) = await CooperativeAsync();

        // The cooperative's marketing person makes a campaign in the console and publishes it.
        var central = await ConsoleAsCooperativeStaffAsync(cooperative, "marketing");
        await Assertions.Expect(central.GetByRole(AriaRole.Link, new() { Name = "Verbundkampagnen" })).ToBeVisibleAsync();
        await OpenAsync(central, "/cooperative/campaigns");
        await central.GetByLabel("Name").FillAsync("Herbstaktion");
        await central.GetByLabel("Überschrift").FillAsync("Herbstaktion bei Ihrem Fachhändler");
        await central.GetByLabel("Höchstrabatt für Mitglieder in Prozent").FillAsync("20");
        await central.GetByRole(AriaRole.Button, new() { Name = "Als Entwurf anlegen" }).ClickAsync();
        await central.GetByRole(AriaRole.Button, new() { Name = "Herbstaktion veröffentlichen" }).ClickAsync();
        await Assertions.Expect(central.Locator("[data-campaign='Herbstaktion']")).ToContainTextAsync("veröffentlicht");

        // The member shop's owner takes part at 25 % (refused: the maximum is 20), then at 18 %.
        using var admin = member.Admin();
        var (page, _) = await SignedInAsync(admin, member.Id, "owner");
        await OpenAsync(page, "/cooperative/campaigns");
        var percent = page.GetByLabel("Ihr Rabatt in Prozent (bis 20)");
        await percent.FillAsync("25");
        await page.GetByRole(AriaRole.Button, new() { Name = "Bei Herbstaktion mitmachen" }).ClickAsync();
        await Assertions.Expect(page.Locator("#action-problem")).ToContainTextAsync("at most 20");
        await percent.FillAsync("18");
        await page.GetByRole(AriaRole.Button, new() { Name = "Bei Herbstaktion mitmachen" }).ClickAsync();
        await Assertions.Expect(page.Locator("#participation")).ToContainTextAsync("mit 18 % Rabatt");
        await AssertAccessibleAsync(page);
        await ScreenshotAsync(page, "console-central-campaign-member");

        // The shop's offers list the campaign's copy; the cooperative sees the member taking part and its (not yet measurable) result.
        await OpenAsync(page, "/offers");
        await Assertions.Expect(page.GetByText("Herbstaktion").First).ToBeVisibleAsync();
        await central.ReloadAsync();
        var card = central.Locator("[data-campaign='Herbstaktion']");
        await Assertions.Expect(card).ToContainTextAsync("1 teilnehmende Geschäfte");
        await Assertions.Expect(card).ToContainTextAsync(member.Id);
        await Assertions.Expect(card).ToContainTextAsync("Noch hat kein Mitgliedsbetrieb genug Besucher");
        await AssertAccessibleAsync(central);
        await ScreenshotAsync(central, "console-central-campaigns");
    }
}
