using MachCommerce.Hosting.Http;

namespace MachCommerce.Webhooks.Audit;

/// <summary><c>GET /api/webhooks/audit</c>: newest first, what was subscribed, changed, rotated, deleted or switched off.</summary>
public static class AuditApi
{
    public static void MapAuditApi(this IEndpointRouteBuilder app) =>
        app.MapGet("/audit", Read).WithTags("Audit").WithName("ReadWebhooksAuditLog").RequireScope(Scopes.WebhooksManage);

    private static async Task<Results<Ok<AuditPage>, ValidationProblem>> Read(RequestIdentity identity, WebhooksDatabase database, CancellationToken cancellationToken,
        string? cursor = null, int limit = 50)
    {
        if (!IdPages.TryRead(cursor, limit, 200, out var before, out var errors))
        {
            return TypedResults.ValidationProblem(errors);
        }

        var (page, next) = await AuditLog.ReadAsync(database, identity, before, limit, cancellationToken);
        return TypedResults.Ok(new AuditPage(page, next));
    }
}
