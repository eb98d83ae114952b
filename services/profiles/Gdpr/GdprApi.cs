using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using MachCommerce.Contracts.Gdpr.V1;
using MachCommerce.Profiles.Profiles;
using Microsoft.Extensions.Options;

namespace MachCommerce.Profiles.Gdpr;

/// <summary>
/// GDPR: export (Art. 15/20) of everything the platform holds about a profile, gathered from every registered data
/// holder; erasure (Art. 17), which deletes the profile here at once, asks every data holder to do the same, and
/// records each one's confirmation.
/// </summary>
public static class GdprApi
{
    public const string ThisService = "profiles";

    public static IEndpointRouteBuilder MapGdprApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/profiles/{profileId:guid}/export", Export).WithTags("GDPR").RequireScope(Scopes.GdprExport);
        app.MapPost("/profiles/{profileId:guid}/erasure", Erase).WithTags("GDPR").RequireScope(Scopes.GdprErase);
        app.MapGet("/erasures/{erasureId:guid}", Status).WithTags("GDPR").RequireScope(Scopes.GdprErase);
        return app;
    }

    internal static async Task<Results<ContentHttpResult, ProblemHttpResult>> Export(Guid profileId, RequestIdentity identity, ProfilesDatabase database, IHttpClientFactory http,
        IdentityAssertionCodec assertions, IOptions<GdprOptions> options, CancellationToken cancellationToken)
    {
        var document = new JsonObject { ["exportedAt"] = DateTimeOffset.UtcNow, ["tenantId"] = identity.TenantId };
        await using (var db = await database.BeginAsync(identity, cancellationToken))
        {
            if (await ProfileStore.FindAsync(db, "id", profileId, cancellationToken) is not { } profile)
            {
                return ProfilesApi.NotFound(profileId);
            }

            document["profile"] = JsonSerializer.SerializeToNode(profile, Json);
            document["consentHistory"] = await RowsAsync(db, "SELECT (to_jsonb(c) - 'tenant_id')::text FROM consent_history c WHERE tenant_id = $1 AND profile_id = $2 ORDER BY seq", profileId, cancellationToken);
            document["visitors"] = await RowsAsync(db, "SELECT (to_jsonb(v) - 'tenant_id')::text FROM visitors v WHERE tenant_id = $1 AND profile_id = $2", profileId, cancellationToken);
            // What the shop shared with its cooperative, with the customer's consent (deleted with the profile on erasure).
            document["sharedWithCooperative"] = await RowsAsync(db, "SELECT (to_jsonb(c) - 'tenant_id')::text FROM cooperative_contacts c WHERE tenant_id = $1 AND profile_id = $2", profileId, cancellationToken);
        }

        // Every registered holder must answer: an export that silently left one out would be a false statement.
        var services = new JsonObject();
        foreach (var (name, holder) in options.Value.DataHolders)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(holder.Url!, $"gdpr/profiles/{profileId}/export"));
            request.Headers.Add(IdentityAssertionCodec.HeaderName, assertions.Mint(identity.TenantId, [Scopes.GdprExport], ThisService, audience: name, profileId: profileId.ToString()));
            try
            {
                using var response = await http.CreateClient("gdpr").SendAsync(request, cancellationToken);
                if (!response.IsSuccessStatusCode)
                {
                    return Unavailable(name, $"answered {(int)response.StatusCode}");
                }

                services[name] = JsonNode.Parse(await response.Content.ReadAsStringAsync(cancellationToken));
            }
            catch (Exception exception) when (exception is HttpRequestException or TaskCanceledException or JsonException)
            {
                return Unavailable(name, exception.Message);
            }
        }

        document["services"] = services;
        return TypedResults.Text(document.ToJsonString(), "application/json");
    }

    internal static async Task<Results<Accepted<ErasureAccepted>, ProblemHttpResult>> Erase(Guid profileId, RequestIdentity identity, ProfilesDatabase database, IEventOutbox outbox, IOptions<GdprOptions> options,
        CancellationToken cancellationToken)
    {
        await using var db = await database.BeginAsync(identity, cancellationToken);
        var hash = ProfileHash(identity.TenantId, profileId);
        if (await ExistingErasureAsync(db, hash, cancellationToken) is { } earlier)
        {
            return TypedResults.Accepted($"/erasures/{earlier}", new ErasureAccepted(earlier, "requested")); // idempotent
        }

        var visitors = new List<string>();
        await using (var command = db.Command("SELECT visitor_id FROM visitors WHERE tenant_id = $1 AND profile_id = $2"))
        {
            command.Parameters.Add(new() { Value = identity.TenantId });
            command.Parameters.Add(new() { Value = profileId });
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                visitors.Add(reader.GetString(0));
            }
        }

        await using (var delete = db.Command("DELETE FROM profiles WHERE tenant_id = $1 AND id = $2"))
        {
            delete.Parameters.Add(new() { Value = identity.TenantId });
            delete.Parameters.Add(new() { Value = profileId });
            if (await delete.ExecuteNonQueryAsync(cancellationToken) == 0)
            {
                return ProfilesApi.NotFound(profileId);
            }
        }

        var erasureId = Guid.CreateVersion7();
        await using (var record = db.Command("INSERT INTO erasures (id, tenant_id, profile_hash, expected_services) VALUES ($1, $2, $3, $4)"))
        {
            record.Parameters.Add(new() { Value = erasureId });
            record.Parameters.Add(new() { Value = identity.TenantId });
            record.Parameters.Add(new() { Value = hash });
            record.Parameters.Add(new() { Value = options.Value.DataHolders.Keys.Append(ThisService).Distinct().ToArray() });
            await record.ExecuteNonQueryAsync(cancellationToken);
        }

        await ConfirmAsync(db, erasureId, ThisService, cancellationToken); // this service's part is done with this commit

        // Earlier events about the profile (registration, consents) are forgotten; the request itself leaves the
        // outbox the moment the broker has it.
        await outbox.ForgetAsync(db.Transaction, profileId.ToString(), cancellationToken);
        await outbox.AddTransientAsync(db.Transaction, new ErasureRequested
        {
            TenantId = identity.TenantId, OccurredAt = DateTimeOffset.UtcNow, ErasureId = erasureId, ProfileId = profileId, VisitorIds = visitors,
        }, profileId.ToString(), cancellationToken);
        await db.CommitAsync(cancellationToken);
        return TypedResults.Accepted($"/erasures/{erasureId}", new ErasureAccepted(erasureId, "requested"));
    }

    internal static async Task<Results<Ok<ErasureStatus>, ProblemHttpResult>> Status(Guid erasureId, RequestIdentity identity, ProfilesDatabase database, CancellationToken cancellationToken)
    {
        await using var db = await database.BeginAsync(identity, cancellationToken);
        await using var command = db.Command(
            """
            SELECT e.requested_at, s.service, c.confirmed_at
              FROM erasures e CROSS JOIN unnest(e.expected_services) AS s(service)
              LEFT JOIN erasure_confirmations c ON c.erasure_id = e.id AND c.service = s.service
             WHERE e.tenant_id = $1 AND e.id = $2
            """);
        command.Parameters.Add(new() { Value = identity.TenantId });
        command.Parameters.Add(new() { Value = erasureId });
        DateTimeOffset? requestedAt = null;
        var services = new Dictionary<string, DateTimeOffset?>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            requestedAt = reader.GetFieldValue<DateTimeOffset>(0);
            services[reader.GetString(1)] = reader.IsDBNull(2) ? null : reader.GetFieldValue<DateTimeOffset>(2);
        }

        return requestedAt is null
            ? TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "Not found", detail: $"No erasure {erasureId} in this shop.")
            : TypedResults.Ok(new ErasureStatus(erasureId, services.Values.All(v => v is not null) ? "complete" : "pending", requestedAt.Value, services));
    }

    internal static async Task ConfirmAsync(TenantScope db, Guid erasureId, string service, CancellationToken cancellationToken) =>
        await ConfirmAsync(db.Transaction, db.TenantId, erasureId, service, cancellationToken);

    internal static async Task ConfirmAsync(Npgsql.NpgsqlTransaction transaction, string tenantId, Guid erasureId, string service, CancellationToken cancellationToken)
    {
        await using var command = new Npgsql.NpgsqlCommand(
            "INSERT INTO erasure_confirmations (erasure_id, tenant_id, service) SELECT id, tenant_id, $3 FROM erasures WHERE tenant_id = $1 AND id = $2 ON CONFLICT DO NOTHING",
            transaction.Connection, transaction);
        command.Parameters.Add(new() { Value = tenantId });
        command.Parameters.Add(new() { Value = erasureId });
        command.Parameters.Add(new() { Value = service });
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>Names an erased profile without keeping its id: SHA-256 over tenant and id.</summary>
    private static string ProfileHash(string tenantId, Guid profileId) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes($"erasure:{tenantId}:{profileId}")));

    private static async Task<Guid?> ExistingErasureAsync(TenantScope db, string hash, CancellationToken cancellationToken)
    {
        await using var command = db.Command("SELECT id FROM erasures WHERE tenant_id = $1 AND profile_hash = $2");
        command.Parameters.Add(new() { Value = db.TenantId });
        command.Parameters.Add(new() { Value = hash });
        return await command.ExecuteScalarAsync(cancellationToken) as Guid?;
    }

    private static async Task<JsonArray> RowsAsync(TenantScope db, string sql, Guid profileId, CancellationToken cancellationToken)
    {
        await using var command = db.Command(sql);
        command.Parameters.Add(new() { Value = db.TenantId });
        command.Parameters.Add(new() { Value = profileId });
        var rows = new JsonArray();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            rows.Add(JsonNode.Parse(reader.GetString(0)));
        }

        return rows;
    }

    private static ProblemHttpResult Unavailable(string service, string reason) => TypedResults.Problem(statusCode: StatusCodes.Status503ServiceUnavailable,
        title: "Export incomplete", detail: $"The data holder {service} could not deliver its part ({reason}); nothing was exported. Try again later.",
        extensions: new Dictionary<string, object?> { ["service"] = service });

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);
}

/// <summary>Records a data holder's confirmation that it has erased the profile.</summary>
internal sealed class ErasureConfirmationHandler : IInboxHandler<ErasureConfirmed>
{
    public async Task HandleAsync(ErasureConfirmed message, InboxContext context, CancellationToken cancellationToken)
    {
        await TenantScope.EnterAsync(context.Transaction, message.TenantId, ProfilesDatabase.ApplicationRole, ProfilesDatabase.Schema, cancellationToken);
        await GdprApi.ConfirmAsync(context.Transaction, message.TenantId, message.ErasureId, message.Service, cancellationToken);
    }
}
