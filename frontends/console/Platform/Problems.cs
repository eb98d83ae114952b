using MachCommerce.Api.Personalization;
using MachCommerce.Client;
using MachCommerce.MerchantConsole.Localization;
using MachCommerce.MerchantConsole.SignIn;

namespace MachCommerce.MerchantConsole.Platform;

/// <summary>What a page says when the platform refused or failed, in the words the platform gave (field errors included).</summary>
public static class Problems
{
    public static string Describe(Exception exception, IStringLocalizer<ConsoleTexts> L) => exception switch
    {
        MachCommerceApiException api when api.Status == System.Net.HttpStatusCode.Forbidden => L["Das darf Ihre Rolle nicht: {0}", api.Message],
        MachCommerceApiException api => api.Message,
        SignInExpiredException => L["Ihre Anmeldung ist abgelaufen. Bitte laden Sie die Seite neu und melden Sie sich wieder an."],
        HttpRequestException => L["Die Plattform ist gerade nicht erreichbar. Versuchen Sie es gleich noch einmal."],
        // Anything else is ours, not the merchant's: said as such (and logged by the circuit), never the end of the page.
        _ => L["Etwas ist schiefgegangen: {0}", exception.Message],
    };

    public static string Percent(double? share, int decimals = 1) =>
        share is { } value ? (value * 100).ToString("N" + decimals, Texts.Culture) + " %" : "–";

    public static string SignedPercent(double? share) =>
        share is { } value ? (value >= 0 ? "+" : "") + (value * 100).ToString("N1", Texts.Culture) + " %" : "–";

    public static string Interval(IntervalView? interval, IStringLocalizer<ConsoleTexts> L) =>
        interval is { CiLow: { } low, CiHigh: { } high } ? L["{0} bis {1}", SignedPercent(low), SignedPercent(high)] : "–";
}

/// <summary>Numbers and dates as the reader's language writes them (see <see cref="ConsoleLanguages"/>).</summary>
public static class Texts
{
    /// <summary>The person's culture: German or English separators and date forms.</summary>
    public static System.Globalization.CultureInfo Culture => System.Globalization.CultureInfo.CurrentCulture;

    public static string Money(double? amount, string? currency = "EUR") =>
        amount is { } value ? value.ToString("N2", Culture) + " " + (currency ?? "EUR") : "–";

    public static string Count(long count) => count.ToString("N0", Culture);

    /// <summary>What the platform wrote in both languages (a verdict, a plan), in the reader's.</summary>
    public static string Said(string german, string english) => Language == ConsoleLanguages.English ? english : german;

    /// <summary>
    /// The reader's language code ("de", "en"): the catalog's texts are asked for in it. From the culture's name: without
    /// culture data every culture's TwoLetterISOLanguageName is the invariant one's ("iv").
    /// </summary>
    public static string Language => System.Globalization.CultureInfo.CurrentUICulture.Name.Split('-')[0] is { Length: > 0 } code ? code : ConsoleLanguages.German;

    public static string Status(string status, IStringLocalizer<ConsoleTexts> L) => status switch
    {
        "draft" => L["Entwurf"],
        "running" => L["läuft"],
        "stopped" => L["beendet"],
        _ => status,
    };
}
