namespace MachCommerce.MerchantConsole.Settings;

/// <summary>Roles, keys and deliveries in a shop owner's words.</summary>
public static class SettingsTexts
{
    public static readonly IReadOnlyList<string> Roles = ["owner", "marketing", "catalog", "support", "read-only"];

    /// <summary>What a partner key may be given (the platform's scopes; an owner's own rights are never a partner's).</summary>
    public static readonly IReadOnlyList<string> PartnerScopes =
        ["catalog:read", "catalog:write", "profiles:read", "profiles:write", "personalization:track", "personalization:decide", "personalization:manage", "gdpr:export", "gdpr:erase", "webhooks:manage"];

    public static string Role(string role) => role switch
    {
        "owner" => "Inhaber (alles)",
        "marketing" => "Marketing",
        "catalog" => "Katalog",
        "support" => "Kundendienst",
        "read-only" => "nur lesen",
        _ => role,
    };

    public static string KeyKind(string kind) => kind switch
    {
        "storefront" => "Storefront",
        "partner" => "Partner",
        "admin" => "Verwaltung",
        _ => kind,
    };

    public static string KeyStatus(string status) => status switch
    {
        "active" => "aktiv",
        "expired" => "abgelaufen",
        "revoked" => "gesperrt",
        _ => status,
    };

    public static string DeliveryStatus(string status) => status switch
    {
        "pending" => "ausstehend",
        "delivered" => "zugestellt",
        "failed" => "fehlgeschlagen",
        _ => status,
    };
}
