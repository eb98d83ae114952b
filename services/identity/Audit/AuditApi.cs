using MachCommerce.Hosting.Identity;

namespace MachCommerce.Identity.Audit;

/// <summary>The shop's audit log for its owner (<c>GET /api/identity/audit</c>): newest first, cursor pages.</summary>
public static class AuditApi
{
    public const int MaxPage = 200;

    public static void MapAuditApi(this IEndpointRouteBuilder app) =>
        app.MapGet("/audit", Read).WithTags("Audit").WithName("ReadAuditLog").RequireScope(Scopes.ClientsManage);

    private static async Task<Results<Ok<AuditPage>, ValidationProblem>> Read(RequestIdentity identity, AuditLog audit, CancellationToken cancellationToken,
        string? cursor = null, int limit = 50)
    {
        if (!IdPages.TryRead(cursor, limit, MaxPage, out var before, out var errors))
        {
            return TypedResults.ValidationProblem(errors);
        }

        return TypedResults.Ok(await audit.ReadAsync(identity.TenantId, before, limit, cancellationToken));
    }
}
