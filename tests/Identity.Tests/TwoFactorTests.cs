using System.Text;
using OtpNet;

namespace MachCommerce.Identity.Tests;

/// <summary>TOTP as a second factor for staff, through the service's own pages, with codes computed as an authenticator app does (Otp.NET).</summary>
public sealed partial class TwoFactorTests(IdentityFixture identity) : IClassFixture<IdentityFixture>
{
    private const string Password = "Heckenschere-im-Mai";

    [Fact]
    public async Task A_person_switches_on_a_second_factor_and_then_signs_in_with_password_and_code_or_a_recovery_code_once()
    {
        var tenant = IdentityFixture.NewTenant();
        var email = await StaffMemberAsync(tenant);
        using var browser = new Browser(identity.Address);
        Assert.Equal(HttpStatusCode.Redirect, (await browser.SubmitWithLocationAsync("/account/login", new() { ["email"] = email, ["password"] = Password })).Status);

        // The set-up page shows the key; a wrong code is refused, the app's current one switches it on and shows recovery codes once.
        var setUp = await browser.GetStringAsync("/account/two-factor");
        var totp = new Totp(Base32Encoding.ToBytes(Key().Match(setUp).Groups[1].Value.Replace(" ", "", StringComparison.Ordinal).ToUpperInvariant()));
        Assert.Contains("otpauth://totp/", setUp, StringComparison.Ordinal);
        var (wrong, wrongPage, _) = await browser.PostFormAsync(setUp, new() { ["code"] = Wrong(totp.ComputeTotp()) });
        Assert.Equal(HttpStatusCode.BadRequest, wrong);
        var (on, onPage, _) = await browser.PostFormAsync(wrongPage, new() { ["code"] = totp.ComputeTotp() });
        Assert.Equal(HttpStatusCode.OK, on);
        var recovery = RecoveryCode().Matches(onPage).Select(m => m.Groups[1].Value).ToList();
        Assert.Equal(10, recovery.Count);
        Assert.DoesNotContain("recovery-codes", await browser.GetStringAsync("/account/two-factor"), StringComparison.Ordinal);

        // The password alone no longer signs in: it leads to the code step.
        using var next = new Browser(identity.Address);
        var (afterPassword, _, codeStep) = await next.SubmitWithLocationAsync("/account/login", new() { ["email"] = email, ["password"] = Password });
        Assert.Equal(HttpStatusCode.Redirect, afterPassword);
        Assert.StartsWith("/account/login/code", codeStep, StringComparison.Ordinal);
        var (badCode, badPage, _) = await next.SubmitWithLocationAsync(codeStep!, new() { ["code"] = Wrong(totp.ComputeTotp()) });
        Assert.Equal(HttpStatusCode.Unauthorized, badCode);
        var code = totp.ComputeTotp();
        var (good, _, signedIn) = await next.PostFormAsync(badPage, new() { ["code"] = code });
        Assert.Equal((HttpStatusCode.Redirect, "/account/login?signedIn=1"), (good, signedIn));

        // A code that signed in once does not again, though its 90 seconds have not passed (someone who saw it typed).
        Assert.Equal(HttpStatusCode.Unauthorized, await SignInWithCodeAsync(email, code));

        // A recovery code works once.
        Assert.Equal(HttpStatusCode.Redirect, await SignInWithCodeAsync(email, recovery[0]));
        Assert.Equal(HttpStatusCode.Unauthorized, await SignInWithCodeAsync(email, recovery[0]));

        var audit = await identity.Owner(tenant).GetFromJsonAsync<JsonElement>("/audit");
        var entries = audit.GetProperty("items").EnumerateArray().Select(e => (e.GetProperty("action").GetString(), e.TryGetProperty("detail", out var d) ? d.GetString() : null)).ToList();
        Assert.Contains(("staff.two_factor_enabled", null), entries);
        Assert.Contains(("staff.sign_in_failed", "wrong second-factor code"), entries);
        Assert.Contains(("staff.signed_in", "with a recovery code"), entries);
    }

    [Fact]
    public async Task Switching_the_second_factor_off_needs_a_current_code_and_the_code_step_needs_the_password_first()
    {
        var tenant = IdentityFixture.NewTenant();
        var email = await StaffMemberAsync(tenant);
        using var browser = new Browser(identity.Address);
        await browser.SubmitAsync("/account/login", new() { ["email"] = email, ["password"] = Password });
        var setUp = await browser.GetStringAsync("/account/two-factor");
        var totp = new Totp(Base32Encoding.ToBytes(Key().Match(setUp).Groups[1].Value.Replace(" ", "", StringComparison.Ordinal).ToUpperInvariant()));
        var (_, enabledPage, _) = await browser.PostFormAsync(setUp, new() { ["code"] = totp.ComputeTotp() });
        Assert.Contains("recovery-codes", enabledPage, StringComparison.Ordinal);

        var onPage = await browser.GetStringAsync("/account/two-factor");
        var (refused, refusedPage, _) = await browser.PostFormAsync(onPage, new() { ["code"] = Wrong(totp.ComputeTotp()) });
        Assert.Equal(HttpStatusCode.BadRequest, refused);
        var (off, _, _) = await browser.PostFormAsync(refusedPage, new() { ["code"] = totp.ComputeTotp() });
        Assert.Equal(HttpStatusCode.OK, off);
        Assert.Equal(HttpStatusCode.Redirect, await Browser.SignInAsync(identity.Address, email, Password));
        using (var again = new Browser(identity.Address))
        {
            var (_, _, location) = await again.SubmitWithLocationAsync("/account/login", new() { ["email"] = email, ["password"] = Password });
            Assert.Equal("/account/login?signedIn=1", location); // straight in: no code step any more
        }

        // Nobody reaches the code step without the password, and the set-up page needs a session.
        using var stranger = new Browser(identity.Address);
        using var codeStep = await stranger.GetAsync("/account/login/code");
        Assert.Equal("/account/login", codeStep.Headers.Location?.OriginalString);
        using var setUpPage = await stranger.GetAsync("/account/two-factor");
        Assert.StartsWith("/account/login?returnUrl=", setUpPage.Headers.Location?.OriginalString, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_shop_that_requires_a_second_factor_gives_a_front_end_no_code_for_a_person_without_one_until_they_set_it_up()
    {
        var tenant = IdentityFixture.NewTenant();
        var email = await StaffMemberAsync(tenant);
        var owner = identity.Owner(tenant);
        using (var missing = await owner.PutAsJsonAsync("/security", new { }))
        {
            Assert.Equal(HttpStatusCode.BadRequest, missing.StatusCode);
            Assert.True((await missing.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").TryGetProperty("requireTwoFactor", out _));
        }

        using var required = await owner.PutAsJsonAsync("/security", new { requireTwoFactor = true });
        var view = await required.Content.ReadFromJsonAsync<JsonElement>();
        Assert.True(view.GetProperty("requireTwoFactor").GetBoolean());
        Assert.Equal(1, view.GetProperty("staffWithoutSecondFactor").GetInt32());

        using var browser = new Browser(identity.Address);
        await browser.SubmitAsync("/account/login", new() { ["email"] = email, ["password"] = Password });
        var authorize = AuthorizeUrl();
        using (var refused = await browser.GetAsync(authorize))
        {
            Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode); // a page, not a code for the front end
            var page = await refused.Content.ReadAsStringAsync();
            var setUpLink = WebUtility.HtmlDecode(SetUpLink().Match(page).Groups[1].Value);
            Assert.StartsWith("/account/two-factor?returnUrl=", setUpLink, StringComparison.Ordinal);

            // Set up on the way, then on to the front end with a code.
            var setUp = await browser.GetStringAsync(setUpLink);
            var totp = new Totp(Base32Encoding.ToBytes(Key().Match(setUp).Groups[1].Value.Replace(" ", "", StringComparison.Ordinal).ToUpperInvariant()));
            var (_, done, _) = await browser.PostFormAsync(setUp, new() { ["code"] = totp.ComputeTotp() });
            Assert.Equal(authorize, WebUtility.HtmlDecode(ContinueLink().Match(done).Groups[1].Value));
        }

        using var granted = await browser.GetAsync(authorize);
        Assert.Equal(HttpStatusCode.Redirect, granted.StatusCode);
        Assert.StartsWith(IdentityFixture.FrontEndRedirect + "?code=", granted.Headers.Location!.OriginalString, StringComparison.Ordinal);
        var audit = await owner.GetFromJsonAsync<JsonElement>("/audit");
        Assert.Contains(audit.GetProperty("items").EnumerateArray(), e => e.GetProperty("action").GetString() == "shop.two_factor_required");
        Assert.Equal(0, (await owner.GetFromJsonAsync<JsonElement>("/security")).GetProperty("staffWithoutSecondFactor").GetInt32());
    }

    /// <summary>The test front end's authorization request (code + PKCE S256).</summary>
    private static string AuthorizeUrl()
    {
        var verifier = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)).TrimEnd('=').Replace('+', '-').Replace('/', '_');
        var challenge = Convert.ToBase64String(SHA256.HashData(Encoding.ASCII.GetBytes(verifier))).TrimEnd('=').Replace('+', '-').Replace('/', '_');
        return "/connect/authorize" + QueryString(new()
        {
            ["client_id"] = IdentityFixture.FrontEnd, ["redirect_uri"] = IdentityFixture.FrontEndRedirect, ["response_type"] = "code", ["scope"] = "openid offline_access",
            ["code_challenge"] = challenge, ["code_challenge_method"] = "S256", ["state"] = "s-1",
        });
    }

    private static string QueryString(Dictionary<string, string> values) => "?" + string.Join("&", values.Select(v => $"{v.Key}={Uri.EscapeDataString(v.Value)}"));

    private async Task<HttpStatusCode> SignInWithCodeAsync(string email, string code)
    {
        using var browser = new Browser(identity.Address);
        var (_, _, codeStep) = await browser.SubmitWithLocationAsync("/account/login", new() { ["email"] = email, ["password"] = Password });
        return (await browser.SubmitWithLocationAsync(codeStep!, new() { ["code"] = code })).Status;
    }

    /// <summary>A staff member of <paramref name="tenant"/> who set <see cref="Password"/> through the invitation link (no mail server: the link is in the answer).</summary>
    private async Task<string> StaffMemberAsync(string tenant)
    {
        var email = $"tina.{Guid.NewGuid():N}@shop.example";
        using var response = await identity.Owner(tenant).PostAsJsonAsync("/staff", new { email, role = "catalog" });
        var invitation = new Uri((await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("invitationUrl").GetString()!).PathAndQuery;
        using var browser = new Browser(identity.Address);
        var (set, page) = await browser.SubmitAsync(invitation, new() { ["password"] = Password, ["repeat"] = Password });
        Assert.True(set == HttpStatusCode.OK, page);
        return email;
    }

    /// <summary>A code that is surely not the current one.</summary>
    private static string Wrong(string code) => ((int.Parse(code, System.Globalization.CultureInfo.InvariantCulture) + 500_000) % 1_000_000).ToString("D6", System.Globalization.CultureInfo.InvariantCulture);

    [GeneratedRegex("<code id=\"key\">([^<]+)</code>")]
    private static partial Regex Key();

    [GeneratedRegex("<li><code>([^<]+)</code></li>")]
    private static partial Regex RecoveryCode();

    [GeneratedRegex("<a id=\"set-up\" href=\"([^\"]+)\"")]
    private static partial Regex SetUpLink();

    [GeneratedRegex("<a id=\"continue\" href=\"([^\"]+)\"")]
    private static partial Regex ContinueLink();
}
