using MachCommerce.Profiles.Cooperative;
using MachCommerce.Profiles.Profiles;

namespace MachCommerce.Profiles.Consents;

/// <summary>
/// Purpose-based consents: the current state per purpose, the full append-only history (who, when, which
/// policy version, from where), and setting one, which publishes <see cref="ConsentChanged"/>. A member shop of a
/// cooperative has a fourth purpose, <see cref="CooperativeContacts.Purpose"/>: sharing the contact with the cooperative.
/// </summary>
public static class ConsentsApi
{
    public static readonly string[] Purposes = ["personalization", "marketing_email", "analytics"];
    public static readonly string[] Sources = ["storefront", "app", "partner", "admin"];

    public static IEndpointRouteBuilder MapConsentsApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/profiles/{profileId:guid}/consents").WithTags("Consents");
        group.MapGet("/", Current).RequireScope(Scopes.ProfilesRead);
        group.MapGet("/history", History).RequireScope(Scopes.ProfilesRead);
        group.MapPut("/{purpose}", Set).RequireScope(Scopes.ProfilesWrite);
        return app;
    }

    internal static async Task<Results<Ok<List<ConsentView>>, ProblemHttpResult>> Current(Guid profileId, RequestIdentity identity, ProfilesDatabase database, CancellationToken cancellationToken)
    {
        await using var db = await database.BeginAsync(identity, cancellationToken);
        if (!await ProfileStore.ExistsAsync(db, profileId, cancellationToken))
        {
            return Profiles.ProfilesApi.NotFound(profileId);
        }

        var current = await ReadAsync(db, profileId,
            "SELECT DISTINCT ON (purpose) purpose, granted, source, policy_version, recorded_by, recorded_at FROM consent_history WHERE tenant_id = $1 AND profile_id = $2 ORDER BY purpose, seq DESC",
            cancellationToken);
        // A purpose never asked about counts as not granted: consent is opt-in.
        var all = PurposesOf(identity).Select(p => current.FirstOrDefault(c => c.Purpose == p) ?? new ConsentView(p, false, "none", "none", "none", DateTimeOffset.MinValue));
        return TypedResults.Ok(all.ToList());
    }

    internal static async Task<Results<Ok<List<ConsentView>>, ProblemHttpResult>> History(Guid profileId, RequestIdentity identity, ProfilesDatabase database, CancellationToken cancellationToken)
    {
        await using var db = await database.BeginAsync(identity, cancellationToken);
        if (!await ProfileStore.ExistsAsync(db, profileId, cancellationToken))
        {
            return Profiles.ProfilesApi.NotFound(profileId);
        }

        return TypedResults.Ok(await ReadAsync(db, profileId,
            "SELECT purpose, granted, source, policy_version, recorded_by, recorded_at FROM consent_history WHERE tenant_id = $1 AND profile_id = $2 ORDER BY seq",
            cancellationToken));
    }

    internal static async Task<Results<NoContent, ValidationProblem, ProblemHttpResult>> Set(Guid profileId, string purpose, ConsentInput input, RequestIdentity identity, ProfilesDatabase database, IEventOutbox outbox,
        CancellationToken cancellationToken)
    {
        var errors = new FieldErrors();
        if (purpose == CooperativeContacts.Purpose && MemberOf(identity) is null)
        {
            errors["purpose"] = ["cooperative: this shop belongs to no cooperative, so there is nobody to share the contact with."];
        }
        else if (!PurposesOf(identity).Contains(purpose))
        {
            errors["purpose"] = [$"must be one of {string.Join(", ", PurposesOf(identity))}."];
        }

        if (input.Granted is null)
        {
            errors["granted"] = ["is required: true to grant, false to withdraw."];
        }

        if (input.Source is null || !Sources.Contains(input.Source))
        {
            errors["source"] = [$"is required: where the customer decided, one of {string.Join(", ", Sources)}."];
        }

        if (string.IsNullOrWhiteSpace(input.PolicyVersion) || input.PolicyVersion.Length > 40)
        {
            errors["policyVersion"] = ["is required: the version of the privacy policy the customer saw, at most 40 characters."];
        }

        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors);
        }

        await using var db = await database.BeginAsync(identity, cancellationToken);
        if (!await ProfileStore.ExistsAsync(db, profileId, cancellationToken))
        {
            return Profiles.ProfilesApi.NotFound(profileId);
        }

        await using (var insert = db.Command(
            "INSERT INTO consent_history (tenant_id, profile_id, purpose, granted, source, policy_version, recorded_by) VALUES ($1, $2, $3, $4, $5, $6, $7)"))
        {
            insert.Parameters.Add(new() { Value = identity.TenantId });
            insert.Parameters.Add(new() { Value = profileId });
            insert.Parameters.Add(new() { Value = purpose });
            insert.Parameters.Add(new() { Value = input.Granted!.Value });
            insert.Parameters.Add(new() { Value = input.Source! });
            insert.Parameters.Add(new() { Value = input.PolicyVersion!.Trim() });
            insert.Parameters.Add(new() { Value = identity.Assertion.Subject });
            await insert.ExecuteNonQueryAsync(cancellationToken);
        }

        if (purpose == CooperativeContacts.Purpose)
        {
            await (input.Granted.Value
                ? CooperativeContacts.ShareAsync(db, profileId, MemberOf(identity)!, input.PolicyVersion.Trim(), cancellationToken)
                : CooperativeContacts.WithdrawAsync(db, profileId, cancellationToken));
        }

        await outbox.AddAsync(db.Transaction, new ConsentChanged
        {
            TenantId = identity.TenantId, OccurredAt = DateTimeOffset.UtcNow, ProfileId = profileId, Purpose = purpose,
            Granted = input.Granted.Value, Source = input.Source!, PolicyVersion = input.PolicyVersion.Trim(),
        }, profileId.ToString(), cancellationToken);
        await db.CommitAsync(cancellationToken);
        return TypedResults.NoContent();
    }

    /// <summary>The purposes a shop's customers are asked about: the cooperative's too when the shop is a member of one.</summary>
    private static IEnumerable<string> PurposesOf(RequestIdentity identity) => MemberOf(identity) is null ? Purposes : Purposes.Append(CooperativeContacts.Purpose);

    /// <summary>The cooperative the shop is a member of (the gateway's word, not the caller's); null for a shop on its own or a cooperative's own level.</summary>
    private static string? MemberOf(RequestIdentity identity) =>
        identity.Cooperative is { Length: > 0 } cooperative && !CooperativeTenants.IsCentral(identity.TenantId) ? cooperative : null;

    private static async Task<List<ConsentView>> ReadAsync(TenantScope db, Guid profileId, string sql, CancellationToken cancellationToken)
    {
        await using var command = db.Command(sql);
        command.Parameters.Add(new() { Value = db.TenantId });
        command.Parameters.Add(new() { Value = profileId });
        var consents = new List<ConsentView>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            consents.Add(new ConsentView(reader.GetString(0), reader.GetBoolean(1), reader.GetString(2), reader.GetString(3), reader.GetString(4),
                reader.GetFieldValue<DateTimeOffset>(5)));
        }

        return consents;
    }
}
