using MachCommerce.Hosting.Identity;
using MachCommerce.Identity.Mail;
using MachCommerce.Identity.Tokens;
using System.Net.Mail;

namespace MachCommerce.Identity.Staff;

/// <summary>A shop's staff for its owner (<c>/api/identity/staff</c>): invite with a role, list, remove.</summary>
public static class StaffApi
{
    public static void MapStaffApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/staff").WithTags("Staff").RequireScope(Scopes.ClientsManage);
        group.MapPost("/", Invite).WithName("InviteStaff");
        group.MapGet("/", List).WithName("ListStaff");
        group.MapDelete("/{userId:guid}", Remove).WithName("RemoveStaff");
    }

    private static Task<Results<Created<StaffInvited>, ValidationProblem, Conflict<ProblemDetails>, ProblemHttpResult>> Invite(StaffInput input, RequestIdentity identity, StaffDirectory staff,
        IOptions<IdentityServerOptions> options, CancellationToken cancellationToken) =>
        InviteAsync(input, "/staff", (email, role) => staff.InviteAsync(identity.TenantId, email, role, identity.Assertion.Subject, new Uri(options.Value.Issuer), cancellationToken));

    /// <summary>
    /// An invitation to a shop or a cooperative: the address and role checked (every problem by its field), the
    /// invitation made by <paramref name="invite"/>, a refusing mail server a 503 with nothing kept.
    /// </summary>
    internal static async Task<Results<Created<StaffInvited>, ValidationProblem, Conflict<ProblemDetails>, ProblemHttpResult>> InviteAsync(StaffInput input, string location,
        Func<string, string, Task<StaffInvited?>> invite, string? onlyRole = null)
    {
        var errors = new FieldErrors();
        var email = input.Email?.Trim() ?? "";
        if (email.Length is 0 or > 254 || !MailAddress.TryCreate(email, out var address) || address.Address != email)
        {
            errors["email"] = ["must be an e-mail address like anna@shop.example."];
        }

        if (onlyRole is not null)
        {
            input = input with { Role = input.Role ?? onlyRole };
            if (input.Role != onlyRole)
            {
                errors["role"] = [$"must be {onlyRole} (or left out)."];
            }
        }
        else if (input.Role is null || !StaffRoles.ScopesOf.ContainsKey(input.Role))
        {
            errors["role"] = [$"must be one of: {string.Join(", ", StaffRoles.All)}."];
        }

        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors);
        }

        StaffInvited? invited;
        try
        {
            invited = await invite(email.ToLowerInvariant(), input.Role!);
        }
        catch (MailNotSentException exception)
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status503ServiceUnavailable, title: "Invitation not sent",
                detail: "The mail server did not take the invitation, so none was kept; invite again in a moment. " + exception.Message);
        }

        return invited is null
            ? TypedResults.Conflict(new ProblemDetails
            {
                Title = "Invitation pending elsewhere", Status = StatusCodes.Status409Conflict,
                Detail = "This address has an invitation from another shop or cooperative that is not accepted yet; invite it again once it is, and the account gets this place too.",
            })
            : TypedResults.Created($"{location}/{invited.Staff.Id}", invited);
    }

    private static async Task<Ok<List<StaffView>>> List(RequestIdentity identity, StaffDirectory staff, CancellationToken cancellationToken) =>
        TypedResults.Ok(await staff.ListAsync(identity.TenantId, cancellationToken));

    private static async Task<Results<NoContent, NotFound>> Remove(Guid userId, RequestIdentity identity, StaffDirectory staff, CancellationToken cancellationToken) =>
        await staff.RemoveAsync(identity.TenantId, userId, identity.Assertion.Subject, cancellationToken) ? TypedResults.NoContent() : TypedResults.NotFound();
}
