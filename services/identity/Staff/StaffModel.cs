using MachCommerce.Hosting.Identity;

namespace MachCommerce.Identity.Staff;

/// <summary>A person who works in one or more shops (ASP.NET Core Identity's user: password hash, lockout, second factor).</summary>
public sealed class StaffUser : IdentityUser<Guid>;

/// <summary>A staff member's place in a shop: which shop, which role.</summary>
public sealed class Membership
{
    public Guid UserId { get; set; }

    public string TenantId { get; set; } = "";

    public string Role { get; set; } = "";

    public DateTimeOffset CreatedAt { get; set; }

    public string CreatedBy { get; set; } = "";
}

/// <summary>
/// A person's place in a cooperative (Verbundgruppe): they act in each of its member shops (which the gateway knows)
/// with the role's rights, except a shop's own keys, clients and staff.
/// </summary>
public sealed class CooperativeMembership
{
    public Guid UserId { get; set; }

    public string CooperativeId { get; set; } = "";

    public string Role { get; set; } = "";

    public DateTimeOffset CreatedAt { get; set; }

    public string CreatedBy { get; set; } = "";
}

/// <summary>A person who operates the platform: manages tenants and cooperatives (as the platform key does), acts in no shop.</summary>
public sealed class PlatformOperator
{
    public Guid UserId { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    public string CreatedBy { get; set; } = "";
}

/// <summary>A one-time link to set a password; only its hash is kept. For a cooperative's staff member the tenant is empty.</summary>
public sealed class Invitation
{
    public Guid Id { get; set; }

    public Guid UserId { get; set; }

    public string TenantId { get; set; } = "";

    public byte[] TokenHash { get; set; } = [];

    public DateTimeOffset ExpiresAt { get; set; }

    public DateTimeOffset? UsedAt { get; set; }

    public string CreatedBy { get; set; } = "";
}

/// <summary>
/// The roles a shop gives its staff, as the scopes their tokens carry at the gateway. The owner is the shop's admin
/// (everything, staff and partner access included); the others see and change what their work needs.
/// </summary>
public static class StaffRoles
{
    public const string Owner = "owner";
    public const string Marketing = "marketing";
    public const string Catalog = "catalog";
    public const string Support = "support";
    public const string ReadOnly = "read-only";

    /// <summary>A platform operator's role (not a shop's: no shop gives it).</summary>
    public const string Operator = "operator";

    public static readonly IReadOnlyDictionary<string, IReadOnlyList<string>> ScopesOf = new Dictionary<string, IReadOnlyList<string>>
    {
        [Owner] = [.. Scopes.All, .. Scopes.OwnerOnly],
        [Marketing] = [Scopes.CatalogRead, Scopes.ProfilesRead, Scopes.PersonalizationManage, Scopes.PersonalizationDecide],
        [Catalog] = [Scopes.CatalogRead, Scopes.CatalogWrite],
        [Support] = [Scopes.CatalogRead, Scopes.ProfilesRead, Scopes.ProfilesWrite, Scopes.GdprExport, Scopes.GdprErase],
        [ReadOnly] = [Scopes.CatalogRead, Scopes.ProfilesRead],
    };

    public static IReadOnlyList<string> All => [.. ScopesOf.Keys];

    /// <summary>A cooperative's staff in a member shop: their role's scopes, never what hands out the shop's own access.</summary>
    public static IReadOnlyList<string> CooperativeScopesOf(string role) => [.. ScopesOf[role].Where(s => !Scopes.OwnerOnly.Contains(s))];
}
