using MachCommerce.Hosting.Identity;
using MachCommerce.Identity.Audit;
using MachCommerce.Identity.Data;

namespace MachCommerce.Identity.Staff;

/// <summary>A shop's rules for how its staff sign in; a shop without a row has the defaults (no second factor required).</summary>
public sealed class ShopSecurity
{
    public string TenantId { get; set; } = "";

    public bool RequireTwoFactor { get; set; }

    public DateTimeOffset UpdatedAt { get; set; }

    public string UpdatedBy { get; set; } = "";
}

public sealed record ShopSecurityInput(bool? RequireTwoFactor);

/// <param name="StaffWithoutSecondFactor">People of the shop who have not set up a second factor yet (who would be asked to first, where it is required).</param>
public sealed record ShopSecurityView(bool RequireTwoFactor, int StaffWithoutSecondFactor, DateTimeOffset? UpdatedAt, string? UpdatedBy);

/// <summary>
/// The owner's switch (<c>/api/identity/security</c>): whether everybody who works in the shop must sign in with a
/// second factor. Once on, a person without one is sent to set it up before any front end gets a token for the
/// shop, and refresh tokens of such people stop working (they sign in again and set it up).
/// </summary>
public static class ShopSecurityApi
{
    public static void MapShopSecurityApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/security").WithTags("Staff").RequireScope(Scopes.ClientsManage);
        group.MapGet("/", Get).WithName("GetShopSecurity");
        group.MapPut("/", Put).WithName("ReplaceShopSecurity");
    }

    /// <summary>Whether the shop requires a second factor of its staff.</summary>
    public static async Task<bool> RequiresTwoFactorAsync(this IdentityDb db, string tenantId, CancellationToken cancellationToken) =>
        await db.Set<ShopSecurity>().AsNoTracking().AnyAsync(s => s.TenantId == tenantId && s.RequireTwoFactor, cancellationToken);

    private static async Task<Ok<ShopSecurityView>> Get(RequestIdentity identity, IdentityDb db, CancellationToken cancellationToken) =>
        TypedResults.Ok(await ViewAsync(db, identity.TenantId, cancellationToken));

    private static async Task<Results<Ok<ShopSecurityView>, ValidationProblem>> Put(ShopSecurityInput input, RequestIdentity identity, IdentityDb db, AuditLog audit, TimeProvider time,
        CancellationToken cancellationToken)
    {
        if (input.RequireTwoFactor is not { } require)
        {
            return FieldErrors.Problem("requireTwoFactor", "is required: true or false.");
        }

        var settings = await db.Set<ShopSecurity>().FindAsync([identity.TenantId], cancellationToken);
        if (settings is null)
        {
            settings = new ShopSecurity { TenantId = identity.TenantId };
            db.Add(settings);
        }

        if (settings.RequireTwoFactor != require || settings.UpdatedBy.Length == 0)
        {
            settings.RequireTwoFactor = require;
            settings.UpdatedAt = time.GetUtcNow();
            settings.UpdatedBy = identity.Assertion.Subject;
            audit.Add(identity.TenantId, identity.Assertion.Subject, require ? AuditLog.Actions.TwoFactorRequired : AuditLog.Actions.TwoFactorOptional, null);
            await db.SaveChangesAsync(cancellationToken);
        }

        return TypedResults.Ok(await ViewAsync(db, identity.TenantId, cancellationToken));
    }

    private static async Task<ShopSecurityView> ViewAsync(IdentityDb db, string tenantId, CancellationToken cancellationToken)
    {
        var settings = await db.Set<ShopSecurity>().AsNoTracking().FirstOrDefaultAsync(s => s.TenantId == tenantId, cancellationToken);
        var without = await (from m in db.Set<Membership>() join u in db.Users on m.UserId equals u.Id where m.TenantId == tenantId && !u.TwoFactorEnabled select m)
            .CountAsync(cancellationToken);
        return new ShopSecurityView(settings?.RequireTwoFactor ?? false, without, settings?.UpdatedAt, settings?.UpdatedBy);
    }
}
