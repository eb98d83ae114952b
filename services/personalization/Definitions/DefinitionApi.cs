using MachCommerce.Hosting.Data;
using MachCommerce.Hosting.Http;
using MachCommerce.Personalization.Decisions;

namespace MachCommerce.Personalization.Definitions;

/// <summary>A merchant definition that passed validation: the columns the service queries by and the rest as JSON.</summary>
internal sealed record ValidDefinition(string Name, string Status, JsonObject Definition);

/// <summary>What a validator can look at: the transaction (to check referenced ids), the tenant and the row being replaced.</summary>
internal sealed record DefinitionContext(NpgsqlTransaction Transaction, string TenantId, FieldErrors Errors, StoredDefinition? Existing);

/// <summary>
/// What a create or replace binds besides the id and the body, as one <c>[AsParameters]</c> argument, so each kind's
/// handler names only its body type (which it must: see <see cref="DefinitionApi{TInput}.Map"/>).
/// </summary>
internal readonly record struct DefinitionWrite(RequestIdentity Identity, HttpContext Http, PersonalizationDatabase Database, TenantDefinitions Cache,
    CancellationToken CancellationToken);

internal sealed record StoredDefinition(Guid Id, string Name, string Status, JsonObject Definition, int Version, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt)
{
    /// <summary>The API's view: the definition as accepted, with id, name, status, version and timestamps.</summary>
    public JsonObject View()
    {
        var view = new JsonObject { ["id"] = Id, ["name"] = Name, ["status"] = Status };
        foreach (var (key, value) in Definition)
        {
            view[key] = value?.DeepClone();
        }

        view["version"] = Version;
        view["createdAt"] = CreatedAt;
        view["updatedAt"] = UpdatedAt;
        return view;
    }
}

/// <summary>
/// The REST surface every kind of merchant definition shares (segments, offers, experiments): create, read with
/// ETag and 304, replace with If-Match (412 when stale), delete, and a cursor-paginated list. The kind supplies
/// its validator and, optionally, what forbids a delete and where a definition is kept instead of here (a
/// cooperative campaign's copy: 409 on replace and delete). Every write invalidates the tenant's cached definitions.
/// </summary>
internal sealed class DefinitionApi<TInput>(
    string table, string noun,
    Func<TInput, DefinitionContext, Task<ValidDefinition?>> validate,
    Func<NpgsqlTransaction, string, StoredDefinition, CancellationToken, Task<string?>>? deleteBlockedBy = null,
    Func<StoredDefinition, string?>? keptElsewhere = null)
    where TInput : class
{
    public const int MaxPageSize = 100;

    public string Table => table;

    /// <summary>
    /// Maps list, read and delete; the kind maps create and replace itself with <see cref="Create"/> and
    /// <see cref="Replace"/>, because ASP.NET Core's route analyzer cannot look at a handler whose body type is
    /// a type parameter (it throws, and analyzer failures are build errors here).
    /// </summary>
    public RouteGroupBuilder Map(IEndpointRouteBuilder app, string prefix, string scope)
    {
        var group = app.MapGroup(prefix).WithTags(noun + "s").RequireScope(scope);
        group.MapGet("/", List).WithName($"List{noun}s");
        group.MapGet("/{id:guid}", Get).WithName($"Get{noun}");
        group.MapDelete("/{id:guid}", Delete).WithName($"Delete{noun}");
        return group;
    }

    public async Task<Results<Created<JsonObject>, ValidationProblem, ProblemHttpResult>> Create(TInput input, DefinitionWrite write)
    {
        var (identity, http, database, cache, cancellationToken) = write;
        await using var db = await database.BeginAsync(identity.TenantId, cancellationToken);
        var errors = new FieldErrors();
        if (await validate(input, new DefinitionContext(db.Transaction, identity.TenantId, errors, null)) is not { } valid)
        {
            return TypedResults.ValidationProblem(errors);
        }

        var id = Guid.CreateVersion7();
        if (await DefinitionStore.InsertAsync(db.Transaction, table, identity.TenantId, id, valid, cancellationToken) is { } conflict)
        {
            return Conflict(conflict);
        }

        var stored = await CommitAsync(db, identity.TenantId, id, cache, http, cancellationToken);
        return TypedResults.Created($"{http.Request.PathBase}{http.Request.Path.Value!.TrimEnd('/')}/{id}", stored.View());
    }

    /// <summary>Commits a create or replace: the definition as stored, the tenant's cached definitions forgotten, its version the ETag.</summary>
    private async Task<StoredDefinition> CommitAsync(TenantScope db, string tenantId, Guid id, TenantDefinitions cache, HttpContext http, CancellationToken cancellationToken)
    {
        var stored = (await DefinitionStore.FindAsync(db.Transaction, table, tenantId, id, cancellationToken))!;
        await db.Transaction.CommitAsync(cancellationToken);
        cache.Invalidate(tenantId);
        http.Response.Headers.ETag = Preconditions.ETag(stored.Version);
        return stored;
    }

    private async Task<Results<Ok<JsonObject>, ProblemHttpResult, StatusCodeHttpResult>> Get(Guid id, RequestIdentity identity, HttpContext http, PersonalizationDatabase database, CancellationToken cancellationToken)
    {
        await using var db = await database.BeginAsync(identity.TenantId, cancellationToken);
        if (await DefinitionStore.FindAsync(db.Transaction, table, identity.TenantId, id, cancellationToken) is not { } stored)
        {
            return NotFound(id);
        }

        var etag = Preconditions.ETag(stored.Version);
        http.Response.Headers.ETag = etag;
        return http.Request.Headers.IfNoneMatch.Any(v => v == etag) ? TypedResults.StatusCode(StatusCodes.Status304NotModified) : TypedResults.Ok(stored.View());
    }

    public async Task<Results<Ok<JsonObject>, ValidationProblem, ProblemHttpResult>> Replace(Guid id, TInput input, DefinitionWrite write)
    {
        var (identity, http, database, cache, cancellationToken) = write;
        var versioned = Preconditions.TryReadIfMatch(http, out var expectedVersion, out var problem);
        await using var db = await database.BeginAsync(identity.TenantId, cancellationToken);
        if (await DefinitionStore.FindAsync(db.Transaction, table, identity.TenantId, id, cancellationToken, forUpdate: true) is not { } existing)
        {
            return NotFound(id);
        }

        // Where it is kept says more than a missing If-Match would: no version makes the change possible here.
        if (keptElsewhere?.Invoke(existing) is { } elsewhere)
        {
            return Conflict(elsewhere);
        }

        if (!versioned)
        {
            return problem!;
        }

        if (existing.Version != expectedVersion)
        {
            return Preconditions.Stale($"{noun} {id}");
        }

        var errors = new FieldErrors();
        if (await validate(input, new DefinitionContext(db.Transaction, identity.TenantId, errors, existing)) is not { } valid)
        {
            return TypedResults.ValidationProblem(errors);
        }

        if (await DefinitionStore.UpdateAsync(db.Transaction, table, identity.TenantId, id, valid, cancellationToken) is { } conflict)
        {
            return Conflict(conflict);
        }

        var stored = await CommitAsync(db, identity.TenantId, id, cache, http, cancellationToken);
        return TypedResults.Ok(stored.View());
    }

    private async Task<Results<NoContent, ProblemHttpResult>> Delete(Guid id, RequestIdentity identity, PersonalizationDatabase database, TenantDefinitions cache, CancellationToken cancellationToken)
    {
        await using var db = await database.BeginAsync(identity.TenantId, cancellationToken);
        if (await DefinitionStore.FindAsync(db.Transaction, table, identity.TenantId, id, cancellationToken, forUpdate: true) is not { } existing)
        {
            return NotFound(id);
        }

        if (keptElsewhere?.Invoke(existing) is { } elsewhere)
        {
            return Conflict(elsewhere);
        }

        if (deleteBlockedBy is not null && await deleteBlockedBy(db.Transaction, identity.TenantId, existing, cancellationToken) is { } reason)
        {
            return Conflict(reason);
        }

        await DefinitionStore.DeleteAsync(db.Transaction, table, identity.TenantId, id, cancellationToken);
        await db.Transaction.CommitAsync(cancellationToken);
        cache.Invalidate(identity.TenantId);
        return TypedResults.NoContent();
    }

    private async Task<Results<Ok<DefinitionPage<JsonObject>>, ValidationProblem>> List(RequestIdentity identity, PersonalizationDatabase database, CancellationToken cancellationToken,
        string? status = null, string? cursor = null, int limit = 50)
    {
        var errors = new FieldErrors();
        if (limit is < 1 or > MaxPageSize)
        {
            errors.Add("limit", $"must be between 1 and {MaxPageSize}.");
        }

        Guid? after = null;
        if (cursor is not null)
        {
            if (Guid.TryParse(cursor, out var parsed))
            {
                after = parsed;
            }
            else
            {
                errors.Add("cursor", "is not a cursor this API returned.");
            }
        }

        if (errors.Any)
        {
            return TypedResults.ValidationProblem(errors);
        }

        await using var db = await database.BeginAsync(identity.TenantId, cancellationToken);
        var page = await DefinitionStore.ListAsync(db.Transaction, table, identity.TenantId, status, after, limit + 1, cancellationToken);
        var items = page.Take(limit).Select(d => d.View()).ToList();
        return TypedResults.Ok(new DefinitionPage<JsonObject>(items, page.Count > limit ? page[limit - 1].Id.ToString() : null));
    }

    private ProblemHttpResult NotFound(Guid id) => TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: $"{noun} not found", detail: $"There is no {noun.ToLowerInvariant()} {id}.");

    private static ProblemHttpResult Conflict(string detail) => TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, title: "Conflict", detail: detail);
}

/// <summary>The SQL behind <see cref="DefinitionApi{TInput}"/>; <c>table</c> is always one of the service's own constants.</summary>
internal static class DefinitionStore
{
    private const string Columns = "id, name, status, definition::text, version, created_at, updated_at";

    public static async Task<string?> InsertAsync(NpgsqlTransaction transaction, string table, string tenantId, Guid id, ValidDefinition definition, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand($"INSERT INTO {table} (id, tenant_id, name, status, definition) VALUES ($1, $2, $3, $4, $5::jsonb) ON CONFLICT DO NOTHING",
            transaction.Connection, transaction);
        command.Parameters.Add(new() { Value = id });
        command.Parameters.Add(new() { Value = tenantId });
        command.Parameters.Add(new() { Value = definition.Name });
        command.Parameters.Add(new() { Value = definition.Status });
        command.Parameters.Add(new() { Value = definition.Definition.ToJsonString() });
        return await command.ExecuteNonQueryAsync(cancellationToken) == 1 ? null : NameTaken(definition.Name);
    }

    public static async Task<string?> UpdateAsync(NpgsqlTransaction transaction, string table, string tenantId, Guid id, ValidDefinition definition, CancellationToken cancellationToken)
    {
        await using var nameTaken = new NpgsqlCommand($"SELECT 1 FROM {table} WHERE tenant_id = $1 AND name = $2 AND id <> $3", transaction.Connection, transaction);
        nameTaken.Parameters.Add(new() { Value = tenantId });
        nameTaken.Parameters.Add(new() { Value = definition.Name });
        nameTaken.Parameters.Add(new() { Value = id });
        if (await nameTaken.ExecuteScalarAsync(cancellationToken) is not null)
        {
            return NameTaken(definition.Name);
        }

        await using var command = new NpgsqlCommand(
            $"UPDATE {table} SET name = $3, status = $4, definition = $5::jsonb, version = version + 1, updated_at = now() WHERE tenant_id = $1 AND id = $2",
            transaction.Connection, transaction);
        command.Parameters.Add(new() { Value = tenantId });
        command.Parameters.Add(new() { Value = id });
        command.Parameters.Add(new() { Value = definition.Name });
        command.Parameters.Add(new() { Value = definition.Status });
        command.Parameters.Add(new() { Value = definition.Definition.ToJsonString() });
        await command.ExecuteNonQueryAsync(cancellationToken);
        return null;
    }

    public static async Task<StoredDefinition?> FindAsync(NpgsqlTransaction transaction, string table, string tenantId, Guid id, CancellationToken cancellationToken, bool forUpdate = false)
    {
        await using var command = new NpgsqlCommand($"SELECT {Columns} FROM {table} WHERE tenant_id = $1 AND id = $2" + (forUpdate ? " FOR UPDATE" : ""),
            transaction.Connection, transaction);
        command.Parameters.Add(new() { Value = tenantId });
        command.Parameters.Add(new() { Value = id });
        return (await ReadAsync(command, cancellationToken)).FirstOrDefault();
    }

    public static async Task<List<StoredDefinition>> ListAsync(NpgsqlTransaction transaction, string table, string tenantId, string? status, Guid? after, int limit,
        CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(
            $"SELECT {Columns} FROM {table} WHERE tenant_id = $1 AND ($2::text IS NULL OR status = $2) AND ($3::uuid IS NULL OR id > $3) ORDER BY id LIMIT $4",
            transaction.Connection, transaction);
        command.Parameters.Add(new() { Value = tenantId });
        command.Parameters.Add(new() { Value = (object?)status ?? DBNull.Value, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Text });
        command.Parameters.Add(new() { Value = (object?)after ?? DBNull.Value, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Uuid });
        command.Parameters.Add(new() { Value = limit });
        return await ReadAsync(command, cancellationToken);
    }

    /// <summary>Every definition of the tenant in the given states, for the decision cache.</summary>
    public static async Task<List<StoredDefinition>> AllAsync(NpgsqlConnection connection, NpgsqlTransaction? transaction, string table, string tenantId, string[] statuses,
        CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand($"SELECT {Columns} FROM {table} WHERE tenant_id = $1 AND status = ANY($2)", connection, transaction);
        command.Parameters.Add(new() { Value = tenantId });
        command.Parameters.Add(new() { Value = statuses });
        return await ReadAsync(command, cancellationToken);
    }

    public static async Task SetStatusAsync(NpgsqlTransaction transaction, string table, string tenantId, Guid id, string status, JsonObject definition, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(
            $"UPDATE {table} SET status = $3, definition = $4::jsonb, version = version + 1, updated_at = now() WHERE tenant_id = $1 AND id = $2",
            transaction.Connection, transaction);
        command.Parameters.Add(new() { Value = tenantId });
        command.Parameters.Add(new() { Value = id });
        command.Parameters.Add(new() { Value = status });
        command.Parameters.Add(new() { Value = definition.ToJsonString() });
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public static async Task DeleteAsync(NpgsqlTransaction transaction, string table, string tenantId, Guid id, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand($"DELETE FROM {table} WHERE tenant_id = $1 AND id = $2", transaction.Connection, transaction);
        command.Parameters.Add(new() { Value = tenantId });
        command.Parameters.Add(new() { Value = id });
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private static async Task<List<StoredDefinition>> ReadAsync(NpgsqlCommand command, CancellationToken cancellationToken)
    {
        var rows = new List<StoredDefinition>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            rows.Add(new StoredDefinition(reader.GetGuid(0), reader.GetString(1), reader.GetString(2), JsonNode.Parse(reader.GetString(3))!.AsObject(),
                reader.GetInt32(4), reader.GetFieldValue<DateTimeOffset>(5), reader.GetFieldValue<DateTimeOffset>(6)));
        }

        return rows;
    }

    private static string NameTaken(string name) => $"The name '{name}' is already used; names are unique per shop.";

    public static JsonObject ToJsonObject<T>(T value) => JsonSerializer.SerializeToNode(value, Json)!.AsObject();

    public static T FromJson<T>(JsonObject json) => json.Deserialize<T>(Json)!;

    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull,
    };
}
