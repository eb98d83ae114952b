using MachCommerce.Identity.Audit;
using MachCommerce.Identity.Staff;
using OtpNet;

namespace MachCommerce.Identity.Account;

/// <summary>
/// A second factor for staff: a time-based one-time code (TOTP, RFC 6238: 6 digits every 30 seconds, as every
/// authenticator app makes them) from ASP.NET Core Identity's authenticator support. A signed-in person sets it up at
/// <c>/account/two-factor</c> (the key as text and as an <c>otpauth://</c> address, confirmed with a first code) and
/// gets ten one-time recovery codes, shown once. From then on the sign-in asks for a code after the password
/// (<c>/account/login/code</c>); wrong codes count toward the lockout like wrong passwords, and a code that signed in
/// once does not sign in again.
/// </summary>
internal static class TwoFactor
{
    public const string SetUpPath = "/account/two-factor";
    private const string Issuer = "MACH Commerce";

    public static void MapTwoFactorPages(this RouteGroupBuilder pages)
    {
        pages.MapGet("/two-factor", SetUpForm);
        pages.MapPost("/two-factor", Enable);
        pages.MapPost("/two-factor/off", Disable);
        pages.MapGet("/login/code", CodeForm);
        pages.MapPost("/login/code", SignInWithCode);
    }

    private static async Task<IResult> SetUpForm(HttpContext http, IAntiforgery antiforgery, SignInManager<StaffUser> signIn, string? returnUrl = null)
    {
        if (await SignedInAsync(http, signIn) is not { } user)
        {
            return Results.Redirect("/account/login" + QueryString.Create("returnUrl", SetUpPath));
        }

        return await SetUpPageAsync(http, antiforgery, signIn.UserManager, user, null, returnUrl);
    }

    /// <param name="returnUrl">Where to go on once it is set up: the authorization request of a shop that requires it.</param>
    private static async Task<IResult> SetUpPageAsync(HttpContext http, IAntiforgery antiforgery, UserManager<StaffUser> users, StaffUser user, string? error, string? returnUrl,
        int status = 200)
    {
        var tokens = antiforgery.GetAndStoreTokens(http);
        var antiforgeryField = Html.AntiforgeryField(tokens)
            + $"<input type=\"hidden\" name=\"returnUrl\" value=\"{Html.Encode(AccountPages.IsLocalAuthorization(returnUrl) ? returnUrl : "")}\">";
        if (await users.GetTwoFactorEnabledAsync(user))
        {
            return Html.Page(http, Html.T(http, "Zweiter Faktor", "Second factor"), $"""
                <p role="status">{Html.T(http, "Der zweite Faktor ist eingeschaltet: die Anmeldung fragt nach dem Code Ihrer Authenticator-App.",
                    "The second factor is on: signing in asks for the code from your authenticator app.")}</p>
                {Html.Error(error)}
                <form method="post" action="/account/two-factor/off">
                  {antiforgeryField}
                  <label for="code">{Html.T(http, "Aktueller Code, um ihn auszuschalten", "Current code, to switch it off")}</label>
                  <input id="code" name="code" inputmode="numeric" autocomplete="one-time-code" required>
                  <button type="submit">{Html.T(http, "Ausschalten", "Switch off")}</button>
                </form>
                """, status);
        }

        var key = await users.GetAuthenticatorKeyAsync(user);
        if (string.IsNullOrEmpty(key))
        {
            await users.ResetAuthenticatorKeyAsync(user);
            key = (await users.GetAuthenticatorKeyAsync(user))!;
        }

        var address = $"otpauth://totp/{Uri.EscapeDataString(Issuer)}:{Uri.EscapeDataString(user.Email!)}?secret={key}&issuer={Uri.EscapeDataString(Issuer)}&digits=6&period=30";
        return Html.Page(http, Html.T(http, "Zweiten Faktor einrichten", "Set up a second factor"), $"""
            <p>{Html.T(http, "Tragen Sie diesen Schlüssel in Ihre Authenticator-App ein (oder öffnen Sie die Adresse darunter auf dem Gerät mit der App):",
                "Enter this key in your authenticator app (or open the address below on the device with the app):")}</p>
            <p><code id="key">{Html.Encode(Grouped(key))}</code></p>
            <p><a id="otpauth" href="{Html.Encode(address)}">{Html.T(http, "In der Authenticator-App öffnen", "Open in the authenticator app")}</a></p>
            {Html.Error(error)}
            <form method="post" action="/account/two-factor">
              {antiforgeryField}
              <label for="code">{Html.T(http, "Code aus der App (6 Ziffern)", "Code from the app (6 digits)")}</label>
              <input id="code" name="code" inputmode="numeric" autocomplete="one-time-code" minlength="6" maxlength="7" required>
              <button type="submit">{Html.T(http, "Einschalten", "Switch on")}</button>
            </form>
            """, status);
    }

    private static async Task<IResult> Enable(HttpContext http, IAntiforgery antiforgery, SignInManager<StaffUser> signIn, StaffDirectory staff,
        [FromForm] string? code, [FromForm] string? returnUrl, CancellationToken cancellationToken)
    {
        if (await SignedInAsync(http, signIn) is not { } user)
        {
            return Results.Redirect("/account/login" + QueryString.Create("returnUrl", SetUpPath));
        }

        var users = signIn.UserManager;
        if (await users.GetTwoFactorEnabledAsync(user))
        {
            return await SetUpPageAsync(http, antiforgery, users, user, null, returnUrl);
        }

        if (!await users.VerifyTwoFactorTokenAsync(user, users.Options.Tokens.AuthenticatorTokenProvider, Digits(code)))
        {
            return await SetUpPageAsync(http, antiforgery, users, user, Html.T(http,
                "Der Code stimmt nicht. Prüfen Sie, ob die Uhr des Geräts stimmt, und geben Sie den aktuellen Code ein.",
                "The code is not right. Check that the device's clock is right and enter the current code."), returnUrl, 400);
        }

        await users.SetTwoFactorEnabledAsync(user, true);
        var recovery = (await users.GenerateNewTwoFactorRecoveryCodesAsync(user, 10))!.ToList();
        await staff.AuditInEveryShopAsync(user.Id, user.Email!, AuditLog.Actions.TwoFactorEnabled, null, cancellationToken);
        await signIn.RefreshSignInAsync(user);
        return Html.Page(http, Html.T(http, "Zweiter Faktor eingeschaltet", "Second factor on"), $"""
            <p role="status">{Html.T(http, "Ab jetzt fragt die Anmeldung nach dem Code Ihrer App.", "From now on signing in asks for the code from your app.")}</p>
            <p>{Html.T(http, "Ohne das Gerät melden Sie sich mit einem dieser Wiederherstellungscodes an, jeder gilt einmal. Sie werden nur jetzt gezeigt: bewahren Sie sie sicher auf.",
                "Without the device, sign in with one of these recovery codes; each works once. They are shown only now: keep them safe.")}</p>
            <ul id="recovery-codes">{string.Concat(recovery.Select(c => $"<li><code>{Html.Encode(c)}</code></li>"))}</ul>
            {(AccountPages.IsLocalAuthorization(returnUrl) ? $"<p><a id=\"continue\" href=\"{Html.Encode(returnUrl)}\">{Html.T(http, "Weiter", "Continue")}</a></p>" : "")}
            """);
    }

    private static async Task<IResult> Disable(HttpContext http, IAntiforgery antiforgery, SignInManager<StaffUser> signIn, StaffDirectory staff,
        [FromForm] string? code, CancellationToken cancellationToken)
    {
        if (await SignedInAsync(http, signIn) is not { } user)
        {
            return Results.Redirect("/account/login" + QueryString.Create("returnUrl", SetUpPath));
        }

        var users = signIn.UserManager;
        if (!await users.VerifyTwoFactorTokenAsync(user, users.Options.Tokens.AuthenticatorTokenProvider, Digits(code)))
        {
            return await SetUpPageAsync(http, antiforgery, users, user, Html.T(http, "Der Code stimmt nicht.", "The code is not right."), null, 400);
        }

        await users.SetTwoFactorEnabledAsync(user, false);
        await users.ResetAuthenticatorKeyAsync(user); // a later set-up starts with a new key; the old app entry stops working
        await staff.AuditInEveryShopAsync(user.Id, user.Email!, AuditLog.Actions.TwoFactorDisabled, null, cancellationToken);
        await signIn.RefreshSignInAsync(user);
        return Html.Page(http, Html.T(http, "Zweiter Faktor ausgeschaltet", "Second factor off"),
            $"<p role=\"status\">{Html.T(http, "Die Anmeldung fragt wieder nur nach dem Passwort.", "Signing in asks for the password only again.")}</p>");
    }

    private static async Task<IResult> CodeForm(HttpContext http, IAntiforgery antiforgery, SignInManager<StaffUser> signIn, string? returnUrl = null) =>
        await signIn.GetTwoFactorAuthenticationUserAsync() is null ? Results.Redirect("/account/login") : CodePage(http, antiforgery, returnUrl, null);

    private static IResult CodePage(HttpContext http, IAntiforgery antiforgery, string? returnUrl, string? error, int status = 200)
    {
        var tokens = antiforgery.GetAndStoreTokens(http);
        return Html.Page(http, Html.T(http, "Code eingeben", "Enter the code"), $"""
            {Html.Error(error)}
            <form method="post" action="/account/login/code">
              {Html.AntiforgeryField(tokens)}
              <input type="hidden" name="returnUrl" value="{Html.Encode(AccountPages.IsLocalReturn(returnUrl) ? returnUrl : "")}">
              <label for="code">{Html.T(http, "Code aus Ihrer Authenticator-App, oder ein Wiederherstellungscode", "Code from your authenticator app, or a recovery code")}</label>
              <input id="code" name="code" autocomplete="one-time-code" required>
              <button type="submit">{Html.T(http, "Anmelden", "Sign in")}</button>
            </form>
            """, status);
    }

    private static async Task<IResult> SignInWithCode(HttpContext http, IAntiforgery antiforgery, SignInManager<StaffUser> signIn, StaffDirectory staff,
        [FromForm] string? code, [FromForm] string? returnUrl, CancellationToken cancellationToken)
    {
        if (await signIn.GetTwoFactorAuthenticationUserAsync() is not { } user)
        {
            return AccountPages.SignInFailed(http); // the step after the password has run out (or was never reached)
        }

        var entered = (code ?? "").Trim();
        var digits = Digits(entered);
        var recovery = digits.Length != 6;
        var step = recovery ? null : await MatchingStepAsync(signIn.UserManager, user, digits);
        Microsoft.AspNetCore.Identity.SignInResult result;
        if (step is { } used && used <= await LastStepAsync(signIn.UserManager, user))
        {
            // RFC 6238 5.2: a code that signed in once does not sign in again, even within its 90 seconds.
            await signIn.UserManager.AccessFailedAsync(user);
            result = await signIn.UserManager.IsLockedOutAsync(user) ? Microsoft.AspNetCore.Identity.SignInResult.LockedOut : Microsoft.AspNetCore.Identity.SignInResult.Failed;
        }
        else
        {
            result = recovery
                ? await signIn.TwoFactorRecoveryCodeSignInAsync(entered)
                : await signIn.TwoFactorAuthenticatorSignInAsync(digits, isPersistent: false, rememberClient: false);
            if (result.Succeeded && step is { } matched)
            {
                await signIn.UserManager.SetAuthenticationTokenAsync(user, TokenProvider, LastStepToken, matched.ToString(System.Globalization.CultureInfo.InvariantCulture));
            }
        }

        await AccountPages.AuditSignInAsync(staff, user, user.Email!, result, cancellationToken, recovery ? "with a recovery code" : "wrong second-factor code");
        if (!result.Succeeded)
        {
            return result.IsLockedOut
                ? AccountPages.SignInFailed(http)
                : CodePage(http, antiforgery, returnUrl, Html.T(http, "Der Code stimmt nicht.", "The code is not right."), 401);
        }

        return Results.Redirect(AccountPages.IsLocalReturn(returnUrl) ? returnUrl! : "/account/login?signedIn=1");
    }

    private const string TokenProvider = "MachCommerce", LastStepToken = "totp-last-step";

    /// <summary>The 30-second step whose code this is, in the window Identity accepts (two steps either side); null when none matches.</summary>
    private static async Task<long?> MatchingStepAsync(UserManager<StaffUser> users, StaffUser user, string code)
    {
        var key = await users.GetAuthenticatorKeyAsync(user);
        return !string.IsNullOrEmpty(key) && new Totp(Base32Encoding.ToBytes(key)).VerifyTotp(code, out var step, new VerificationWindow(previous: 2, future: 2)) ? step : null;
    }

    private static async Task<long> LastStepAsync(UserManager<StaffUser> users, StaffUser user) =>
        long.TryParse(await users.GetAuthenticationTokenAsync(user, TokenProvider, LastStepToken), System.Globalization.CultureInfo.InvariantCulture, out var step) ? step : 0;

    private static async Task<StaffUser?> SignedInAsync(HttpContext http, SignInManager<StaffUser> signIn)
    {
        var session = await http.AuthenticateAsync(IdentityConstants.ApplicationScheme);
        return session.Succeeded ? await signIn.UserManager.GetUserAsync(session.Principal!) : null;
    }

    private static string Digits(string? code) => (code ?? "").Replace(" ", "", StringComparison.Ordinal).Replace("-", "", StringComparison.Ordinal).Trim();

    private static string Grouped(string key)
    {
        var grouped = new StringBuilder();
        for (var i = 0; i < key.Length; i += 4)
        {
            grouped.Append(key.AsSpan(i, Math.Min(4, key.Length - i))).Append(' ');
        }

        return grouped.ToString().TrimEnd().ToLowerInvariant();
    }
}
