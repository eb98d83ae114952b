using MachCommerce.Identity.Audit;
using MachCommerce.Identity.Mail;
using MachCommerce.Identity.Staff;
using MachCommerce.Identity.Tokens;

namespace MachCommerce.Identity.Account;

/// <summary>
/// "Forgot your password?" (<c>/account/forgot</c>, <c>/account/reset</c>): a link by mail that sets a new password
/// once, within an hour (ASP.NET Core Identity's reset token: it dies with the password change). The answer to a
/// request is the same whether or not the address has an account, and it does not wait for the mail server (the mail goes out in the
/// background). Without a mail server the link goes to the log only, never to the page: whoever asks is not yet
/// known to own the address. A reset ends the lockout, signs the account out everywhere (every token it holds is
/// revoked) and is in each shop's audit log.
/// </summary>
internal static class PasswordReset
{
    public static readonly TimeSpan LinkLifetime = TimeSpan.FromHours(1);
    private const int MaxLinksPerHour = 3;

    public static void MapPasswordResetPages(this RouteGroupBuilder pages)
    {
        pages.MapGet("/forgot", (HttpContext http, IAntiforgery antiforgery) => RequestPage(http, antiforgery, null));
        pages.MapPost("/forgot", Request);
        pages.MapGet("/reset", ResetForm);
        pages.MapPost("/reset", Reset);
    }

    private static async Task<IResult> Request(HttpContext http, IAntiforgery antiforgery, UserManager<StaffUser> users, StaffDirectory staff, Mailer mailer, AuditLog audit,
        IOptions<IdentityServerOptions> options, ILoggerFactory logs, [FromForm] string? email, CancellationToken cancellationToken)
    {
        email = email?.Trim().ToLowerInvariant() ?? "";
        if (email.Length is 0 or > 254 || !System.Net.Mail.MailAddress.TryCreate(email, out _))
        {
            return RequestPage(http, antiforgery, Html.T(http, "Geben Sie die E-Mail-Adresse Ihres Kontos ein.", "Enter your account's e-mail address."), 400);
        }

        // An account without a password has a pending invitation: that link, not this one, sets its first password.
        // An account in no shop has nothing to reach; one that was sent three links within the hour gets no more
        // (nobody fills a person's mailbox through this page). The answer is the same in every case.
        if (await users.FindByEmailAsync(email) is { PasswordHash: not null } user
            && await staff.MembershipsAsync(user.Id, cancellationToken) is [var first, ..] memberships
            && await audit.CountSinceAsync(first.TenantId, email, AuditLog.Actions.PasswordResetRequested, TimeSpan.FromHours(1), cancellationToken) < MaxLinksPerHour)
        {
            var token = await users.GeneratePasswordResetTokenAsync(user);
            var url = new Uri(new Uri(options.Value.Issuer), $"account/reset?user={user.Id}&token={Uri.EscapeDataString(token)}").ToString();
            if (mailer.Configured)
            {
                mailer.Enqueue(ResetMail(email, url));
            }
            else
            {
                logs.CreateLogger(typeof(PasswordReset)).LogInformation("Password reset for {Email}: {Url} (no mail server is configured)", email, url);
            }

            await staff.AuditInEveryShopAsync(user.Id, email, AuditLog.Actions.PasswordResetRequested, null, cancellationToken, memberships);
        }

        return Html.Page(http, Html.T(http, "E-Mail unterwegs", "E-mail on its way"), $"""
            <p role="status">{Html.T(http,
                $"Wenn zu {email} ein Konto gehört, ist eine E-Mail mit einem Link zum Festlegen eines neuen Passworts unterwegs. Der Link gilt eine Stunde.",
                $"If {email} has an account, an e-mail with a link to set a new password is on its way. The link works for one hour.")}</p>
            <p><a href="/account/login">{Html.T(http, "Zur Anmeldung", "Back to sign-in")}</a></p>
            """);
    }

    private static IResult RequestPage(HttpContext http, IAntiforgery antiforgery, string? error, int status = 200)
    {
        var tokens = antiforgery.GetAndStoreTokens(http);
        return Html.Page(http, Html.T(http, "Passwort vergessen", "Forgot your password"), $"""
            <p>{Html.T(http, "Wir schicken Ihnen einen Link, mit dem Sie ein neues Passwort festlegen.", "We will send you a link to set a new password.")}</p>
            {Html.Error(error)}
            <form method="post" action="/account/forgot">
              {Html.AntiforgeryField(tokens)}
              <label for="email">{Html.T(http, "E-Mail-Adresse", "E-mail address")}</label>
              <input id="email" name="email" type="email" autocomplete="username" required>
              <button type="submit">{Html.T(http, "Link senden", "Send the link")}</button>
            </form>
            """, status);
    }

    private static async Task<IResult> ResetForm(HttpContext http, IAntiforgery antiforgery, UserManager<StaffUser> users, string? user = null, string? token = null) =>
        await ValidLinkAsync(users, user, token) is { } account ? ResetPage(http, antiforgery, account, token!, null) : Expired(http);

    private static async Task<IResult> Reset(HttpContext http, IAntiforgery antiforgery, UserManager<StaffUser> users, StaffDirectory staff,
        IOpenIddictTokenManager tokens, [FromForm] string? user, [FromForm] string? token, [FromForm] string? password, [FromForm] string? repeat,
        CancellationToken cancellationToken)
    {
        if (await ValidLinkAsync(users, user, token) is not { } account)
        {
            return Expired(http);
        }

        if (password != repeat)
        {
            return ResetPage(http, antiforgery, account, token!, Html.T(http, "Die beiden Passwörter stimmen nicht überein.", "The two passwords differ."), 400);
        }

        var result = await users.ResetPasswordAsync(account, token!, password ?? "");
        if (!result.Succeeded)
        {
            return result.Errors.Any(e => e.Code == nameof(IdentityErrorDescriber.InvalidToken))
                ? Expired(http)
                : ResetPage(http, antiforgery, account, token!, AccountPages.PasswordRefused(http, result), 400);
        }

        await users.SetLockoutEndDateAsync(account, null);
        await users.ResetAccessFailedCountAsync(account);
        await tokens.RevokeBySubjectAsync(account.Id.ToString(), cancellationToken);
        await staff.AuditInEveryShopAsync(account.Id, account.Email!, AuditLog.Actions.PasswordReset, null, cancellationToken);
        return Html.Page(http, Html.T(http, "Neues Passwort gesetzt", "New password set"), $"""
            <p role="status">{Html.T(http, "Ihr neues Passwort gilt ab sofort; alle bisherigen Anmeldungen sind beendet.", "Your new password works now; every earlier sign-in has ended.")}</p>
            <p><a href="/account/login">{Html.T(http, "Anmelden", "Sign in")}</a></p>
            """);
    }

    /// <summary>The account a link names, if the link still works (unused, within the hour, for an account that has a password).</summary>
    private static async Task<StaffUser?> ValidLinkAsync(UserManager<StaffUser> users, string? user, string? token)
    {
        if (string.IsNullOrEmpty(token) || !Guid.TryParse(user, out var id) || await users.FindByIdAsync(id.ToString()) is not { PasswordHash: not null } account)
        {
            return null;
        }

        return await users.VerifyUserTokenAsync(account, users.Options.Tokens.PasswordResetTokenProvider, UserManager<StaffUser>.ResetPasswordTokenPurpose, token)
            ? account
            : null;
    }

    private static IResult ResetPage(HttpContext http, IAntiforgery antiforgery, StaffUser account, string token, string? error, int status = 200)
    {
        var tokens = antiforgery.GetAndStoreTokens(http);
        return Html.Page(http, Html.T(http, "Neues Passwort", "New password"), $"""
            <p>{Html.T(http, "Konto", "Account")}: <strong>{Html.Encode(account.Email)}</strong></p>
            {Html.Error(error)}
            <form method="post" action="/account/reset">
              {Html.AntiforgeryField(tokens)}
              <input type="hidden" name="user" value="{account.Id}">
              <input type="hidden" name="token" value="{Html.Encode(token)}">
              {Html.NewPasswordFields(http)}
            </form>
            """, status);
    }

    private static IResult Expired(HttpContext http) => Html.Page(http, Html.T(http, "Link ungültig", "Link not valid"), $"""
        <p>{Html.T(http, "Dieser Link ist abgelaufen, wurde schon benutzt oder ist unvollständig.", "This link has expired, was used already or is incomplete.")}</p>
        <p><a href="/account/forgot">{Html.T(http, "Neuen Link anfordern", "Ask for a new link")}</a></p>
        """, 404);

    private static Mail.Mail ResetMail(string email, string url) => new(email, "Neues Passwort / New password", $"""
        Guten Tag,

        für Ihr Konto wurde ein neues Passwort angefordert. Legen Sie es hier fest (der Link gilt eine Stunde und einmal):

        {url}

        Wenn Sie das nicht waren, ignorieren Sie diese Nachricht: Ihr Passwort bleibt, wie es ist.

        ---

        Hello,

        a new password was asked for your account. Set it here (the link works once, for one hour):

        {url}

        If that was not you, ignore this message: your password stays as it is.
        """);
}
