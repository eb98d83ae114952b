using MachCommerce.Hosting.Identity;
using MachCommerce.Personalization.Decisions;
using Microsoft.Extensions.Options;

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

    private static async Task<IResult> Describe(RequestIdentity identity, PersonalizationDatabase database, TenantDefinitions definitions, IOptions<PersonalizationOptions> options,
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
            return TypedResults.ValidationProblem(errors.ByField);
        }

        var now = time.GetUtcNow();
        var halfLife = options.Value.AffinityHalfLife;
        var compiled = await definitions.GetAsync(identity.TenantId, cancellationToken);
        await using var db = await database.BeginAsync(identity.TenantId, cancellationToken);
        // A profile id alone is looked up under a visitor id that cannot exist, so only the profile decides.
        var subject = await SubjectContext.LoadAsync(db.Transaction, identity.TenantId, visitorId ?? "-", profileId, null, null, now, halfLife, cancellationToken);
        var model = subject.Model;
        return TypedResults.Ok(new
        {
            subjectKey = subject.Consent ? subject.Key : null,
            subject.ProfileId,
            subject.Consent,
            affinities = model?.Affinities.Select(a => new { key = a.Key, score = Math.Round(a.Value.ValueAt(now, halfLife), 4) })
                .OrderByDescending(a => a.score).Take(20).ToList(),
            rfm = model is null ? null : new
            {
                recencyDays = model.LastPurchaseAt is { } last ? Math.Round((now - last).TotalDays, 2) : (double?)null,
                frequency = model.Orders,
                monetary = model.Monetary,
            },
            events = model?.Events,
            viewed = model?.Viewed,
            carted = model?.Carted,
            purchased = model?.Purchased,
            searches = model?.Searches,
            segments = subject.Consent
                ? compiled.Segments.Values.Where(s => s.Condition.Matches(subject.Facts)).Select(s => new { s.Id, s.Name }).ToList()
                : [],
        });
    }
}
