using MachCommerce.Identity.Audit;
using MachCommerce.Identity.Staff;

namespace MachCommerce.Identity.Account;

/// <summary>
/// Sign-in for people (<c>/account/login</c>), setting the password from an invitation (<c>/account/invitation</c>)
/// and signing out. Every answer to a failed sign-in is the same, whether the address is unknown, the password wrong
/// or the account locked (after 5 failures, for 15 minutes), so the page tells nobody which addresses have accounts.
/// </summary>
public static class AccountPages
{
    public static void MapAccountPages(this IEndpointRouteBuilder app)
    {
        var pages = app.MapGroup("/account").AllowAnonymous().ExcludeFromDescription().WithAnyQueryParameters();
        pages.MapGet("/login", LoginForm);
        pages.MapPost("/login", Login);
        pages.MapGet("/invitation", InvitationForm);
        pages.MapPost("/invitation", AcceptInvitation);
        pages.MapPost("/logout", Logout);
        pages.MapPasswordResetPages();
        pages.MapTwoFactorPages();
    }

    private static IResult LoginForm(HttpContext http, IAntiforgery antiforgery, string? returnUrl = null) =>
        LoginPage(http, antiforgery, returnUrl, null, null);

    private static async Task<IResult> Login(HttpContext http, IAntiforgery antiforgery, SignInManager<StaffUser> signIn, StaffDirectory staff,
        [FromForm] string? email, [FromForm] string? password, [FromForm] string? returnUrl, CancellationToken cancellationToken)
    {
        email = email?.Trim().ToLowerInvariant() ?? "";
        var user = email.Length is > 0 and <= 254 ? await signIn.UserManager.FindByEmailAsync(email) : null;
        if (user is null)
        {
            UnknownAccount<StaffUser>.TakeAsLongAsAPasswordCheck(signIn.UserManager, password);
        }

        var result = user is null || string.IsNullOrEmpty(password)
            ? Microsoft.AspNetCore.Identity.SignInResult.Failed
            : await signIn.PasswordSignInAsync(user, password, isPersistent: false, lockoutOnFailure: true);
        if (result.RequiresTwoFactor)
        {
            // The password was right; the second factor decides (and is audited) on the next page.
            return Results.Redirect("/account/login/code" + QueryString.Create("returnUrl", IsLocalReturn(returnUrl) ? returnUrl! : ""));
        }

        if (user is not null)
        {
            await AuditSignInAsync(staff, user, email, result, cancellationToken);
        }

        if (!result.Succeeded)
        {
            return LoginPage(http, antiforgery, returnUrl, email, SignInFailedText(http), 401);
        }

        // Only back into this service's own pages: a sign-in page must never send anyone elsewhere.
        return Results.Redirect(IsLocalReturn(returnUrl) ? returnUrl! : "/account/login?signedIn=1");
    }

    /// <summary>A sign-in's outcome in the audit log of each shop the person works in.</summary>
    internal static Task AuditSignInAsync(StaffDirectory staff, StaffUser user, string email, Microsoft.AspNetCore.Identity.SignInResult result,
        CancellationToken cancellationToken, string? detail = null) =>
        staff.AuditInEveryShopAsync(user.Id, email, result.Succeeded ? AuditLog.Actions.SignedIn : AuditLog.Actions.SignInFailed, result.IsLockedOut ? "locked out" : detail,
            cancellationToken);

    /// <summary>One answer to every failed sign-in (unknown address, wrong password, locked account), staff's and customers'.</summary>
    internal static string SignInFailedText(HttpContext http) => Html.T(http,
        "Anmeldung fehlgeschlagen: E-Mail-Adresse oder Passwort stimmen nicht, oder das Konto ist nach mehreren Fehlversuchen für eine Weile gesperrt.",
        "Sign-in failed: the e-mail address or password is wrong, or the account is locked for a while after several failed attempts.");

    internal static IResult SignInFailed(HttpContext http) => Html.Page(http, Html.T(http, "Anmelden", "Sign in"), $"""
        {Html.Error(SignInFailedText(http))}
        <p><a href="/account/login">{Html.T(http, "Erneut anmelden", "Sign in again")}</a></p>
        """, 401);

    private static IResult LoginPage(HttpContext http, IAntiforgery antiforgery, string? returnUrl, string? email, string? error, int status = 200)
    {
        if (http.Request.Query.ContainsKey("signedIn") && error is null)
        {
            return Html.Page(http, Html.T(http, "Angemeldet", "Signed in"), $"<p>{Html.T(http, "Sie sind angemeldet. Öffnen Sie die Anwendung, mit der Sie arbeiten möchten.", "You are signed in. Open the application you want to work with.")}</p>");
        }

        var tokens = antiforgery.GetAndStoreTokens(http);
        return Html.Page(http, Html.T(http, "Anmelden", "Sign in"), $"""
            {Html.Error(error)}
            {Html.SignInForm(http, tokens, "/account/login", IsLocalReturn(returnUrl) ? returnUrl! : "", email)}
            <p><a href="/account/forgot">{Html.T(http, "Passwort vergessen?", "Forgot your password?")}</a></p>
            """, status);
    }

    private static async Task<IResult> InvitationForm(HttpContext http, IAntiforgery antiforgery, StaffDirectory staff, CancellationToken cancellationToken, string? token = null) =>
        token is not null && await staff.FindInvitationAsync(token, cancellationToken) is { } found
            ? InvitationPage(http, antiforgery, token, found.User.Email!, null)
            : Expired(http);

    private static async Task<IResult> AcceptInvitation(HttpContext http, IAntiforgery antiforgery, StaffDirectory staff, [FromForm] string? token, [FromForm] string? password,
        [FromForm] string? repeat, CancellationToken cancellationToken)
    {
        if (token is null || await staff.FindInvitationAsync(token, cancellationToken) is not { } found)
        {
            return Expired(http);
        }

        if (password != repeat)
        {
            return InvitationPage(http, antiforgery, token, found.User.Email!, Html.T(http, "Die beiden Passwörter stimmen nicht überein.", "The two passwords differ."), 400);
        }

        var result = await staff.AcceptAsync(found.Invitation, found.User, password ?? "", cancellationToken);
        if (!result.Succeeded)
        {
            return InvitationPage(http, antiforgery, token, found.User.Email!, PasswordRefused(http, result), 400);
        }

        return Html.Page(http, Html.T(http, "Passwort gesetzt", "Password set"),
            $"<p>{Html.T(http, "Ihr Passwort ist gesetzt. Melden Sie sich jetzt in der Anwendung an.", "Your password is set. Sign in from the application now.")}</p>");
    }

    /// <summary>Why a new password was refused, in the page's language.</summary>
    internal static string PasswordRefused(HttpContext http, IdentityResult result) => string.Join(" ", result.Errors.Select(e => e.Code switch
    {
        // Identity's own length check says the same as ours, in English: one sentence in the page's language.
        "length" or nameof(IdentityErrorDescriber.PasswordTooShort) => Html.T(http, $"Das Passwort muss {PasswordRules.MinLength} bis {PasswordRules.MaxLength} Zeichen lang sein.",
            $"The password must be {PasswordRules.MinLength} to {PasswordRules.MaxLength} characters long."),
        "common" => Html.T(http, "Das Passwort ist zu leicht zu erraten (ein verbreitetes Passwort oder Ihre E-Mail-Adresse darin); wählen Sie ein anderes.",
            "The password is too easy to guess (a common password, or your e-mail address in it); choose another."),
        _ => Html.T(http, "Das Passwort wird nicht angenommen: ", "The password is not accepted: ") + e.Description,
    }).Distinct());

    private static IResult InvitationPage(HttpContext http, IAntiforgery antiforgery, string token, string email, string? error, int status = 200)
    {
        var tokens = antiforgery.GetAndStoreTokens(http);
        return Html.Page(http, Html.T(http, "Passwort festlegen", "Set your password"), $"""
            <p>{Html.T(http, "Konto", "Account")}: <strong>{Html.Encode(email)}</strong></p>
            {Html.Error(error)}
            <form method="post" action="/account/invitation">
              {Html.AntiforgeryField(tokens)}
              <input type="hidden" name="token" value="{Html.Encode(token)}">
              {Html.NewPasswordFields(http)}
            </form>
            """, status);
    }

    private static IResult Expired(HttpContext http) => Html.Page(http, Html.T(http, "Einladung ungültig", "Invitation not valid"),
        $"<p>{Html.T(http, "Dieser Link ist abgelaufen, wurde schon benutzt oder ist unvollständig. Bitten Sie um eine neue Einladung.", "This link has expired, was used already or is incomplete. Ask for a new invitation.")}</p>", 404);

    private static async Task<IResult> Logout(SignInManager<StaffUser> signIn, HttpContext http)
    {
        await signIn.SignOutAsync();
        return Html.Page(http, Html.T(http, "Abgemeldet", "Signed out"), $"<p>{Html.T(http, "Sie sind abgemeldet.", "You are signed out.")}</p>");
    }

    /// <summary>Where a sign-in may lead back to: the authorization endpoint, or the page that sets up a second factor.</summary>
    internal static bool IsLocalReturn(string? returnUrl) =>
        IsLocalAuthorization(returnUrl) || returnUrl == TwoFactor.SetUpPath;

    internal static bool IsLocalAuthorization(string? returnUrl) =>
        returnUrl is not null && returnUrl.StartsWith("/connect/authorize?", StringComparison.Ordinal) && !returnUrl.Contains("//", StringComparison.Ordinal)
        && !returnUrl.Contains('\\', StringComparison.Ordinal);
}

/// <summary>
/// A sign-in for an address without an account still checks a password against a hash, so it takes as long as a
/// wrong password does: no clock tells an unknown address from a known one (staff's and customers' alike).
/// </summary>
internal static class UnknownAccount<TUser> where TUser : class, new()
{
    private static readonly Lazy<string> Hash = new(() => new PasswordHasher<TUser>().HashPassword(new TUser(), Guid.NewGuid().ToString()));

    public static void TakeAsLongAsAPasswordCheck(UserManager<TUser> users, string? password) =>
        users.PasswordHasher.VerifyHashedPassword(new TUser(), Hash.Value, password ?? "");
}
