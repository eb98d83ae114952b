using MachCommerce.MerchantConsole.Localization;

namespace MachCommerce.MerchantConsole.Settings;

/// <summary>Roles, keys and deliveries in a shop owner's words.</summary>
public static class SettingsTexts
{
    public static readonly IReadOnlyList<string> Roles = ["owner", "marketing", "catalog", "support", "read-only"];

    /// <summary>What a partner key may be given (the platform's scopes; an owner's own rights are never a partner's).</summary>
    public static readonly IReadOnlyList<string> PartnerScopes =
        ["catalog:read", "catalog:write", "profiles:read", "profiles:write", "personalization:track", "personalization:decide", "personalization:manage", "gdpr:export", "gdpr:erase", "webhooks:manage"];

    public static string Role(string role, IStringLocalizer<ConsoleTexts> L) => role switch
    {
        "owner" => L["Inhaber (alles)"],
        "marketing" => L["Marketing"],
        "catalog" => L["Katalog"],
        "support" => L["Kundendienst"],
        "read-only" => L["nur lesen"],
        _ => role,
    };

    public static string KeyKind(string kind, IStringLocalizer<ConsoleTexts> L) => kind switch
    {
        "storefront" => L["Storefront"],
        "partner" => L["Partner"],
        "admin" => L["Verwaltung"],
        _ => kind,
    };

    public static string KeyStatus(string status, IStringLocalizer<ConsoleTexts> L) => status switch
    {
        "active" => L["aktiv"],
        "expired" => L["abgelaufen"],
        "revoked" => L["gesperrt"],
        _ => status,
    };

    public static string DeliveryStatus(string status, IStringLocalizer<ConsoleTexts> L) => status switch
    {
        "pending" => L["ausstehend"],
        "delivered" => L["zugestellt"],
        "failed" => L["fehlgeschlagen"],
        _ => status,
    };
}
