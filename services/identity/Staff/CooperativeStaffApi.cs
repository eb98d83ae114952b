using MachCommerce.Hosting.Identity;
using MachCommerce.Identity.Tokens;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;

namespace MachCommerce.Identity.Staff;

/// <summary>
/// A cooperative's staff (<c>/cooperative-staff</c>): invite with a role, list, remove. Reached only through the
/// gateway's <c>/api/admin/cooperatives/{id}/staff</c> (the platform operator's), whose assertion carries
/// <see cref="Scopes.CooperativesManage"/> and the cooperative's id as its tenant; the gateway has checked that the
/// cooperative exists.
/// </summary>
public static class CooperativeStaffApi
{
    public static void MapCooperativeStaffApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/cooperative-staff").WithTags("Cooperative staff").RequireScope(Scopes.CooperativesManage);
        group.MapPost("/", Invite).WithName("InviteCooperativeStaff");
        group.MapGet("/", List).WithName("ListCooperativeStaff");
        group.MapDelete("/{userId:guid}", Remove).WithName("RemoveCooperativeStaff");
    }

    private static Task<Results<Created<StaffInvited>, ValidationProblem, Conflict<ProblemDetails>, ProblemHttpResult>> Invite(StaffInput input, RequestIdentity identity,
        StaffDirectory staff, IOptions<IdentityServerOptions> options, CancellationToken cancellationToken) =>
        StaffApi.InviteAsync(input, "/cooperative-staff",
            (email, role) => staff.InviteToCooperativeAsync(identity.TenantId, email, role, identity.Assertion.Subject, new Uri(options.Value.Issuer), cancellationToken));

    private static async Task<Ok<List<StaffView>>> List(RequestIdentity identity, StaffDirectory staff, CancellationToken cancellationToken) =>
        TypedResults.Ok(await staff.ListCooperativeAsync(identity.TenantId, cancellationToken));

    private static async Task<Results<NoContent, NotFound>> Remove(Guid userId, RequestIdentity identity, StaffDirectory staff, CancellationToken cancellationToken) =>
        await staff.RemoveFromCooperativeAsync(identity.TenantId, userId, cancellationToken) ? TypedResults.NoContent() : TypedResults.NotFound();
}
