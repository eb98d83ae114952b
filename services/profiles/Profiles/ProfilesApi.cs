using System.Buffers.Text;
using System.Globalization;
using MachCommerce.Hosting.Http;

namespace MachCommerce.Profiles.Profiles;

/// <summary>Profiles: create, read (by id, external id, e-mail), replace (If-Match), list and search, batch get.</summary>
public static class ProfilesApi
{
    public const int MaxBatchGet = 100;
    public const int MaxLimit = 100;

    public static IEndpointRouteBuilder MapProfilesApi(this IEndpointRouteBuilder app)
    {
        var read = app.MapGroup("/profiles").WithTags("Profiles").RequireScope(Scopes.ProfilesRead);
        read.MapGet("/{id:guid}", GetById);
        read.MapGet("/by-external-id/{externalId}", GetByExternalId);
        read.MapGet("/by-email/{email}", GetByEmail);
        read.MapGet("/", List).WithQueryParameters(
            new QueryParameter("q", "string", "Name prefix (first, last or company name), up to 100 characters."),
            new QueryParameter("emailPrefix", "string", "E-mail address prefix."),
            new QueryParameter("kind", "string", "person or company."),
            new QueryParameter("customerGroup", "string", "The B2B customer group, e.g. fachhandel."),
            new QueryParameter("limit", "integer", $"Items per page, 1 to {MaxLimit} (default 20)."),
            new QueryParameter("cursor", "string", "The nextCursor of the previous page."));
        read.MapPost("/batch-get", BatchGet);
        var write = app.MapGroup("/profiles").WithTags("Profiles").RequireScope(Scopes.ProfilesWrite);
        write.MapPost("/", Create);
        write.MapPut("/{id:guid}", Replace);
        return app;
    }

    internal static Task<Results<Ok<ProfileView>, ProblemHttpResult, StatusCodeHttpResult>> GetById(Guid id, RequestIdentity identity, HttpContext http, ProfilesDatabase database, CancellationToken cancellationToken) =>
        GetOne("id", id, identity, http, database, cancellationToken);

    internal static Task<Results<Ok<ProfileView>, ProblemHttpResult, StatusCodeHttpResult>> GetByExternalId(string externalId, RequestIdentity identity, HttpContext http, ProfilesDatabase database, CancellationToken cancellationToken) =>
        GetOne("external_id", externalId, identity, http, database, cancellationToken);

    internal static Task<Results<Ok<ProfileView>, ProblemHttpResult, StatusCodeHttpResult>> GetByEmail(string email, RequestIdentity identity, HttpContext http, ProfilesDatabase database, CancellationToken cancellationToken) =>
        GetOne("email", email.Trim().ToLowerInvariant(), identity, http, database, cancellationToken);

    private static async Task<Results<Ok<ProfileView>, ProblemHttpResult, StatusCodeHttpResult>> GetOne(string column, object key, RequestIdentity identity, HttpContext http, ProfilesDatabase database, CancellationToken cancellationToken)
    {
        await using var db = await database.BeginAsync(identity, cancellationToken);
        if (await ProfileStore.FindAsync(db, column, key, cancellationToken) is not { } profile)
        {
            return NotFound(key);
        }

        var etag = Preconditions.ETag(profile.Version);
        http.Response.Headers.ETag = etag;
        http.Response.Headers.CacheControl = "private, no-store"; // personal data: never in a shared cache
        return http.Request.Headers.IfNoneMatch.Any(v => v == etag) ? TypedResults.StatusCode(StatusCodes.Status304NotModified) : TypedResults.Ok(profile);
    }

    internal static async Task<Results<Created<ProfileView>, ValidationProblem, ProblemHttpResult>> Create(ProfileInput input, RequestIdentity identity, HttpContext http,
        ProfilesDatabase database, IEventOutbox outbox, CancellationToken cancellationToken)
    {
        var errors = new FieldErrors();
        if (ProfileValidator.Validate(input, errors) is not { } profile)
        {
            return TypedResults.ValidationProblem(errors);
        }

        var id = Guid.CreateVersion7();
        await using var db = await database.BeginAsync(identity, cancellationToken);
        var (_, conflict) = await ProfileStore.WriteAsync(db, id, profile, insert: true, expectedVersion: null, cancellationToken);
        if (conflict is not null)
        {
            return Conflict(conflict);
        }

        var created = await PublishAndCommitAsync(db, outbox, new ProfileRegistered
        {
            TenantId = identity.TenantId, OccurredAt = DateTimeOffset.UtcNow, ProfileId = id, Kind = profile.Kind,
            CustomerGroup = profile.CustomerGroup, Locale = profile.Locale, Traits = profile.TraitTexts(),
        }, cancellationToken);
        http.Response.Headers.ETag = Preconditions.ETag(created.Version);
        return TypedResults.Created($"/profiles/{id}", created);
    }

    internal static async Task<Results<Ok<ProfileView>, ValidationProblem, ProblemHttpResult>> Replace(Guid id, ProfileInput input, RequestIdentity identity, HttpContext http, ProfilesDatabase database,
        IEventOutbox outbox, CancellationToken cancellationToken)
    {
        if (!Preconditions.TryReadIfMatch(http, out var expectedVersion, out var problem))
        {
            return problem!;
        }

        var errors = new FieldErrors();
        var profile = ProfileValidator.Validate(input, errors);
        await using var db = await database.BeginAsync(identity, cancellationToken);
        if (await ProfileStore.FindAsync(db, "id", id, cancellationToken) is null)
        {
            return NotFound(id);
        }

        if (profile is null)
        {
            return TypedResults.ValidationProblem(errors);
        }

        var (version, conflict) = await ProfileStore.WriteAsync(db, id, profile, insert: false, expectedVersion, cancellationToken);
        if (conflict is not null)
        {
            return Conflict(conflict);
        }

        if (version is null)
        {
            return Preconditions.Stale($"Profile {id}");
        }

        var updated = await PublishAndCommitAsync(db, outbox, new ProfileChanged
        {
            TenantId = identity.TenantId, OccurredAt = DateTimeOffset.UtcNow, ProfileId = id, Kind = profile.Kind,
            CustomerGroup = profile.CustomerGroup, Locale = profile.Locale, Traits = profile.TraitTexts(),
        }, cancellationToken);
        http.Response.Headers.ETag = Preconditions.ETag(updated.Version);
        return TypedResults.Ok(updated);
    }

    /// <summary>The profile's event goes out with the write (outbox, same transaction); returns the profile as stored.</summary>
    private static async Task<ProfileView> PublishAndCommitAsync(TenantScope db, IEventOutbox outbox, ProfileState message, CancellationToken cancellationToken)
    {
        await outbox.AddAsync(db.Transaction, message, message.ProfileId.ToString(), cancellationToken);
        var stored = (await ProfileStore.FindAsync(db, "id", message.ProfileId, cancellationToken))!;
        await db.CommitAsync(cancellationToken);
        return stored;
    }

    /// <summary>
    /// Cursor pages of profiles, newest first, filtered by name prefix (<c>q</c>), e-mail prefix, kind and
    /// customer group.
    /// </summary>
    internal static async Task<Results<Ok<ProfilePage>, ValidationProblem>> List(HttpContext http, RequestIdentity identity, ProfilesDatabase database, CancellationToken cancellationToken)
    {
        var query = http.Request.Query;
        var errors = new FieldErrors();
        var limit = 20;
        if (query["limit"].ToString() is { Length: > 0 } limitText && (!int.TryParse(limitText, CultureInfo.InvariantCulture, out limit) || limit is < 1 or > MaxLimit))
        {
            errors["limit"] = [$"must be from 1 to {MaxLimit}."];
        }

        Guid? after = null;
        if (query["cursor"].ToString() is { Length: > 0 } cursorText)
        {
            try
            {
                after = new Guid(Base64Url.DecodeFromChars(cursorText));
            }
            catch (Exception exception) when (exception is FormatException or ArgumentException)
            {
                errors["cursor"] = ["is not a cursor of this listing."];
            }
        }

        var kind = query["kind"].ToString();
        if (kind.Length > 0 && kind is not ("person" or "company"))
        {
            errors["kind"] = ["must be person or company."];
        }

        var name = query["q"].ToString().Trim().ToLowerInvariant();
        var emailPrefix = query["emailPrefix"].ToString().Trim().ToLowerInvariant();
        var group = query["customerGroup"].ToString().Trim().ToLowerInvariant();
        if (name.Length > 100 || emailPrefix.Length > 254 || group.Length > 40)
        {
            errors["q"] = ["filters are at most 100 (q), 254 (emailPrefix) and 40 (customerGroup) characters."];
        }

        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors);
        }

        var parameters = new List<object> { identity.TenantId };
        var clauses = new List<string> { "tenant_id = $1" };
        string Add(object value)
        {
            parameters.Add(value);
            return "$" + parameters.Count.ToString(CultureInfo.InvariantCulture);
        }

        if (after is { } cursor)
        {
            clauses.Add($"id < {Add(cursor)}");
        }

        if (kind.Length > 0)
        {
            clauses.Add($"kind = {Add(kind)}");
        }

        if (group.Length > 0)
        {
            clauses.Add($"customer_group = {Add(group)}");
        }

        // Prefix searches on text_pattern_ops indexes; LIKE wildcards in the input are escaped, not interpreted.
        if (emailPrefix.Length > 0)
        {
            clauses.Add($"email LIKE {Add(EscapeLike(emailPrefix) + "%")}");
        }

        if (name.Length > 0)
        {
            clauses.Add($"(search_name LIKE {Add(EscapeLike(name) + "%")} OR search_name LIKE {Add("% " + EscapeLike(name) + "%")})");
        }

        await using var db = await database.BeginAsync(identity, cancellationToken);
        var items = await ProfileStore.QueryAsync(db, $"SELECT {ProfileStore.Columns} FROM profiles WHERE {string.Join(" AND ", clauses)} ORDER BY id DESC LIMIT {limit + 1}",
            parameters, cancellationToken);
        string? next = null;
        if (items.Count > limit)
        {
            items.RemoveAt(items.Count - 1);
            next = Base64Url.EncodeToString(items[^1].Id.ToByteArray());
        }

        return TypedResults.Ok(new ProfilePage(items, next));
    }

    internal static async Task<Results<Ok<ProfileBatch>, ValidationProblem>> BatchGet(ProfileBatchGet request, RequestIdentity identity, ProfilesDatabase database,
        CancellationToken cancellationToken)
    {
        var ids = request.Ids?.Distinct().ToList() ?? [];
        if (ids.Count is 0 or > MaxBatchGet)
        {
            return FieldErrors.Problem("ids", $"must hold 1 to {MaxBatchGet} profile ids.");
        }

        await using var db = await database.BeginAsync(identity, cancellationToken);
        var found = (await ProfileStore.QueryAsync(db, $"SELECT {ProfileStore.Columns} FROM profiles WHERE tenant_id = $1 AND id = ANY($2)",
            [identity.TenantId, ids.ToArray()], cancellationToken)).ToDictionary(p => p.Id);
        return TypedResults.Ok(new ProfileBatch([.. ids.Where(found.ContainsKey).Select(id => found[id])], [.. ids.Where(id => !found.ContainsKey(id))]));
    }

    private static string EscapeLike(string text) => text.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("%", "\\%", StringComparison.Ordinal).Replace("_", "\\_", StringComparison.Ordinal);

    internal static ProblemHttpResult NotFound(object key) =>
        TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "Not found", detail: $"No profile {key} in this shop.");

    private static ProblemHttpResult Conflict(string field) => TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, title: "Conflict",
        detail: $"Another profile of this shop has this {field}.",
        extensions: new Dictionary<string, object?> { ["errors"] = new FieldErrors { [field] = ["belongs to another profile."] } });
}
