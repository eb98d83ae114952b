using System.Security.Cryptography;
using System.Text.RegularExpressions;

namespace MachCommerce.Launcher.Seeding;

/// <summary>A demo staff account: who, where (a shop, or the cooperative across its shops), in which role.</summary>
internal sealed record DemoStaffMember(string Place, string Role, string Email);

/// <summary>The demo staff and the one password they share (made for this data folder, never a fixed one).</summary>
internal sealed record DemoStaff(string Password, IReadOnlyList<DemoStaffMember> Members);

/// <summary>
/// One person per role in each member shop (<c>marketing@garten-lindner.example</c> and so on; the .example domain
/// is reserved, so no mail can reach anyone) and in the cooperative (<c>marketing@einkaufsverbund-sued.example</c>,
/// acting in each member shop), made as an owner and a new colleague would: the shop's owner (the platform operator,
/// for the cooperative) invites through the API (no mail server locally, so the link comes back in the answer) and
/// the colleague opens the link and sets the password on the service's own page, antiforgery token and all.
/// </summary>
internal sealed partial class StaffSeedStep : ISeedStep
{
    public static readonly string[] Roles = ["owner", "marketing", "catalog", "support", "read-only"];

    /// <summary>The demo platform operator's place: operator@platform.example.</summary>
    public const string PlatformPlace = "platform";

    public string Name => "staff";

    public string Service => "identity";

    public static string StaffFile(string dataDirectory) => Path.Combine(dataDirectory, "demo-staff.json");

    public static DemoStaff? ReadStaff(string dataDirectory) =>
        File.Exists(StaffFile(dataDirectory)) ? JsonSerializer.Deserialize<DemoStaff>(File.ReadAllText(StaffFile(dataDirectory))) : null;

    public static string Email(string role, string place) => $"{role}@{place}.example";

    public async Task RunAsync(SeedContext context, CancellationToken cancellationToken)
    {
        // Random per data folder (not a well-known demo password), long enough for the password rules, easy to type.
        var password = "demo-" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8));
        var members = new List<DemoStaffMember>();
        var platform = context.PlatformClient();
        var places = DemoCooperative.Shops.Select(shop => (shop.TenantId, Inviter: context.ClientFor("identity", shop), Path: "/staff", Roles))
            .Append((DemoCooperative.Id, Inviter: platform, Path: $"/api/admin/cooperatives/{DemoCooperative.Id}/staff", Roles))
            .Append((PlatformPlace, Inviter: platform, Path: "/api/admin/operators", Roles: ["operator"]));
        foreach (var (place, inviter, path, roles) in places)
        {
            foreach (var role in roles)
            {
                var email = Email(role, place);
                var response = await inviter.PostAsJsonAsync(path, new { email, role }, cancellationToken);
                response.EnsureSuccessStatusCode();
                var invited = await response.Content.ReadFromJsonAsync<JsonElement>(cancellationToken);
                // With a mail server configured the link went to the (unreachable) address instead: no usable account, none listed.
                if (invited.GetProperty("invitationUrl").GetString() is { } link)
                {
                    await AcceptAsync(new Uri(link), password, cancellationToken);
                    members.Add(new DemoStaffMember(place, role, email));
                }
            }
        }

        await SeedContext.WritePrivateAsync(StaffFile(context.DataDirectory), new DemoStaff(password, members), cancellationToken);
    }

    /// <summary>Opens the invitation page and sends its form with the new password, as the invitee's browser would.</summary>
    private static async Task AcceptAsync(Uri link, string password, CancellationToken cancellationToken)
    {
        using var browser = new HttpClient(new HttpClientHandler { CookieContainer = new CookieContainer() }) { Timeout = TimeSpan.FromMinutes(1) };
        var page = await browser.GetStringAsync(link, cancellationToken);
        var fields = HiddenField().Matches(page).ToDictionary(m => WebUtility.HtmlDecode(m.Groups[1].Value), m => WebUtility.HtmlDecode(m.Groups[2].Value));
        fields["password"] = password;
        fields["repeat"] = password;
        using var set = await browser.PostAsync(new Uri(link, "/account/invitation"), new FormUrlEncodedContent(fields), cancellationToken);
        if (!set.IsSuccessStatusCode)
        {
            throw new InvalidOperationException($"Setting a demo staff password failed ({(int)set.StatusCode}): {await set.Content.ReadAsStringAsync(cancellationToken)}");
        }
    }

    [GeneratedRegex("<input type=\"hidden\" name=\"([^\"]+)\" value=\"([^\"]*)\"")]
    private static partial Regex HiddenField();
}
