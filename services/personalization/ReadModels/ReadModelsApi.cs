using MachCommerce.Hosting.Identity;
using Npgsql;

namespace MachCommerce.Personalization.ReadModels;

/// <summary>How far personalization's copies of the catalog and of profiles have come: for operators and for seeding.</summary>
internal static class ReadModelsApi
{
    public static void MapReadModelsApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/read-models", Status).WithTags("Read models").RequireScope(Scopes.PersonalizationManage).WithName("ReadModelStatus");
    }

    private static async Task<IResult> Status(RequestIdentity identity, PersonalizationDatabase database, CancellationToken cancellationToken)
    {
        await using var db = await database.BeginAsync(identity.TenantId, cancellationToken);
        await using var command = new NpgsqlCommand("""
            SELECT (SELECT count(*) FROM products WHERE tenant_id = $1),
                   (SELECT count(*) FROM products WHERE tenant_id = $1 AND available AND status = 'published'),
                   (SELECT max(updated_at) FROM products WHERE tenant_id = $1),
                   (SELECT count(*) FROM profiles WHERE tenant_id = $1),
                   (SELECT count(*) FROM profiles WHERE tenant_id = $1 AND consent),
                   (SELECT count(*) FROM visitors WHERE tenant_id = $1 AND profile_id IS NOT NULL)
            """, db.Connection, db.Transaction);
        command.Parameters.Add(new() { Value = identity.TenantId });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        await reader.ReadAsync(cancellationToken);
        return TypedResults.Ok(new
        {
            products = new { total = reader.GetInt64(0), showable = reader.GetInt64(1), lastChangeAt = reader.IsDBNull(2) ? (DateTimeOffset?)null : reader.GetFieldValue<DateTimeOffset>(2) },
            profiles = new { total = reader.GetInt64(3), consenting = reader.GetInt64(4), linkedVisitors = reader.GetInt64(5) },
        });
    }
}
