using MachCommerce.Api.Profiles;

namespace MachCommerce.MerchantConsole.Customers;

/// <summary>A customer and their consents in a support person's words.</summary>
public static class CustomerTexts
{
    public static string Name(ProfileView customer) =>
        customer.Kind == "company" && !string.IsNullOrWhiteSpace(customer.CompanyName) ? customer.CompanyName!
        : string.Join(' ', new[] { customer.FirstName, customer.LastName }.Where(part => !string.IsNullOrWhiteSpace(part))) is { Length: > 0 } name ? name
        : customer.Email ?? customer.ExternalId ?? "(ohne Namen)";

    public static string Purpose(string purpose) => purpose switch
    {
        "personalization" => "Persönliche Angebote",
        "marketing_email" => "Werbung per E-Mail",
        "analytics" => "Analyse",
        _ => purpose,
    };

    /// <summary>The data holders an erasure waits for, as a support person knows them.</summary>
    public static string Service(string service) => service switch
    {
        "profiles" => "Kundenprofile",
        "personalization" => "Personalisierung (Ereignisse, Segmente, Angebote)",
        "identity" => "Kundenkonto (Anmeldung)",
        "catalog" => "Katalog",
        "webhooks" => "Webhooks",
        _ => service,
    };
}
