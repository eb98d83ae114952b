using Microsoft.AspNetCore.Http.HttpResults;
using System.Text.Json;
using System.Text.Json.Nodes;
using MachCommerce.Hosting.Identity;
using MachCommerce.Personalization.Decisions;
using MachCommerce.Personalization.Definitions;
using MachCommerce.Personalization.Subjects;
using Microsoft.Extensions.Options;
using Npgsql;

namespace MachCommerce.Personalization.Segments;

/// <summary>
/// Merchant-defined segments ("garden lovers", "B2B Fachhandel with a purchase in the last 90 days"): conditions
/// over traits, affinities, RFM, kind, customer group, locale and consent, evaluated per visitor at decision time.
/// </summary>
internal static class SegmentsApi
{
    private static readonly DefinitionApi<SegmentInput> Definitions = new(SegmentModel.Table, "Segment", ValidateAsync, InUseAsync);

    public static void MapSegmentsApi(this IEndpointRouteBuilder app)
    {
        var group = Definitions.Map(app, "/segments", Scopes.PersonalizationManage);
        group.MapPost("/", (SegmentInput input, RequestIdentity identity, HttpContext http, PersonalizationDatabase database, TenantDefinitions cache, CancellationToken cancellationToken) =>
            Definitions.Create(input, identity, http, database, cache, cancellationToken)).WithName("CreateSegment");
        group.MapPut("/{id:guid}", (Guid id, SegmentInput input, RequestIdentity identity, HttpContext http, PersonalizationDatabase database, TenantDefinitions cache, CancellationToken cancellationToken) =>
            Definitions.Replace(id, input, identity, http, database, cache, cancellationToken)).WithName("ReplaceSegment");
        group.MapGet("/{id:guid}/members", Members).WithName("ListSegmentMembers");
    }

    internal static Task<ValidDefinition?> ValidateAsync(SegmentInput input, DefinitionContext context)
    {
        var errors = context.Errors;
        var name = input.Name?.Trim();
        if (string.IsNullOrEmpty(name) || name.Length > 100)
        {
            errors.Add("name", "is required, at most 100 characters.");
        }

        var description = input.Description?.Trim();
        if (description is { Length: > 500 })
        {
            errors.Add("description", "must be at most 500 characters.");
        }

        var status = input.Status ?? "active";
        if (status is not ("active" or "archived"))
        {
            errors.Add("status", "must be active or archived.");
        }

        if (input.Conditions is not { } conditions || conditions.ValueKind == JsonValueKind.Null)
        {
            errors.Add("conditions", "is required.");
        }
        else
        {
            Condition.Parse(conditions, "conditions", errors);
        }

        return Task.FromResult(errors.Any ? null : new ValidDefinition(name!, status, new JsonObject
        {
            ["description"] = description,
            ["conditions"] = JsonNode.Parse(input.Conditions!.Value.GetRawText()),
        }));
    }

    private static async Task<string?> InUseAsync(NpgsqlTransaction transaction, string tenantId, StoredDefinition segment, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(
            "SELECT name FROM offers WHERE tenant_id = $1 AND status <> 'archived' AND definition->'targeting'->'segmentIds' ? $2 ORDER BY name LIMIT 5",
            transaction.Connection, transaction);
        command.Parameters.Add(new() { Value = tenantId });
        command.Parameters.Add(new() { Value = segment.Id.ToString() });
        var names = new List<string>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            names.Add(reader.GetString(0));
        }

        return names.Count == 0 ? null : $"Offers still target this segment ({string.Join(", ", names)}); change or archive them first.";
    }

    /// <summary>
    /// The consenting subjects in the segment now, a page at a time. Membership depends on decaying interests, so
    /// it is evaluated, not stored: each page scans at most <see cref="ScanPerPage"/> subjects and says where to go on.
    /// </summary>
    private static async Task<Results<Ok<SegmentMembersPage>, ValidationProblem, ProblemHttpResult>> Members(Guid id, RequestIdentity identity, PersonalizationDatabase database, IOptions<PersonalizationOptions> options,
        CancellationToken cancellationToken, string? cursor = null, int limit = 50)
    {
        if (limit is < 1 or > DefinitionApi<SegmentInput>.MaxPageSize)
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["limit"] = [$"must be between 1 and {DefinitionApi<SegmentInput>.MaxPageSize}."] });
        }

        await using var db = await database.BeginAsync(identity.TenantId, cancellationToken);
        if (await DefinitionStore.FindAsync(db.Transaction, SegmentModel.Table, identity.TenantId, id, cancellationToken) is not { } segment)
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "Segment not found", detail: $"There is no segment {id}.");
        }

        var condition = Condition.Parse(JsonSerializer.SerializeToElement(segment.Definition["conditions"]), "conditions", new FieldErrors())!;
        // Subjects with a model, and consenting customers without behaviour yet (a segment may look at traits only).
        await using var command = new NpgsqlCommand($"""
            SELECT * FROM (
                SELECT m.subject_key, m.profile_id, m.model::text, p.kind, p.customer_group, p.locale, p.traits::text
                FROM subject_models m LEFT JOIN profiles p ON p.tenant_id = m.tenant_id AND p.profile_id = m.profile_id
                WHERE m.tenant_id = $1
                UNION ALL
                SELECT 'p:' || replace(p.profile_id::text, '-', ''), p.profile_id, NULL, p.kind, p.customer_group, p.locale, p.traits::text
                FROM profiles p
                WHERE p.tenant_id = $1 AND p.consent
                  AND NOT EXISTS (SELECT 1 FROM subject_models m WHERE m.tenant_id = $1 AND m.subject_key = 'p:' || replace(p.profile_id::text, '-', ''))
            ) s
            WHERE $2::text IS NULL OR s.subject_key > $2 ORDER BY s.subject_key LIMIT {ScanPerPage}
            """, db.Connection, db.Transaction);
        command.Parameters.Add(new() { Value = identity.TenantId });
        command.Parameters.Add(new() { Value = (object?)cursor ?? DBNull.Value, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Text });
        var members = new List<SegmentMember>();
        string? last = null;
        var scanned = 0;
        var now = DateTimeOffset.UtcNow;
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (members.Count < limit && await reader.ReadAsync(cancellationToken))
        {
            scanned++;
            last = reader.GetString(0);
            var profileId = reader.IsDBNull(1) ? (Guid?)null : reader.GetGuid(1);
            var facts = new SubjectFacts(profileId is not null, true, reader.IsDBNull(3) ? null : reader.GetString(3), reader.IsDBNull(4) ? null : reader.GetString(4),
                reader.IsDBNull(5) ? null : reader.GetString(5), reader.IsDBNull(6) ? SubjectFacts.NoTraits : SubjectContext.Traits(reader.GetString(6)),
                reader.IsDBNull(2) ? new SubjectModel() : SubjectModel.FromJson(reader.GetString(2)), now, options.Value.AffinityHalfLife);
            if (condition.Matches(facts))
            {
                members.Add(new SegmentMember(last, profileId, profileId is null ? last[2..] : null));
            }
        }

        var more = members.Count == limit || scanned == ScanPerPage;
        return TypedResults.Ok(new SegmentMembersPage(members, more ? last : null));
    }

    private const int ScanPerPage = 2000;
}

