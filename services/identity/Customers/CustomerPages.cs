using MachCommerce.Identity.Account;
using System.Net.Mail;

namespace MachCommerce.Identity.Customers;

/// <summary>
/// A shop's customers sign in and register at <c>/account/shop/{tenant}/…</c>, reached from a storefront's
/// authorization request and sent back to it. Only shops with a registered storefront have these pages, so nobody
/// makes accounts for a shop that does not offer them. A failed sign-in reads the same for an unknown address, a wrong
/// password and a locked account; registering an address the shop has already says so (the shopper needs to know
/// to sign in instead; the sign-in and reset answers give nothing away).
/// </summary>
public static class CustomerPages
{
    public static void MapCustomerPages(this IEndpointRouteBuilder app)
    {
        var pages = app.MapGroup("/account/shop/{tenant}").AllowAnonymous().ExcludeFromDescription().WithAnyQueryParameters()
            .AddEndpointFilter(async (context, next) =>
                context.HttpContext.RequestServices.GetRequiredService<CustomerShops>().Has(context.HttpContext.GetRouteValue("tenant")?.ToString() ?? "")
                    ? await next(context)
                    : Html.Page(context.HttpContext, Html.T(context.HttpContext, "Nicht gefunden", "Not found"),
                        $"<p>{Html.T(context.HttpContext, "Dieser Shop bietet hier keine Kundenkonten an.", "This shop offers no customer accounts here.")}</p>", 404));
        pages.MapGet("/login", LoginForm);
        pages.MapPost("/login", Login);
        pages.MapGet("/register", RegisterForm);
        pages.MapPost("/register", Register);
        pages.MapPost("/logout", Logout);
    }

    private static IResult LoginForm(HttpContext http, IAntiforgery antiforgery, string tenant, string? returnUrl = null) =>
        LoginPage(http, antiforgery, tenant, returnUrl, null, null);

    private static IResult RegisterForm(HttpContext http, IAntiforgery antiforgery, string tenant, string? returnUrl = null) =>
        RegisterPage(http, antiforgery, tenant, returnUrl, null, null);

    private static async Task<IResult> Login(HttpContext http, IAntiforgery antiforgery, SignInManager<CustomerAccount> signIn, string tenant,
        [FromForm] string? email, [FromForm] string? password, [FromForm] string? returnUrl, ILogger<CustomerAccount> logger)
    {
        email = email?.Trim().ToLowerInvariant() ?? "";
        var account = email.Length is > 0 and <= 254 ? await signIn.UserManager.FindByNameAsync(CustomerAccount.UserNameOf(tenant, email)) : null;
        if (account is null)
        {
            UnknownAccount<CustomerAccount>.TakeAsLongAsAPasswordCheck(signIn.UserManager, password);
        }

        var result = account is null || string.IsNullOrEmpty(password)
            ? Microsoft.AspNetCore.Identity.SignInResult.Failed
            : await signIn.CheckPasswordSignInAsync(account, password, lockoutOnFailure: true);
        if (!result.Succeeded)
        {
            logger.LogInformation("Customer sign-in at {Tenant} failed{Locked}", tenant, result.IsLockedOut ? " (locked out)" : "");
            return LoginPage(http, antiforgery, tenant, returnUrl, email, AccountPages.SignInFailedText(http), 401);
        }

        await CustomerSignIn.SignInAsync(http, account!);
        return Back(http, returnUrl);
    }

    private static async Task<IResult> Register(HttpContext http, IAntiforgery antiforgery, UserManager<CustomerAccount> accounts, TimeProvider time, string tenant,
        [FromForm] string? email, [FromForm] string? password, [FromForm] string? repeat, [FromForm] string? returnUrl)
    {
        email = email?.Trim().ToLowerInvariant() ?? "";
        if (email.Length is 0 or > 254 || !MailAddress.TryCreate(email, out var address) || address.Address != email)
        {
            return RegisterPage(http, antiforgery, tenant, returnUrl, email, Html.T(http, "Bitte geben Sie eine E-Mail-Adresse wie anna@beispiel.de an.",
                "Enter an e-mail address like anna@example.com."), 400);
        }

        if (password != repeat)
        {
            return RegisterPage(http, antiforgery, tenant, returnUrl, email, Html.T(http, "Die beiden Passwörter stimmen nicht überein.", "The two passwords differ."), 400);
        }

        var account = new CustomerAccount
        {
            Id = Guid.CreateVersion7(), TenantId = tenant, UserName = CustomerAccount.UserNameOf(tenant, email), Email = email, CreatedAt = time.GetUtcNow(),
        };
        var created = await accounts.CreateAsync(account, password ?? "");
        if (!created.Succeeded)
        {
            var taken = created.Errors.Any(e => e.Code == "taken");
            return RegisterPage(http, antiforgery, tenant, returnUrl, email, taken
                ? Html.T(http, "Für diese E-Mail-Adresse gibt es in diesem Shop schon ein Konto. Melden Sie sich an.",
                    "This shop has an account for this e-mail address already. Sign in instead.")
                : AccountPages.PasswordRefused(http, created), taken ? 409 : 400);
        }

        await CustomerSignIn.SignInAsync(http, account);
        return Back(http, returnUrl);
    }

    private static async Task<IResult> Logout(HttpContext http, string tenant)
    {
        await http.SignOutAsync(CustomerSignIn.Scheme);
        return Html.Page(http, Html.T(http, "Abgemeldet", "Signed out"), $"<p>{Html.T(http, "Sie sind abgemeldet.", "You are signed out.")}</p>");
    }

    /// <summary>Back to the storefront's authorization request (which then sends the code to the storefront), never anywhere else.</summary>
    private static IResult Back(HttpContext http, string? returnUrl) => AccountPages.IsLocalAuthorization(returnUrl)
        ? Results.Redirect(returnUrl!)
        : Html.Page(http, Html.T(http, "Angemeldet", "Signed in"), $"<p>{Html.T(http, "Sie sind angemeldet. Zurück zum Shop geht es über dessen Seite.", "You are signed in. Go back to the shop through its own page.")}</p>");

    private static string Links(HttpContext http, string tenant, string? returnUrl, bool toRegister)
    {
        var query = QueryString.Create("returnUrl", AccountPages.IsLocalAuthorization(returnUrl) ? returnUrl! : "");
        return toRegister
            ? $"<p>{Html.T(http, "Noch kein Konto?", "No account yet?")} <a href=\"/account/shop/{Html.Encode(tenant)}/register{Html.Encode(query.ToString())}\">{Html.T(http, "Konto anlegen", "Create an account")}</a></p>"
            : $"<p>{Html.T(http, "Schon ein Konto?", "Have an account?")} <a href=\"/account/shop/{Html.Encode(tenant)}/login{Html.Encode(query.ToString())}\">{Html.T(http, "Anmelden", "Sign in")}</a></p>";
    }

    /// <summary>Whose account this is: the shop's name, so nobody mistakes it for another shop's (or the platform's) page.</summary>
    private static string Shop(HttpContext http, string tenant) =>
        $"<p>{Html.T(http, "Ihr Kundenkonto bei", "Your customer account at")} <strong>{Html.Encode(http.RequestServices.GetRequiredService<CustomerShops>().NameOf(tenant))}</strong></p>";

    private static IResult LoginPage(HttpContext http, IAntiforgery antiforgery, string tenant, string? returnUrl, string? email, string? error, int status = 200)
    {
        var tokens = antiforgery.GetAndStoreTokens(http);
        return Html.Page(http, Html.T(http, "Anmelden", "Sign in"), $"""
            {Shop(http, tenant)}
            {Html.Error(error)}
            {Html.SignInForm(http, tokens, $"/account/shop/{tenant}/login", AccountPages.IsLocalAuthorization(returnUrl) ? returnUrl! : "", email)}
            {Links(http, tenant, returnUrl, toRegister: true)}
            """, status);
    }

    private static IResult RegisterPage(HttpContext http, IAntiforgery antiforgery, string tenant, string? returnUrl, string? email, string? error, int status = 200)
    {
        var tokens = antiforgery.GetAndStoreTokens(http);
        return Html.Page(http, Html.T(http, "Konto anlegen", "Create an account"), $"""
            {Shop(http, tenant)}
            {Html.Error(error)}
            <form method="post" action="/account/shop/{Html.Encode(tenant)}/register">
              {Html.AntiforgeryField(tokens)}
              <input type="hidden" name="returnUrl" value="{Html.Encode(AccountPages.IsLocalAuthorization(returnUrl) ? returnUrl : "")}">
              <label for="email">{Html.T(http, "E-Mail-Adresse", "E-mail address")}</label>
              <input id="email" name="email" type="email" autocomplete="email" required value="{Html.Encode(email)}">
              {Html.NewPasswordFields(http, Html.T(http, "Konto anlegen", "Create the account"))}
            </form>
            {Links(http, tenant, returnUrl, toRegister: false)}
            """, status);
    }
}
