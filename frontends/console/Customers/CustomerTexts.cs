using MachCommerce.Api.Profiles;
using MachCommerce.MerchantConsole.Localization;

namespace MachCommerce.MerchantConsole.Customers;

/// <summary>A customer and their consents in a support person's words.</summary>
public static class CustomerTexts
{
    public static string Name(ProfileView customer, IStringLocalizer<ConsoleTexts> L) =>
        customer.Kind == "company" && !string.IsNullOrWhiteSpace(customer.CompanyName) ? customer.CompanyName!
        : string.Join(' ', new[] { customer.FirstName, customer.LastName }.Where(part => !string.IsNullOrWhiteSpace(part))) is { Length: > 0 } name ? name
        : customer.Email ?? customer.ExternalId ?? L["(ohne Namen)"];

    public static string Purpose(string purpose, IStringLocalizer<ConsoleTexts> L) => purpose switch
    {
        "personalization" => L["Persönliche Angebote"],
        "marketing_email" => L["Werbung per E-Mail"],
        "analytics" => L["Analyse"],
        "cooperative" => L["Weitergabe an den Verbund"],
        _ => purpose,
    };

    /// <summary>The data holders an erasure waits for, as a support person knows them.</summary>
    public static string Service(string service, IStringLocalizer<ConsoleTexts> L) => service switch
    {
        "profiles" => L["Kundenprofile"],
        "personalization" => L["Personalisierung (Ereignisse, Segmente, Angebote)"],
        "identity" => L["Kundenkonto (Anmeldung)"],
        "catalog" => L["Katalog"],
        "webhooks" => L["Webhooks"],
        _ => service,
    };
}
