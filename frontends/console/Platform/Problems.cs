using MachCommerce.Api.Personalization;
using MachCommerce.Client;
using MachCommerce.MerchantConsole.SignIn;

namespace MachCommerce.MerchantConsole.Platform;

/// <summary>What a page says when the platform refused or failed, in the words the platform gave (field errors included).</summary>
public static class Problems
{
    public static string Describe(Exception exception) => exception switch
    {
        MachCommerceApiException api when api.Status == System.Net.HttpStatusCode.Forbidden => "Das darf Ihre Rolle nicht: " + api.Message,
        MachCommerceApiException api => api.Message,
        SignInExpiredException => "Ihre Anmeldung ist abgelaufen. Bitte laden Sie die Seite neu und melden Sie sich wieder an.",
        HttpRequestException => "Die Plattform ist gerade nicht erreichbar. Versuchen Sie es gleich noch einmal.",
        // Anything else is ours, not the merchant's: said as such (and logged by the circuit), never the end of the page.
        _ => "Etwas ist schiefgegangen: " + exception.Message,
    };

    public static string Percent(double? share, int decimals = 1) =>
        share is { } value ? (value * 100).ToString("N" + decimals, Texts.German) + " %" : "–";

    public static string SignedPercent(double? share) =>
        share is { } value ? (value >= 0 ? "+" : "") + (value * 100).ToString("N1", Texts.German) + " %" : "–";

    public static string Interval(IntervalView? interval) =>
        interval is { CiLow: { } low, CiHigh: { } high } ? $"{SignedPercent(low)} bis {SignedPercent(high)}" : "–";
}

/// <summary>Numbers and dates as a German reader writes them (the console speaks German first).</summary>
public static class Texts
{
    /// <summary>The invariant culture with German separators (the project runs with invariant globalization: no "de" data).</summary>
    public static readonly System.Globalization.CultureInfo German = GermanNumbers();

    private static System.Globalization.CultureInfo GermanNumbers()
    {
        var culture = (System.Globalization.CultureInfo)System.Globalization.CultureInfo.InvariantCulture.Clone();
        culture.NumberFormat.NumberDecimalSeparator = ",";
        culture.NumberFormat.NumberGroupSeparator = ".";
        return culture;
    }

    public static string Money(double? amount, string? currency = "EUR") =>
        amount is { } value ? value.ToString("N2", German) + " " + (currency ?? "EUR") : "–";

    public static string Count(long count) => count.ToString("N0", German);

    public static string Status(string status) => status switch
    {
        "draft" => "Entwurf",
        "running" => "läuft",
        "stopped" => "beendet",
        _ => status,
    };
}
