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

    /// <summary>Subscribe the tenant's systems to events (webhooks); each event type also needs the scope that reads its data.</summary>
    public const string WebhooksManage = "webhooks:manage";

    /// <summary>Create, rotate and revoke the tenant's partner clients (OAuth client credentials): an owner's right only.</summary>
    public const string ClientsManage = "clients:manage";

    /// <summary>
    /// Manage a cooperative's staff: the platform operator's right. Only the gateway grants it, in the assertion of its
    /// own cooperative admin route, whose tenant is then the cooperative's id; no key, client or person holds it.
    /// </summary>
    public const string CooperativesManage = "cooperatives:manage";

    /// <summary>Manage the platform's operators (people who manage tenants and cooperatives): granted like <see cref="CooperativesManage"/>, by the gateway's own route only.</summary>
    public const string OperatorsManage = "operators:manage";

    /// <summary>
    /// Read the published products of a cooperative's member shops side by side (joint search, "at member shops near
    /// you"): granted like <see cref="CooperativesManage"/>, by the gateway's own cooperative routes only, which name
    /// the members themselves; no key, client or person holds it.
    /// </summary>
    public const string CatalogJoint = "catalog:joint";

    /// <summary>The scopes a partner key or partner client may be given.</summary>
    public static readonly IReadOnlyList<string> All =
    [
        CatalogRead, CatalogWrite, ProfilesRead, ProfilesWrite, PersonalizationTrack, PersonalizationDecide,
        PersonalizationManage, GdprExport, GdprErase, WebhooksManage,
    ];

    /// <summary>What only the shop's owner (an admin key) holds, never a partner: handing out access.</summary>
    public static readonly IReadOnlyList<string> OwnerOnly = [ClientsManage];
}
