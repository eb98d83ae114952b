using MachCommerce.Api.Profiles;
using System.Net;

namespace MachCommerce.Gateway.Tests;

/// <summary>
/// The cooperative consent: a member shop's customer may consent to sharing their contact with the shop's cooperative
/// (purpose "cooperative", with its history); the cooperative's staff read exactly those contacts, of their own
/// members only, and a withdrawal, a change of the profile and an erasure reach the cooperative's copy at once.
/// </summary>
[Collection(WholePlatform.Name)]
public sealed class CooperativeConsentTests(PlatformFixture platform) : CooperativeTest(platform)
{
    private static readonly ConsentInput Granted = new(true, "storefront", "2026-11");

    [Fact]
    public async Task A_cooperative_reads_the_contacts_of_its_members_customers_who_consented_and_loses_them_with_the_consent_or_the_erasure()
    {
        var (cooperative, memberA, memberB) = await CooperativeAsync();
        using var shopA = Shop(memberA.AdminKey);
        using var shopB = Shop(memberB.AdminKey);
        var anna = await shopA.Profiles.CreateProfileAsync(Person("anna"));
        var bert = await shopA.Profiles.CreateProfileAsync(Person("bert"));
        var carla = await shopB.Profiles.CreateProfileAsync(Person("carla"));

        // A member shop asks its customers about a fourth purpose; Anna and Carla consent, Bert consents to e-mails only.
        Assert.Equal(["personalization", "marketing_email", "analytics", "cooperative"], (await shopA.ProfileRights.GetConsentsAsync(anna.Id)).Select(c => c.Purpose));
        await shopA.ProfileRights.SetConsentAsync(anna.Id, "cooperative", Granted);
        await shopA.ProfileRights.SetConsentAsync(bert.Id, "marketing_email", Granted);
        await shopB.ProfileRights.SetConsentAsync(carla.Id, "cooperative", Granted);

        using var staff = Platform.Client(await StaffTokenAsync(cooperative, "marketing"));
        var contacts = await ContactsAsync(staff);
        Assert.Equal(new[] { (memberA.Id, anna.Id), (memberB.Id, carla.Id) }.Order(), contacts.Select(c => (c.MemberShop, c.ProfileId)).Order());
        var shared = contacts.Single(c => c.ProfileId == anna.Id);
        Assert.Equal((anna.Email, "Anna", "2026-11"), (shared.Email, shared.FirstName, shared.PolicyVersion));
        Assert.Equal([carla.Id], (await ContactsAsync(staff, $"?memberShop={memberB.Id}")).Select(c => c.ProfileId));

        // The cooperative's marketing person reads the same two in the console.
        var console = await ConsoleAsCooperativeStaffAsync(cooperative, "marketing");
        await console.Locator("#contacts").GetByText(carla.Email!).WaitForAsync();
        Assert.Equal(2, await console.Locator("#contacts tbody tr").CountAsync());
        await ScreenshotAsync(console, "console-cooperative-contacts");
        await AssertAccessibleAsync(console);

        // Nobody else reads them: not a member shop (its own customers are at /profiles), not another cooperative.
        var refused = await Assert.ThrowsAsync<MachCommerceApiException>(() => shopA.ProfileRights.ListCooperativeContactsAsync());
        Assert.Equal(HttpStatusCode.Forbidden, refused.Status);
        var (other, _, _) = await CooperativeAsync();
        using var otherStaff = Platform.Client(await StaffTokenAsync(other, "marketing"));
        Assert.Empty(await ContactsAsync(otherStaff));

        // The shared copy follows the profile, and the consent: Anna's new address reaches it, her withdrawal ends it.
        var changed = await shopA.Profiles.ReplaceProfileAsync(anna.Id, Person("anna") with { Email = $"anna.neu-{Guid.NewGuid():N}@kunde.example" }, ETags.Of(anna.Version));
        Assert.Equal(changed.Email, (await ContactsAsync(staff)).Single(c => c.ProfileId == anna.Id).Email);
        var export = await shopA.ProfileRights.ExportAsync(anna.Id);
        Assert.Equal(cooperative, Assert.Single(export.GetProperty("sharedWithCooperative").EnumerateArray()).GetProperty("cooperative_id").GetString());
        await shopA.ProfileRights.SetConsentAsync(anna.Id, "cooperative", Granted with { Granted = false });
        Assert.DoesNotContain(await ContactsAsync(staff), c => c.ProfileId == anna.Id);
        Assert.Equal([true, false], (await shopA.ProfileRights.GetConsentHistoryAsync(anna.Id)).Where(c => c.Purpose == "cooperative").Select(c => c.Granted));

        // An erasure in the member shop reaches the cooperative's rows in the same step.
        await shopB.ProfileRights.EraseAsync(carla.Id);
        Assert.Empty(await ContactsAsync(staff));
    }

    [Fact]
    public async Task A_shop_outside_any_cooperative_has_no_cooperative_purpose_and_bad_listing_input_is_a_field_error()
    {
        var tenant = await Platform.NewTenantAsync();
        using var shop = Shop(tenant.AdminKey);
        var dora = await shop.Profiles.CreateProfileAsync(Person("dora"));
        Assert.Equal(["personalization", "marketing_email", "analytics"], (await shop.ProfileRights.GetConsentsAsync(dora.Id)).Select(c => c.Purpose));
        var refused = await Assert.ThrowsAsync<MachCommerceApiException>(() => shop.ProfileRights.SetConsentAsync(dora.Id, "cooperative", Granted));
        Assert.Equal(HttpStatusCode.BadRequest, refused.Status);
        Assert.Contains("belongs to no cooperative", Assert.Single(refused.Errors["purpose"]), StringComparison.Ordinal);
        Assert.Empty(await shop.ProfileRights.GetConsentHistoryAsync(dora.Id));

        var (cooperative, _, _) = await CooperativeAsync();
        using var staff = Platform.Client(await StaffTokenAsync(cooperative, "marketing"));
        var (status, body) = await SendAsync(staff, null, HttpMethod.Get, "/api/profiles/cooperative/contacts?limit=0&cursor=nonsense");
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal(["cursor", "limit"], body.GetProperty("errors").EnumerateObject().Select(e => e.Name).Order());
    }

    private MachCommerceClient Shop(string key) => MachCommerceClient.Create(o => { o.BaseAddress = Platform.Gateway.Address; o.ApiKey = key; });

    private static ProfileInput Person(string name) => new()
    {
        Kind = "person", Email = $"{name}-{Guid.NewGuid():N}@kunde.example", FirstName = char.ToUpperInvariant(name[0]) + name[1..], LastName = "Muster", Locale = "de",
    };

    private static async Task<List<CooperativeContactView>> ContactsAsync(HttpClient staff, string query = "")
    {
        var (status, body) = await SendAsync(staff, null, HttpMethod.Get, "/api/profiles/cooperative/contacts" + query);
        Assert.True(status == HttpStatusCode.OK, body.ToString());
        return body.GetProperty("items").Deserialize<List<CooperativeContactView>>(JsonSerializerOptions.Web)!;
    }
}
