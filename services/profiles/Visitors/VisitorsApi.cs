using System.Text.RegularExpressions;

namespace MachCommerce.Profiles.Visitors;

/// <summary>
/// Links an anonymous visitor id (issued by the storefront) to a profile when the visitor logs in or is
/// identified, and publishes <see cref="VisitorLinked"/> so personalization folds the visitor's history in.
/// A visitor id belongs to one profile; linking it to another is a 409.
/// </summary>
public static partial class VisitorsApi
{
    public static IEndpointRouteBuilder MapVisitorsApi(this IEndpointRouteBuilder app)
    {
        app.MapPost("/profiles/{profileId:guid}/visitors", Link).WithTags("Visitors").RequireScope(Scopes.ProfilesWrite);
        app.MapGet("/profiles/{profileId:guid}/visitors", List).WithTags("Visitors").RequireScope(Scopes.ProfilesRead);
        return app;
    }

    internal static async Task<Results<Created<VisitorLink>, Ok<VisitorLink>, ValidationProblem, ProblemHttpResult>> Link(Guid profileId, VisitorLinkInput input, RequestIdentity identity, ProfilesDatabase database, IEventOutbox outbox,
        CancellationToken cancellationToken)
    {
        var visitorId = input.VisitorId?.Trim();
        if (visitorId is null || !VisitorIdPattern().IsMatch(visitorId))
        {
            return FieldErrors.Problem("visitorId", "is required: 8 to 64 letters, digits, '-' or '_'.");
        }

        await using var db = await database.BeginAsync(identity, cancellationToken);
        if (!await Profiles.ProfileStore.ExistsAsync(db, profileId, cancellationToken))
        {
            return Profiles.ProfilesApi.NotFound(profileId);
        }

        await using var link = db.Command(
            """
            INSERT INTO visitors (tenant_id, visitor_id, profile_id) VALUES ($1, $2, $3)
            ON CONFLICT (tenant_id, visitor_id) DO UPDATE SET linked_at = visitors.linked_at
            RETURNING profile_id, (xmax = 0) AS inserted
            """);
        link.Parameters.Add(new() { Value = identity.TenantId });
        link.Parameters.Add(new() { Value = visitorId });
        link.Parameters.Add(new() { Value = profileId });
        Guid owner;
        bool inserted;
        await using (var reader = await link.ExecuteReaderAsync(cancellationToken))
        {
            await reader.ReadAsync(cancellationToken);
            owner = reader.GetGuid(0);
            inserted = reader.GetBoolean(1);
        }

        if (owner != profileId)
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, title: "Visitor belongs to another profile",
                detail: $"Visitor {visitorId} is already linked to another profile.");
        }

        if (inserted)
        {
            await outbox.AddAsync(db.Transaction, new VisitorLinked { TenantId = identity.TenantId, OccurredAt = DateTimeOffset.UtcNow, VisitorId = visitorId, ProfileId = profileId },
                profileId.ToString(), cancellationToken);
        }

        await db.CommitAsync(cancellationToken);
        var joined = new VisitorLink(visitorId, profileId);
        return inserted ? TypedResults.Created($"/profiles/{profileId}/visitors", joined) : TypedResults.Ok(joined);
    }

    internal static async Task<Results<Ok<List<LinkedVisitor>>, ProblemHttpResult>> List(Guid profileId, RequestIdentity identity, ProfilesDatabase database, CancellationToken cancellationToken)
    {
        await using var db = await database.BeginAsync(identity, cancellationToken);
        if (!await Profiles.ProfileStore.ExistsAsync(db, profileId, cancellationToken))
        {
            return Profiles.ProfilesApi.NotFound(profileId);
        }

        await using var command = db.Command("SELECT visitor_id, linked_at FROM visitors WHERE tenant_id = $1 AND profile_id = $2 ORDER BY linked_at");
        command.Parameters.Add(new() { Value = identity.TenantId });
        command.Parameters.Add(new() { Value = profileId });
        var visitors = new List<LinkedVisitor>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            visitors.Add(new LinkedVisitor(reader.GetString(0), reader.GetFieldValue<DateTimeOffset>(1)));
        }

        return TypedResults.Ok(visitors);
    }

    [GeneratedRegex("^[A-Za-z0-9_-]{8,64}$")]
    private static partial Regex VisitorIdPattern();
}
