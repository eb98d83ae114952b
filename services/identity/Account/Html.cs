using System.Net;

namespace MachCommerce.Identity.Account;

/// <summary>
/// The few server-rendered pages of the identity service (sign-in, setting a password, choosing a shop), in German or
/// English after Accept-Language: plain HTML forms that work without JavaScript, labelled fields, the antiforgery
/// token in every form, and nothing loaded from anywhere else.
/// </summary>
internal static class Html
{
    public static bool German(HttpContext http) =>
        !http.Request.Headers.AcceptLanguage.ToString().TrimStart().StartsWith("en", StringComparison.OrdinalIgnoreCase);

    public static string T(HttpContext http, string de, string en) => German(http) ? de : en;

    public static IResult Page(HttpContext http, string title, string body, int status = 200)
    {
        var html = new StringBuilder()
            .Append("<!doctype html><html lang=\"").Append(German(http) ? "de" : "en").Append("\"><head><meta charset=\"utf-8\">")
            .Append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"><title>").Append(Encode(title)).Append(" · MACH Commerce</title>")
            .Append("<style>body{font-family:system-ui,sans-serif;max-width:26rem;margin:4rem auto;padding:0 1rem;color:#1a1a1a}")
            .Append("label{display:block;margin:1rem 0 .25rem}input{width:100%;padding:.5rem;font-size:1rem;box-sizing:border-box}")
            .Append("button{margin-top:1.25rem;padding:.6rem 1.2rem;font-size:1rem}.error{color:#a00000;border-left:3px solid #a00000;padding-left:.5rem}")
            .Append("a{color:#0645ad}</style></head><body><main><h1>").Append(Encode(title)).Append("</h1>").Append(body).Append("</main></body></html>");
        // Nothing of these pages may be framed (clickjacking) or cached (they carry one-time tokens). No form-action:
        // browsers apply it to the redirects after a sign-in too, and those end at the front end's own address.
        http.Response.Headers.XFrameOptions = "DENY";
        http.Response.Headers.ContentSecurityPolicy = "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'";
        http.Response.Headers.CacheControl = "no-store";
        return Results.Content(html.ToString(), "text/html; charset=utf-8", Encoding.UTF8, status);
    }

    /// <summary>The antiforgery token as the form's hidden field (every form has one).</summary>
    public static string AntiforgeryField(Microsoft.AspNetCore.Antiforgery.AntiforgeryTokenSet tokens) =>
        $"<input type=\"hidden\" name=\"{tokens.FormFieldName}\" value=\"{Encode(tokens.RequestToken)}\">";

    /// <summary>
    /// The sign-in form (address, password) posting to <paramref name="action"/>, with where to go back afterwards
    /// (<paramref name="returnUrl"/>, already checked by the caller; empty for none).
    /// </summary>
    public static string SignInForm(HttpContext http, Microsoft.AspNetCore.Antiforgery.AntiforgeryTokenSet tokens, string action, string returnUrl, string? email) => $"""
        <form method="post" action="{Encode(action)}">
          {AntiforgeryField(tokens)}
          <input type="hidden" name="returnUrl" value="{Encode(returnUrl)}">
          <label for="email">{T(http, "E-Mail-Adresse", "E-mail address")}</label>
          <input id="email" name="email" type="email" autocomplete="username" required value="{Encode(email)}">
          <label for="password">{T(http, "Passwort", "Password")}</label>
          <input id="password" name="password" type="password" autocomplete="current-password" required>
          <button type="submit">{T(http, "Anmelden", "Sign in")}</button>
        </form>
        """;

    /// <summary>A new password, typed twice (its length rule in the label), and the button that sets it.</summary>
    public static string NewPasswordFields(HttpContext http, string? button = null) => $"""
        <label for="password">{T(http, $"Neues Passwort ({PasswordRules.MinLength} bis {PasswordRules.MaxLength} Zeichen)", $"New password ({PasswordRules.MinLength} to {PasswordRules.MaxLength} characters)")}</label>
        <input id="password" name="password" type="password" autocomplete="new-password" minlength="{PasswordRules.MinLength}" maxlength="{PasswordRules.MaxLength}" required>
        <label for="repeat">{T(http, "Passwort wiederholen", "Repeat the password")}</label>
        <input id="repeat" name="repeat" type="password" autocomplete="new-password" required>
        <button type="submit">{button ?? T(http, "Passwort festlegen", "Set password")}</button>
        """;

    public static string Error(string? message) => message is null ? "" : $"<p class=\"error\" role=\"alert\">{Encode(message)}</p>";

    public static string Encode(string? text) => WebUtility.HtmlEncode(text ?? "");
}
