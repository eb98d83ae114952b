using MachCommerce.Personalization.Decisions;

namespace MachCommerce.Personalization.Subjects;

/// <summary>
/// What personalization knows about one visitor or customer, for the merchant's support staff and for debugging a
/// decision: consent, strongest interests, RFM, recent items and the segments the subject is in right now.
/// </summary>
internal static class SubjectsApi
{
    public static void MapSubjectsApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/subjects", Describe).WithTags("Subjects").RequireScope(Scopes.PersonalizationManage).WithName("DescribeSubject");
    }

    private static async Task<Results<Ok<SubjectDescription>, ValidationProblem>> Describe(RequestIdentity identity, PersonalizationDatabase database, TenantDefinitions definitions, IOptions<PersonalizationOptions> options,
        TimeProvider time, CancellationToken cancellationToken, string? visitorId = null, Guid? profileId = null)
    {
        var errors = new FieldErrors();
        if (string.IsNullOrEmpty(visitorId) && profileId is null)
        {
            errors.Add("visitorId", "a visitorId or a profileId is required.");
        }
        else if (visitorId is not null && !VisitorIds.IsValid(visitorId))
        {
            errors.Add("visitorId", VisitorIds.Rule);
        }

        if (errors.Any)
        {
            return TypedResults.ValidationProblem(errors);
        }

        var now = time.GetUtcNow();
        var halfLife = options.Value.AffinityHalfLife;
        var compiled = await definitions.GetAsync(identity.TenantId, cancellationToken);
        await using var db = await database.BeginAsync(identity.TenantId, cancellationToken);
        // A profile id alone is looked up under a visitor id that cannot exist, so only the profile decides.
        var subject = await SubjectContext.LoadAsync(db.Transaction, identity.TenantId, visitorId ?? "-", profileId, null, null, now, halfLife, cancellationToken);
        var model = subject.Model;
        return TypedResults.Ok(new SubjectDescription(
            subject.Consent ? subject.Key : null,
            subject.ProfileId,
            subject.Consent,
            model?.Affinities.Select(a => new AffinityScore(a.Key, Math.Round(a.Value.ValueAt(now, halfLife), 4))).OrderByDescending(a => a.Score).Take(20).ToList(),
            model is null ? null : new Rfm(model.LastPurchaseAt is { } last ? Math.Round((now - last).TotalDays, 2) : null, model.Orders, model.Monetary),
            model?.Events,
            model?.Viewed,
            model?.Carted,
            model?.Purchased,
            model?.Searches,
            subject.Consent ? [.. compiled.Segments.Values.Where(s => s.Condition.Matches(subject.Facts)).Select(s => new SegmentRef(s.Id, s.Name))] : []));
    }
}

/// <summary>What personalization knows about one subject; nothing personal without consent.</summary>
internal sealed record SubjectDescription(
    string? SubjectKey, Guid? ProfileId, bool Consent, IReadOnlyList<AffinityScore>? Affinities, Rfm? Rfm, long? Events, IReadOnlyList<RecentItem>? Viewed,
    IReadOnlyList<RecentItem>? Carted, IReadOnlyList<RecentItem>? Purchased, IReadOnlyList<RecentSearch>? Searches, IReadOnlyList<SegmentRef> Segments);

/// <summary>An interest (brand:…, category:…, attribute) and its decayed score now.</summary>
internal sealed record AffinityScore(string Key, double Score);

/// <summary>Recency in days since the last purchase, number of orders, money spent.</summary>
internal sealed record Rfm(double? RecencyDays, int Frequency, decimal Monetary);

internal sealed record SegmentRef(Guid Id, string Name);
