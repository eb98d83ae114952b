using MachCommerce.Hosting.Identity;
using MachCommerce.Identity.Tokens;

namespace MachCommerce.Identity.Staff;

/// <summary>
/// The people above a single shop, managed by the platform operator: a cooperative's staff
/// (<c>/cooperative-staff</c>, the cooperative's id as the assertion's tenant) and the platform's operators
/// (<c>/platform-operators</c>). Reached only through the gateway's <c>/api/admin/cooperatives/{id}/staff</c> and
/// <c>/api/admin/operators</c>, whose assertions alone carry <see cref="Scopes.CooperativesManage"/> and
/// <see cref="Scopes.OperatorsManage"/>; the gateway has checked that the cooperative exists.
/// </summary>
public static class PlatformStaffApi
{
    public static void MapPlatformStaffApi(this IEndpointRouteBuilder app)
    {
        var cooperative = app.MapGroup("/cooperative-staff").WithTags("Cooperative staff").RequireScope(Scopes.CooperativesManage);
        cooperative.MapPost("/", (StaffInput input, RequestIdentity identity, StaffDirectory staff, IOptions<IdentityServerOptions> options, CancellationToken cancellationToken) =>
            StaffApi.InviteAsync(input, "/cooperative-staff",
                (email, role) => staff.InviteToCooperativeAsync(identity.TenantId, email, role, identity.Assertion.Subject, new Uri(options.Value.Issuer), cancellationToken)))
            .WithName("InviteCooperativeStaff");
        cooperative.MapGet("/", async (RequestIdentity identity, StaffDirectory staff, CancellationToken cancellationToken) =>
            TypedResults.Ok(await staff.ListCooperativeAsync(identity.TenantId, cancellationToken))).WithName("ListCooperativeStaff");
        cooperative.MapDelete("/{userId:guid}", async (Guid userId, RequestIdentity identity, StaffDirectory staff, CancellationToken cancellationToken) =>
            Removed(await staff.RemoveFromCooperativeAsync(identity.TenantId, userId, cancellationToken))).WithName("RemoveCooperativeStaff");

        var operators = app.MapGroup("/platform-operators").WithTags("Platform operators").RequireScope(Scopes.OperatorsManage);
        operators.MapPost("/", (StaffInput input, RequestIdentity identity, StaffDirectory staff, IOptions<IdentityServerOptions> options, CancellationToken cancellationToken) =>
            StaffApi.InviteAsync(input, "/platform-operators",
                (email, _) => staff.InviteOperatorAsync(email, identity.Assertion.Subject, new Uri(options.Value.Issuer), cancellationToken), StaffRoles.Operator))
            .WithName("InviteOperator");
        operators.MapGet("/", async (StaffDirectory staff, CancellationToken cancellationToken) => TypedResults.Ok(await staff.ListOperatorsAsync(cancellationToken)))
            .WithName("ListOperators");
        operators.MapDelete("/{userId:guid}", async (Guid userId, StaffDirectory staff, CancellationToken cancellationToken) =>
            Removed(await staff.RemoveOperatorAsync(userId, cancellationToken))).WithName("RemoveOperator");
    }

    private static Results<NoContent, NotFound> Removed(bool removed) => removed ? TypedResults.NoContent() : TypedResults.NotFound();
}
