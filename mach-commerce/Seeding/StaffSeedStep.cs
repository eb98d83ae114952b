using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace MachCommerce.Launcher.Seeding;

/// <summary>A demo staff account: who, in which shop, in which role.</summary>
internal sealed record DemoStaffMember(string TenantId, string Role, string Email);

/// <summary>The demo staff and the one password they share (made for this data folder, never a fixed one).</summary>
internal sealed record DemoStaff(string Password, IReadOnlyList<DemoStaffMember> Members);

/// <summary>
/// One person per role in each member shop (<c>marketing@garten-lindner.example</c> and so on; the .example domain
/// is reserved, so no mail can reach anyone), made as a shop's owner and a new colleague would: the owner invites
/// through the identity API (no mail server locally, so the link comes back in the answer) and the colleague opens
/// the link and sets the password on the service's own page, antiforgery token and all.
/// </summary>
internal sealed partial class StaffSeedStep : ISeedStep
{
    public static readonly string[] Roles = ["owner", "marketing", "catalog", "support", "read-only"];

    public string Name => "staff";

    public string Service => "identity";

    public static string StaffFile(string dataDirectory) => Path.Combine(dataDirectory, "demo-staff.json");

    public static DemoStaff? ReadStaff(string dataDirectory) =>
        File.Exists(StaffFile(dataDirectory)) ? JsonSerializer.Deserialize<DemoStaff>(File.ReadAllText(StaffFile(dataDirectory))) : null;

    public static string Email(string role, string tenantId) => $"{role}@{tenantId}.example";

    public async Task RunAsync(SeedContext context, CancellationToken cancellationToken)
    {
        // Random per data folder (not a well-known demo password), long enough for the password rules, easy to type.
        var password = "demo-" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8));
        var members = new List<DemoStaffMember>();
        foreach (var shop in DemoCooperative.Shops)
        {
            var owner = context.ClientFor("identity", shop);
            foreach (var role in Roles)
            {
                var email = Email(role, shop.TenantId);
                var response = await owner.PostAsJsonAsync("/staff", new { email, role }, cancellationToken);
                response.EnsureSuccessStatusCode();
                var invited = await response.Content.ReadFromJsonAsync<JsonElement>(cancellationToken);
                // With a mail server configured the link went to the (unreachable) address instead: no usable account, none listed.
                if (invited.GetProperty("invitationUrl").GetString() is { } link)
                {
                    await AcceptAsync(new Uri(link), password, cancellationToken);
                    members.Add(new DemoStaffMember(shop.TenantId, role, email));
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
