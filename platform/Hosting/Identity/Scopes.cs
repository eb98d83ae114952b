namespace MachCommerce.Hosting.Identity;

/// <summary>The scopes the gateway can grant. A service checks them per endpoint group.</summary>
public static class Scopes
{
    public const string CatalogRead = "catalog:read";
    public const string CatalogWrite = "catalog:write";
    public const string ProfilesRead = "profiles:read";
    public const string ProfilesWrite = "profiles:write";
    public const string PersonalizationTrack = "personalization:track";
    public const string PersonalizationDecide = "personalization:decide";
    public const string PersonalizationManage = "personalization:manage";
    public const string GdprExport = "gdpr:export";
    public const string GdprErase = "gdpr:erase";

    public static readonly IReadOnlyList<string> All =
    [
        CatalogRead, CatalogWrite, ProfilesRead, ProfilesWrite, PersonalizationTrack, PersonalizationDecide,
        PersonalizationManage, GdprExport, GdprErase,
    ];
}
