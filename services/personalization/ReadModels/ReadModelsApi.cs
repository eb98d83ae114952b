namespace MachCommerce.Personalization.ReadModels;

/// <summary>How far personalization's copies of the catalog and of profiles have come: for operators and for seeding.</summary>
internal static class ReadModelsApi
{
    public static void MapReadModelsApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/read-models", Status).WithTags("Read models").RequireScope(Scopes.PersonalizationManage).WithName("ReadModelStatus");
    }

    private static async Task<Ok<ReadModelStatus>> Status(RequestIdentity identity, PersonalizationDatabase database, CancellationToken cancellationToken)
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
        return TypedResults.Ok(new ReadModelStatus(
            new ProductCopies(reader.GetInt64(0), reader.GetInt64(1), reader.IsDBNull(2) ? null : reader.GetFieldValue<DateTimeOffset>(2)),
            new ProfileCopies(reader.GetInt64(3), reader.GetInt64(4), reader.GetInt64(5))));
    }
}

/// <summary>How far this service's copies of other services' data have come.</summary>
public sealed record ReadModelStatus(ProductCopies Products, ProfileCopies Profiles);

/// <summary>Products copied from the catalog: all, those a shopper may be shown, and the latest change received.</summary>
public sealed record ProductCopies(long Total, long Showable, DateTimeOffset? LastChangeAt);

/// <summary>Profiles copied from the profiles service: all, consenting, and visitors joined to one.</summary>
public sealed record ProfileCopies(long Total, long Consenting, long LinkedVisitors);
