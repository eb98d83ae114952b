using MachCommerce.Personalization.Decisions;
using MachCommerce.Personalization.Definitions;
using MachCommerce.Personalization.Subjects;

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
        group.MapPost("/", (SegmentInput input, [AsParameters] DefinitionWrite write) => Definitions.Create(input, write)).WithName("CreateSegment");
        group.MapPut("/{id:guid}", (Guid id, SegmentInput input, [AsParameters] DefinitionWrite write) => Definitions.Replace(id, input, write)).WithName("ReplaceSegment");
        group.MapGet("/{id:guid}/members", Members).WithName("ListSegmentMembers");
        group.MapPost("/preview", Preview).WithName("PreviewSegment");
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
            return FieldErrors.Problem("limit", $"must be between 1 and {DefinitionApi<SegmentInput>.MaxPageSize}.");
        }

        await using var db = await database.BeginAsync(identity.TenantId, cancellationToken);
        if (await DefinitionStore.FindAsync(db.Transaction, SegmentModel.Table, identity.TenantId, id, cancellationToken) is not { } segment)
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "Segment not found", detail: $"There is no segment {id}.");
        }

        var condition = Condition.Parse(JsonSerializer.SerializeToElement(segment.Definition["conditions"]), "conditions", new FieldErrors())!;
        var scan = await ScanAsync(db.Transaction, identity.TenantId, condition, cursor, limit, stopWhenKept: true, ScanPerPage, options.Value, cancellationToken);
        var more = scan.Kept.Count == limit || scan.Scanned == ScanPerPage;
        return TypedResults.Ok(new SegmentMembersPage(scan.Kept, more ? scan.Last : null));
    }

    /// <summary>
    /// Conditions tried before they are saved: how many subjects they match now (the first <see cref="PreviewScan"/>
    /// looked at; it says whether that was all of them) and the first ten, or the conditions' mistakes by path.
    /// </summary>
    private static async Task<Results<Ok<SegmentPreview>, ValidationProblem>> Preview(SegmentPreviewInput input, RequestIdentity identity, PersonalizationDatabase database,
        IOptions<PersonalizationOptions> options, CancellationToken cancellationToken)
    {
        var errors = new FieldErrors();
        var condition = input.Conditions is { ValueKind: not JsonValueKind.Null } conditions ? Condition.Parse(conditions, "conditions", errors) : null;
        if (condition is null)
        {
            if (!errors.Any)
            {
                errors.Add("conditions", "is required.");
            }

            return TypedResults.ValidationProblem(errors);
        }

        await using var db = await database.BeginAsync(identity.TenantId, cancellationToken);
        var scan = await ScanAsync(db.Transaction, identity.TenantId, condition, null, keep: 10, stopWhenKept: false, PreviewScan, options.Value, cancellationToken);
        return TypedResults.Ok(new SegmentPreview(scan.Matching, scan.Scanned, scan.Scanned < PreviewScan, scan.Kept));
    }

    private sealed record Scan(List<SegmentMember> Kept, int Matching, int Scanned, string? Last);

    /// <summary>
    /// Subjects in key order after <paramref name="cursor"/>, at most <paramref name="scanLimit"/> of them, each
    /// evaluated against the condition: the first <paramref name="keep"/> matches kept (and, for a page of members,
    /// no further), all of them counted.
    /// </summary>
    private static async Task<Scan> ScanAsync(NpgsqlTransaction transaction, string tenantId, Condition condition, string? cursor, int keep, bool stopWhenKept, int scanLimit,
        PersonalizationOptions options, CancellationToken cancellationToken)
    {
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
            WHERE $2::text IS NULL OR s.subject_key > $2 ORDER BY s.subject_key LIMIT {scanLimit}
            """, transaction.Connection, transaction);
        command.Parameters.Add(new() { Value = tenantId });
        command.Parameters.Add(new() { Value = (object?)cursor ?? DBNull.Value, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Text });
        var kept = new List<SegmentMember>();
        string? last = null;
        int scanned = 0, matching = 0;
        var now = DateTimeOffset.UtcNow;
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (!(stopWhenKept && kept.Count == keep) && await reader.ReadAsync(cancellationToken))
        {
            scanned++;
            last = reader.GetString(0);
            var profileId = reader.IsDBNull(1) ? (Guid?)null : reader.GetGuid(1);
            var facts = new SubjectFacts(profileId is not null, true, reader.IsDBNull(3) ? null : reader.GetString(3), reader.IsDBNull(4) ? null : reader.GetString(4),
                reader.IsDBNull(5) ? null : reader.GetString(5), reader.IsDBNull(6) ? SubjectFacts.NoTraits : SubjectContext.Traits(reader.GetString(6)),
                reader.IsDBNull(2) ? new SubjectModel() : SubjectModel.FromJson(reader.GetString(2)), now, options.AffinityHalfLife);
            if (condition.Matches(facts))
            {
                matching++;
                if (kept.Count < keep)
                {
                    kept.Add(new SegmentMember(last, profileId, profileId is null ? last[2..] : null));
                }
            }
        }

        return new Scan(kept, matching, scanned, last);
    }

    private const int PreviewScan = 20_000;

    private const int ScanPerPage = 2000;
}

