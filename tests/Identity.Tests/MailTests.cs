using MachCommerce.LocalInfrastructure;
using netDumbster.smtp;

namespace MachCommerce.Identity.Tests;

/// <summary>The identity service with a mail server: netDumbster, a real SMTP server on loopback.</summary>
public sealed class MailingIdentityFixture : IdentityFixture
{
    public SimpleSmtpServer Smtp { get; private set; } = null!;

    public override Task InitializeAsync()
    {
        Smtp = Configuration.Configure().WithAddress(IPAddress.Loopback).WithPort(FreePort.Pick()).Build();
        return StartAsync(new() { ["Mail:Host"] = "127.0.0.1", ["Mail:Port"] = Smtp.Configuration.Port.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Mail:Security"] = "none", ["Mail:From"] = "Shop Team <team@shop.example>" });
    }

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        Smtp.Dispose();
    }

    /// <summary>The text of the mails to <paramref name="to"/>, once <paramref name="count"/> of them have arrived (they may go out in the background).</summary>
    public async Task<List<string>> MailsToAsync(string to, int count = 1)
    {
        var deadline = DateTime.UtcNow.AddSeconds(20);
        List<string> mails;
        while ((mails = Received(to)).Count < count && DateTime.UtcNow < deadline)
        {
            await Task.Delay(100);
        }

        Assert.True(mails.Count >= count, $"{count} mail(s) to {to} expected, {mails.Count} arrived");
        return mails;
    }

    public List<string> Received(string to) => Smtp.ReceivedEmail
        .Where(m => m.ToAddresses.Any(a => string.Equals(a.Address, to, StringComparison.OrdinalIgnoreCase)))
        .Select(m => m.MessageParts[0].BodyData)
        .ToList();
}

/// <summary>Invitations and password resets by mail, through the service's own pages, as a person's browser sends them (cookies, antiforgery).</summary>
public sealed class MailTests(MailingIdentityFixture identity) : IClassFixture<MailingIdentityFixture>
{
    private const string Password = "Gartenschlauch-im-Juli";

    [Fact]
    public async Task An_invitation_is_mailed_to_the_invitee_and_not_shown_to_the_inviter_and_its_link_sets_the_password()
    {
        var tenant = IdentityFixture.NewTenant();
        var email = $"anna.{Guid.NewGuid():N}@shop.example";

        var invited = await InviteAsync(tenant, email);

        Assert.True(invited.GetProperty("mailed").GetBoolean());
        Assert.Equal(JsonValueKind.Null, invited.GetProperty("invitationUrl").ValueKind);
        var mail = Assert.Single(await identity.MailsToAsync(email));
        Assert.Contains(tenant, mail, StringComparison.Ordinal);
        Assert.Contains("as marketing", mail, StringComparison.Ordinal);
        using var browser = new Browser(identity.Address);
        var (set, page) = await browser.SubmitAsync(Link(mail, "account/invitation"), new() { ["password"] = Password, ["repeat"] = Password });
        Assert.True(set == HttpStatusCode.OK, page);
        Assert.Equal(HttpStatusCode.Redirect, await Browser.SignInAsync(identity.Address, email, Password));
    }

    [Fact]
    public async Task A_forgotten_password_is_reset_by_the_mailed_link_once_and_an_unknown_address_gets_the_same_answer_and_no_mail()
    {
        var tenant = IdentityFixture.NewTenant();
        var email = await StaffMemberAsync(tenant);
        var unknown = $"niemand.{Guid.NewGuid():N}@shop.example";
        using var browser = new Browser(identity.Address);

        var (unknownStatus, unknownPage) = await browser.SubmitAsync("/account/forgot", new() { ["email"] = unknown });
        var (knownStatus, knownPage) = await browser.SubmitAsync("/account/forgot", new() { ["email"] = email });

        // The same answer for both (only the address it names differs), and a mail only to the account.
        Assert.Equal((HttpStatusCode.OK, HttpStatusCode.OK), (unknownStatus, knownStatus));
        Assert.Equal(unknownPage.Replace(unknown, "…", StringComparison.Ordinal), knownPage.Replace(email, "…", StringComparison.Ordinal));
        var link = Link((await identity.MailsToAsync(email, count: 2)).Single(m => m.Contains("account/reset", StringComparison.Ordinal)), "account/reset"); // beside the invitation
        Assert.Empty(identity.Received(unknown)); // queued before the known one's, which arrived

        // A short and a common password are refused on the page, in its language; a good one works, the old one no longer does.
        var (tooShort, shortPage) = await browser.SubmitAsync(link, new() { ["password"] = "kurz", ["repeat"] = "kurz" });
        Assert.Equal(HttpStatusCode.BadRequest, tooShort);
        Assert.Contains("Das Passwort muss 12 bis 128 Zeichen lang sein.</p>", shortPage, StringComparison.Ordinal);
        Assert.DoesNotContain("Passwords must", shortPage, StringComparison.Ordinal);
        var (weak, weakPage) = await browser.SubmitAsync(link, new() { ["password"] = "password1234", ["repeat"] = "password1234" });
        Assert.Equal(HttpStatusCode.BadRequest, weak);
        Assert.True(weakPage.Contains("zu leicht zu erraten", StringComparison.Ordinal), weakPage); // German unless the browser asks for English
        const string newPassword = "Rasenmäher-im-Winter";
        var (reset, _) = await browser.SubmitAsync(link, new() { ["password"] = newPassword, ["repeat"] = newPassword });
        Assert.Equal(HttpStatusCode.OK, reset);
        Assert.Equal(HttpStatusCode.Unauthorized, await Browser.SignInAsync(identity.Address, email, Password));
        Assert.Equal(HttpStatusCode.Redirect, await Browser.SignInAsync(identity.Address, email, newPassword));

        // The link worked once.
        using var again = await browser.GetAsync(link);
        Assert.Equal(HttpStatusCode.NotFound, again.StatusCode);
        var audit = await identity.Owner(tenant).GetFromJsonAsync<JsonElement>("/audit");
        var actions = audit.GetProperty("items").EnumerateArray().Select(e => e.GetProperty("action").GetString()).ToList();
        Assert.Contains("staff.password_reset_requested", actions);
        Assert.Contains("staff.password_reset", actions);
    }

    [Fact]
    public async Task Nobody_fills_a_persons_mailbox_through_the_reset_page_three_links_an_hour_then_the_same_answer_and_no_mail()
    {
        var tenant = IdentityFixture.NewTenant();
        var email = await StaffMemberAsync(tenant);
        var other = await StaffMemberAsync(tenant);
        using var browser = new Browser(identity.Address);
        var pages = new List<string>();
        for (var i = 0; i < 4; i++)
        {
            var (status, page) = await browser.SubmitAsync("/account/forgot", new() { ["email"] = email });
            Assert.Equal(HttpStatusCode.OK, status);
            pages.Add(page);
        }

        await browser.SubmitAsync("/account/forgot", new() { ["email"] = other });

        Assert.Single(pages.Distinct()); // the fourth answer reads like the first
        await identity.MailsToAsync(other, count: 2); // queued after the fourth: had that one gone out, it would be here by now
        Assert.Equal(3, identity.Received(email).Count(m => m.Contains("account/reset", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task A_reset_ends_a_lockout_and_a_made_up_or_tampered_link_is_refused()
    {
        var tenant = IdentityFixture.NewTenant();
        var email = await StaffMemberAsync(tenant);
        for (var i = 0; i < 5; i++)
        {
            Assert.Equal(HttpStatusCode.Unauthorized, await Browser.SignInAsync(identity.Address, email, "falsch-falsch-falsch"));
        }

        Assert.Equal(HttpStatusCode.Unauthorized, await Browser.SignInAsync(identity.Address, email, Password)); // locked out
        using var browser = new Browser(identity.Address);
        await browser.SubmitAsync("/account/forgot", new() { ["email"] = email });
        var link = Link((await identity.MailsToAsync(email, count: 2)).Single(m => m.Contains("account/reset", StringComparison.Ordinal)), "account/reset"); // beside the invitation

        using var tampered = await browser.GetAsync(link[..^3] + "AAA");
        Assert.Equal(HttpStatusCode.NotFound, tampered.StatusCode);
        using var madeUp = await browser.GetAsync($"/account/reset?user={Guid.NewGuid()}&token=abc");
        Assert.Equal(HttpStatusCode.NotFound, madeUp.StatusCode);

        const string newPassword = "Schubkarre-voller-Laub";
        var (reset, _) = await browser.SubmitAsync(link, new() { ["password"] = newPassword, ["repeat"] = newPassword });
        Assert.Equal(HttpStatusCode.OK, reset);
        Assert.Equal(HttpStatusCode.Redirect, await Browser.SignInAsync(identity.Address, email, newPassword));
    }

    [Fact]
    public async Task When_the_mail_server_is_down_an_invitation_is_refused_with_503_and_none_is_kept()
    {
        var down = new DownMailIdentity();
        await down.InitializeAsync();
        try
        {
            var tenant = IdentityFixture.NewTenant();
            var email = $"bert.{Guid.NewGuid():N}@shop.example";

            using var response = await down.Owner(tenant).PostAsJsonAsync("/staff", new { email, role = "catalog" });

            Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
            var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
            Assert.Contains("none was kept", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
            var staff = await down.Owner(tenant).GetFromJsonAsync<JsonElement>("/staff");
            Assert.DoesNotContain(staff.EnumerateArray(), s => s.GetProperty("email").GetString() == email);
        }
        finally
        {
            await down.DisposeAsync();
        }
    }

    /// <summary>The service configured with a mail server that is not there (a loopback port nobody listens on).</summary>
    private sealed class DownMailIdentity : IdentityFixture
    {
        public override Task InitializeAsync() => StartAsync(new() { ["Mail:Host"] = "127.0.0.1", ["Mail:Port"] = FreePort.Pick().ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Mail:Security"] = "none", ["Mail:Timeout"] = "00:00:03" });
    }

    private async Task<JsonElement> InviteAsync(string tenant, string email)
    {
        using var response = await identity.Owner(tenant).PostAsJsonAsync("/staff", new { email, role = "marketing" });
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.True(response.StatusCode == HttpStatusCode.Created, $"inviting answered {(int)response.StatusCode}: {body}");
        return body;
    }

    /// <summary>A staff member who accepted the mailed invitation (their first mail) with <see cref="Password"/>.</summary>
    private async Task<string> StaffMemberAsync(string tenant)
    {
        var email = $"kai.{Guid.NewGuid():N}@shop.example";
        await InviteAsync(tenant, email);
        using var browser = new Browser(identity.Address);
        var (set, page) = await browser.SubmitAsync(Link(Assert.Single(await identity.MailsToAsync(email)), "account/invitation"),
            new() { ["password"] = Password, ["repeat"] = Password });
        Assert.True(set == HttpStatusCode.OK, page);
        return email;
    }

    /// <summary>The link in a mail that leads to <paramref name="path"/>, as a path on the service (the mail names the public issuer).</summary>
    private static string Link(string mail, string path)
    {
        var url = Regex.Match(mail, @"https?://\S+/" + Regex.Escape(path) + @"\?\S+").Value;
        Assert.False(string.IsNullOrEmpty(url), $"no {path} link in the mail: {mail}");
        return new Uri(url).PathAndQuery;
    }
}
