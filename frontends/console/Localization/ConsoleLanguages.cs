using Microsoft.AspNetCore.Localization;

namespace MachCommerce.MerchantConsole.Localization;

/// <summary>
/// The console speaks German (first) and English: the person's choice is kept in the culture cookie, a browser that
/// asks for English gets it without choosing. Pages read their words through <c>IStringLocalizer&lt;ConsoleTexts&gt;</c>
/// with the German text as the key, so German needs no table and a missing English entry shows the German rather than
/// a blank (the test <c>ConsoleTextsTests</c> finds those).
/// </summary>
public static class ConsoleLanguages
{
    public const string German = "de";
    public const string English = "en";

    /// <summary>
    /// The two cultures with the separators and date forms their readers expect. The platform runs with invariant
    /// globalization (no culture data), so both start from the invariant culture's data and are told what differs.
    /// </summary>
    public static readonly IReadOnlyList<CultureInfo> Supported = [Culture(German), Culture(English)];

    public static IServiceCollection AddConsoleLanguages(this IServiceCollection services) =>
        services.AddLocalization().Configure<RequestLocalizationOptions>(options =>
        {
            options.DefaultRequestCulture = new RequestCulture(Supported[0]);
            options.SupportedCultures = [.. Supported];
            options.SupportedUICultures = [.. Supported];
            // The person's choice first, then what the browser asks for. Browsers ask for "en-GB" or "en-US"; without
            // culture data ("en-GB" has no parent "en" here) the framework's own header reader would miss them.
            options.RequestCultureProviders = [new CookieRequestCultureProvider(), new CustomRequestCultureProvider(context => Task.FromResult(FromBrowser(context)))];
        });

    /// <summary>The first language of the browser's Accept-Language (by quality) that the console speaks, "en-GB" as "en".</summary>
    public static ProviderCultureResult? FromBrowser(HttpContext context) =>
        context.Request.GetTypedHeaders().AcceptLanguage
            .OrderByDescending(language => language.Quality ?? 1)
            .Select(language => language.Value.Value?.Split('-')[0].ToLowerInvariant())
            .FirstOrDefault(code => Supported.Any(c => c.Name == code)) is { } spoken
            ? new ProviderCultureResult(spoken)
            : null;

    /// <summary>
    /// <c>GET /language/{code}?returnUrl=…</c>: remembers the choice for a year and goes back to the page (a full load,
    /// so the page's live connection starts again in the new language). Only a path of this console is gone back to.
    /// </summary>
    public static void MapLanguageEndpoint(this IEndpointRouteBuilder app) =>
        app.MapGet("/language/{code}", (string code, string? returnUrl, HttpContext context) =>
        {
            if (Supported.FirstOrDefault(c => c.Name == code) is not { } culture)
            {
                return Results.Problem(statusCode: 404, title: "No such language",
                    detail: $"The console speaks {string.Join(" and ", Supported.Select(c => c.Name))}.");
            }

            context.Response.Cookies.Append(CookieRequestCultureProvider.DefaultCookieName,
                CookieRequestCultureProvider.MakeCookieValue(new RequestCulture(culture)),
                new CookieOptions { MaxAge = TimeSpan.FromDays(365), HttpOnly = true, SameSite = SameSiteMode.Lax, IsEssential = true });
            return Results.LocalRedirect(IsLocalPath(returnUrl) ? returnUrl! : "/");
        }).AllowAnonymous();

    /// <summary>A path on this site ("/offers"), never "//host" or "/\host", which browsers read as another site.</summary>
    private static bool IsLocalPath(string? url) =>
        url is { Length: > 0 } && url[0] == '/' && (url.Length == 1 || (url[1] != '/' && url[1] != '\\'));

    private static CultureInfo Culture(string name)
    {
        var culture = new CultureInfo(name);
        if (name == German)
        {
            culture.NumberFormat.NumberDecimalSeparator = ",";
            culture.NumberFormat.NumberGroupSeparator = ".";
            culture.NumberFormat.PercentDecimalSeparator = ",";
            culture.NumberFormat.PercentGroupSeparator = ".";
            culture.NumberFormat.CurrencyDecimalSeparator = ",";
            culture.NumberFormat.CurrencyGroupSeparator = ".";
            culture.DateTimeFormat.ShortDatePattern = "dd.MM.yyyy";
            culture.DateTimeFormat.MonthNames = culture.DateTimeFormat.MonthGenitiveNames =
                ["Januar", "Februar", "März", "April", "Mai", "Juni", "Juli", "August", "September", "Oktober", "November", "Dezember", ""];
            culture.DateTimeFormat.AbbreviatedMonthNames = culture.DateTimeFormat.AbbreviatedMonthGenitiveNames =
                ["Jan", "Feb", "Mär", "Apr", "Mai", "Jun", "Jul", "Aug", "Sep", "Okt", "Nov", "Dez", ""];
            culture.DateTimeFormat.DayNames = ["Sonntag", "Montag", "Dienstag", "Mittwoch", "Donnerstag", "Freitag", "Samstag"];
            culture.DateTimeFormat.AbbreviatedDayNames = culture.DateTimeFormat.ShortestDayNames = ["So", "Mo", "Di", "Mi", "Do", "Fr", "Sa"];
            culture.DateTimeFormat.FirstDayOfWeek = DayOfWeek.Monday;
        }
        else
        {
            // Day, month name, year: neither the American nor the British order to misread.
            culture.DateTimeFormat.ShortDatePattern = "d MMM yyyy";
            culture.DateTimeFormat.FirstDayOfWeek = DayOfWeek.Monday;
        }

        culture.DateTimeFormat.ShortTimePattern = "HH:mm";
        culture.DateTimeFormat.LongTimePattern = "HH:mm:ss";
        return culture;
    }
}
