using MachCommerce.Hosting.Http;
using MachCommerce.Personalization.Decisions;
using MachCommerce.Personalization.Offers;

namespace MachCommerce.Personalization.CentralCampaigns;

/// <summary>
/// A cooperative's central campaigns. Its staff (in its central level: no member shop named) keep each campaign
/// once: the offer, what members may change of it, whether it is measured. A published campaign is offered to the
/// members; a member shop that opts in gets it as an offer of its own, shown to its own customers with its own
/// data, and may adjust it within the limits; a change of the campaign reaches every member that takes part at
/// once. The results: each member's uplift and all members pooled, counts and rates only.
/// </summary>
internal static class CentralCampaignsApi
{
    /// <summary>What a member may adjust (and the cooperative may lock).</summary>
    public static readonly string[] Adjustable = ["incentive", "priority", "content", "frequencyCap"];

    public static void MapCentralCampaignsApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/central/campaigns").WithTags("Central campaigns").RequireScope(Scopes.PersonalizationManage);
        group.MapGet("/", List).WithName("ListCentralCampaigns");
        group.MapPost("/", Create).WithName("CreateCentralCampaign");
        group.MapGet("/{id:guid}", Get).WithName("GetCentralCampaign");
        group.MapPut("/{id:guid}", Replace).WithName("ReplaceCentralCampaign");
        group.MapDelete("/{id:guid}", Delete).WithName("DeleteCentralCampaign");
        group.MapPost("/{id:guid}/publish", Publish).WithName("PublishCentralCampaign");
        group.MapPost("/{id:guid}/withdraw", Withdraw).WithName("WithdrawCentralCampaign");
        group.MapPut("/{id:guid}/participation", Join).WithName("JoinCentralCampaign")
            .WithSummary("A member shop takes part (or changes its adjustments): the campaign becomes an offer of its own.");
        group.MapDelete("/{id:guid}/participation", Leave).WithName("LeaveCentralCampaign");
        group.MapGet("/{id:guid}/results", Results).WithName("GetCentralCampaignResults")
            .WithSummary("The uplift per member shop and pooled across members (random-effects meta-analysis); counts and rates only.");
    }

    /// <summary>Who asks: the cooperative's central level, one of its member shops, or a shop outside any cooperative.</summary>
    private sealed record Side(string CentralTenant, bool Central);

    private static Side? SideOf(RequestIdentity identity) =>
        identity.Cooperative is not { } cooperative ? null
        : new Side(CooperativeTenants.CentralTenant(cooperative), identity.TenantId == CooperativeTenants.CentralTenant(cooperative));

    private static async Task<Results<Ok<CentralCampaignPage>, ProblemHttpResult>> List(RequestIdentity identity, PersonalizationDatabase database, CancellationToken cancellationToken)
    {
        if (SideOf(identity) is not { } side)
        {
            return NoCooperative();
        }

        List<StoredCampaign> campaigns;
        List<Participation> participations;
        await using (var across = await database.BeginReadAsync(side.CentralTenant, cancellationToken))
        {
            campaigns = await CampaignStore.ListAsync(across.Transaction, side.CentralTenant, publishedOnly: !side.Central, cancellationToken);
            participations = await CampaignStore.ParticipationsAsync(across.Transaction, side.CentralTenant, null, cancellationToken);
        }

        var counts = participations.CountBy(p => p.CampaignId).ToDictionary();
        var own = participations.Where(p => p.TenantId == identity.TenantId).ToDictionary(p => p.CampaignId);
        return TypedResults.Ok(new CentralCampaignPage([.. campaigns.Select(c => View(c, counts.GetValueOrDefault(c.Id), own.GetValueOrDefault(c.Id)))]));
    }

    private static async Task<Results<Ok<CentralCampaignView>, ProblemHttpResult>> Get(Guid id, RequestIdentity identity, HttpContext http, PersonalizationDatabase database,
        CancellationToken cancellationToken)
    {
        if (SideOf(identity) is not { } side)
        {
            return NoCooperative();
        }

        await using var across = await database.BeginReadAsync(side.CentralTenant, cancellationToken);
        if (await CampaignStore.FindAsync(across.Transaction, side.CentralTenant, id, cancellationToken) is not { } campaign || !side.Central && campaign.Status != "published")
        {
            return NotFound(id);
        }

        var participations = await CampaignStore.ParticipationsAsync(across.Transaction, side.CentralTenant, id, cancellationToken);
        http.Response.Headers.ETag = Preconditions.ETag(campaign.Version);
        return TypedResults.Ok(View(campaign, participations.Count, participations.FirstOrDefault(p => p.TenantId == identity.TenantId)));
    }

    private static async Task<Results<Created<CentralCampaignView>, ValidationProblem, ProblemHttpResult>> Create(CentralCampaignInput input, RequestIdentity identity, HttpContext http,
        PersonalizationDatabase database, CancellationToken cancellationToken)
    {
        if (CentralOnly(identity) is { } refused)
        {
            return refused;
        }

        await using var db = await database.BeginAsync(identity.TenantId, cancellationToken);
        var errors = new FieldErrors();
        if (await CampaignTemplate.ValidateAsync(input, db.Transaction, identity.TenantId, errors) is not { } template)
        {
            return TypedResults.ValidationProblem(errors);
        }

        if (await CampaignStore.NameTakenAsync(db.Transaction, identity.TenantId, template.Name, null, cancellationToken))
        {
            return Conflict($"The cooperative has a campaign named '{template.Name}' already; names are unique.");
        }

        var id = Guid.CreateVersion7();
        await CampaignStore.InsertAsync(db.Transaction, identity.TenantId, id, template.Name, template.Offer, template.Limits, template.Measure, cancellationToken);
        var stored = (await CampaignStore.FindAsync(db.Transaction, identity.TenantId, id, cancellationToken))!;
        await db.CommitAsync(cancellationToken);
        http.Response.Headers.ETag = Preconditions.ETag(stored.Version);
        return TypedResults.Created($"{http.Request.PathBase}{http.Request.Path.Value!.TrimEnd('/')}/{id}", View(stored, 0, null));
    }

    /// <summary>
    /// Replaces the campaign (If-Match). A published campaign's members get the change in the same transaction; a
    /// member's adjustment that the new limits no longer allow falls back to the cooperative's value (a lowered
    /// maximum caps it). A member whose own offer has the new name refuses the change for all: nothing half-applied.
    /// </summary>
    private static async Task<Results<Ok<CentralCampaignView>, ValidationProblem, ProblemHttpResult>> Replace(Guid id, CentralCampaignInput input, RequestIdentity identity,
        HttpContext http, PersonalizationDatabase database, TenantDefinitions cache, CancellationToken cancellationToken)
    {
        if (CentralOnly(identity) is { } refused)
        {
            return refused;
        }

        if (!Preconditions.TryReadIfMatch(http, out var expectedVersion, out var problem))
        {
            return problem!;
        }

        await using var db = await database.BeginAsync(identity.TenantId, cancellationToken);
        if (await CampaignStore.FindAsync(db.Transaction, identity.TenantId, id, cancellationToken, "FOR UPDATE") is not { } existing)
        {
            return NotFound(id);
        }

        if (existing.Version != expectedVersion)
        {
            return Preconditions.Stale($"campaign {id}");
        }

        if (existing.Status == "withdrawn")
        {
            return Conflict("A withdrawn campaign is not changed any more; create a new one.");
        }

        var errors = new FieldErrors();
        if (await CampaignTemplate.ValidateAsync(input, db.Transaction, identity.TenantId, errors) is not { } template)
        {
            return TypedResults.ValidationProblem(errors);
        }

        if (await CampaignStore.NameTakenAsync(db.Transaction, identity.TenantId, template.Name, id, cancellationToken))
        {
            return Conflict($"The cooperative has a campaign named '{template.Name}' already; names are unique.");
        }

        var changed = existing with { Name = template.Name, Offer = template.Offer, Limits = template.Limits, Measure = template.Measure };
        await CampaignStore.UpdateAsync(db.Transaction, changed, cancellationToken);
        var participations = await ParticipationsAsync(database, identity.TenantId, id, cancellationToken);
        foreach (var member in participations.Select(p => p.TenantId))
        {
            await PersonalizationDatabase.EnterAsync(db.Transaction, member, cancellationToken);
            // A member that left since the list was read has nothing to change.
            if (await CampaignStore.ParticipationAsync(db.Transaction, member, id, cancellationToken) is not { } participation)
            {
                continue;
            }

            var memberErrors = new FieldErrors();
            var (written, conflict) = await CampaignRollout.WriteAsync(db.Transaction, member, changed, participation, CampaignTemplate.Within(participation.Adjustments, changed),
                memberErrors, cancellationToken);
            if (written is null)
            {
                return Conflict($"The change cannot reach the member shop {member}: {conflict ?? string.Join(" ", memberErrors.Select(e => $"{e.Key}: {string.Join(" ", e.Value)}"))}");
            }
        }

        await PersonalizationDatabase.EnterAsync(db.Transaction, identity.TenantId, cancellationToken);
        var stored = (await CampaignStore.FindAsync(db.Transaction, identity.TenantId, id, cancellationToken))!;
        await db.CommitAsync(cancellationToken);
        participations.ForEach(p => cache.Invalidate(p.TenantId));
        http.Response.Headers.ETag = Preconditions.ETag(stored.Version);
        return TypedResults.Ok(View(stored, participations.Count, null));
    }

    private static async Task<Results<NoContent, ProblemHttpResult>> Delete(Guid id, RequestIdentity identity, PersonalizationDatabase database, CancellationToken cancellationToken)
    {
        if (CentralOnly(identity) is { } refused)
        {
            return refused;
        }

        await using var db = await database.BeginAsync(identity.TenantId, cancellationToken);
        if (await CampaignStore.FindAsync(db.Transaction, identity.TenantId, id, cancellationToken, "FOR UPDATE") is not { } campaign)
        {
            return NotFound(id);
        }

        if (campaign.Status == "published")
        {
            return Conflict("A published campaign is withdrawn (POST …/withdraw), not deleted: its members' results stay readable.");
        }

        await CampaignStore.DeleteAsync(db.Transaction, campaign, cancellationToken);
        await db.CommitAsync(cancellationToken);
        return TypedResults.NoContent();
    }

    private static async Task<Results<Ok<CentralCampaignView>, ProblemHttpResult>> Publish(Guid id, RequestIdentity identity, PersonalizationDatabase database,
        CancellationToken cancellationToken)
    {
        if (CentralOnly(identity) is { } refused)
        {
            return refused;
        }

        await using var db = await database.BeginAsync(identity.TenantId, cancellationToken);
        if (await CampaignStore.FindAsync(db.Transaction, identity.TenantId, id, cancellationToken, "FOR UPDATE") is not { } campaign)
        {
            return NotFound(id);
        }

        if (campaign.Status != "draft")
        {
            return Conflict($"The campaign is {campaign.Status}; only a draft is published.");
        }

        await CampaignStore.UpdateAsync(db.Transaction, campaign with { Status = "published" }, cancellationToken);
        var stored = (await CampaignStore.FindAsync(db.Transaction, identity.TenantId, id, cancellationToken))!;
        await db.CommitAsync(cancellationToken);
        return TypedResults.Ok(View(stored, 0, null));
    }

    /// <summary>Takes the campaign back from every member in one transaction: their copies go, their experiments stop (the results stay).</summary>
    private static async Task<Results<Ok<CentralCampaignView>, ProblemHttpResult>> Withdraw(Guid id, RequestIdentity identity, PersonalizationDatabase database,
        CampaignRollout rollout, TenantDefinitions cache, CancellationToken cancellationToken)
    {
        if (CentralOnly(identity) is { } refused)
        {
            return refused;
        }

        await using var db = await database.BeginAsync(identity.TenantId, cancellationToken);
        if (await CampaignStore.FindAsync(db.Transaction, identity.TenantId, id, cancellationToken, "FOR UPDATE") is not { } campaign)
        {
            return NotFound(id);
        }

        if (campaign.Status != "published")
        {
            return Conflict($"The campaign is {campaign.Status}; only a published campaign is withdrawn.");
        }

        await CampaignStore.UpdateAsync(db.Transaction, campaign with { Status = "withdrawn" }, cancellationToken);
        var participations = await ParticipationsAsync(database, identity.TenantId, id, cancellationToken);
        foreach (var participation in participations)
        {
            await PersonalizationDatabase.EnterAsync(db.Transaction, participation.TenantId, cancellationToken);
            await rollout.LeaveAsync(db.Transaction, participation, cancellationToken);
        }

        await PersonalizationDatabase.EnterAsync(db.Transaction, identity.TenantId, cancellationToken);
        var stored = (await CampaignStore.FindAsync(db.Transaction, identity.TenantId, id, cancellationToken))!;
        await db.CommitAsync(cancellationToken);
        participations.ForEach(p => cache.Invalidate(p.TenantId));
        return TypedResults.Ok(View(stored, 0, null));
    }

    /// <summary>A member shop takes part, or changes its adjustments (the whole set: what it leaves out is the cooperative's again).</summary>
    private static async Task<Results<Ok<CampaignParticipationView>, Created<CampaignParticipationView>, ValidationProblem, ProblemHttpResult>> Join(Guid id,
        CampaignAdjustments? adjustments, RequestIdentity identity, HttpContext http, PersonalizationDatabase database, TenantDefinitions cache,
        CancellationToken cancellationToken)
    {
        if (MemberOnly(identity) is { } refused)
        {
            return refused;
        }

        var centralTenant = SideOf(identity)!.CentralTenant;
        adjustments ??= new CampaignAdjustments(null, null, null, null, null);
        // The campaign is read (and held against changes until this commits) as the central level, the member's part written as the member.
        await using var db = await database.BeginAsync(centralTenant, cancellationToken);
        if (await CampaignStore.FindAsync(db.Transaction, centralTenant, id, cancellationToken, "FOR SHARE") is not { Status: "published" } campaign)
        {
            return NotFound(id);
        }

        await PersonalizationDatabase.EnterAsync(db.Transaction, identity.TenantId, cancellationToken);
        var existing = await CampaignStore.ParticipationAsync(db.Transaction, identity.TenantId, id, cancellationToken);
        var errors = new FieldErrors();
        CampaignTemplate.CheckAdjustments(adjustments, campaign, errors);
        if (errors.Any)
        {
            return TypedResults.ValidationProblem(errors);
        }

        var (participation, conflict) = await CampaignRollout.WriteAsync(db.Transaction, identity.TenantId, campaign, existing, adjustments, errors, cancellationToken);
        if (participation is null)
        {
            return conflict is null ? TypedResults.ValidationProblem(errors) : Conflict(conflict);
        }

        await db.CommitAsync(cancellationToken);
        cache.Invalidate(identity.TenantId);
        return existing is null
            ? TypedResults.Created($"{http.Request.PathBase}{http.Request.Path}", participation.View())
            : TypedResults.Ok(participation.View());
    }

    private static async Task<Results<NoContent, ProblemHttpResult>> Leave(Guid id, RequestIdentity identity, PersonalizationDatabase database, CampaignRollout rollout,
        TenantDefinitions cache, CancellationToken cancellationToken)
    {
        if (MemberOnly(identity) is { } refused)
        {
            return refused;
        }

        await using var db = await database.BeginAsync(identity.TenantId, cancellationToken);
        if (await CampaignStore.ParticipationAsync(db.Transaction, identity.TenantId, id, cancellationToken) is not { } participation)
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "Not taking part", detail: $"Your shop does not take part in campaign {id}.");
        }

        await rollout.LeaveAsync(db.Transaction, participation, cancellationToken);
        await db.CommitAsync(cancellationToken);
        cache.Invalidate(identity.TenantId);
        return TypedResults.NoContent();
    }

    /// <summary>The cooperative sees every member's row; a member its own row and the pooled result (nothing of another member alone).</summary>
    private static async Task<Results<Ok<CentralCampaignResults>, ProblemHttpResult>> Results(Guid id, RequestIdentity identity, PersonalizationDatabase database,
        IOptions<PersonalizationOptions> options, TimeProvider time, CancellationToken cancellationToken)
    {
        if (SideOf(identity) is not { } side)
        {
            return NoCooperative();
        }

        StoredCampaign? campaign;
        await using (var across = await database.BeginReadAsync(side.CentralTenant, cancellationToken))
        {
            campaign = await CampaignStore.FindAsync(across.Transaction, side.CentralTenant, id, cancellationToken);
        }

        var participations = await ParticipationsAsync(database, side.CentralTenant, id, cancellationToken);
        if (campaign is null || !side.Central && participations.All(p => p.TenantId != identity.TenantId))
        {
            return NotFound(id);
        }

        var results = await CampaignResults.ReadAsync(campaign, participations, database, options, time, cancellationToken);
        return TypedResults.Ok(side.Central ? results : results with { Members = [.. results.Members.Where(m => m.TenantId == identity.TenantId)] });
    }

    private static async Task<List<Participation>> ParticipationsAsync(PersonalizationDatabase database, string centralTenant, Guid id, CancellationToken cancellationToken)
    {
        await using var across = await database.BeginReadAsync(centralTenant, cancellationToken);
        return await CampaignStore.ParticipationsAsync(across.Transaction, centralTenant, id, cancellationToken);
    }

    private static CentralCampaignView View(StoredCampaign campaign, int participants, Participation? own) =>
        new(campaign.Id, campaign.CentralTenant[CooperativeTenants.CentralPrefix.Length..], campaign.Name, campaign.Status, (JsonObject)campaign.Offer.DeepClone(), campaign.Limits,
            campaign.Measure, campaign.Version, campaign.CreatedAt, campaign.UpdatedAt, participants, own?.View());

    private static ProblemHttpResult? CentralOnly(RequestIdentity identity) => SideOf(identity) switch
    {
        null => NoCooperative(),
        { Central: false } => TypedResults.Problem(statusCode: StatusCodes.Status403Forbidden, title: "Forbidden",
            detail: "Only your cooperative's staff keep its central campaigns; a member shop takes part with PUT /central/campaigns/{id}/participation."),
        _ => null,
    };

    private static ProblemHttpResult? MemberOnly(RequestIdentity identity) => SideOf(identity) switch
    {
        null => NoCooperative(),
        { Central: true } => TypedResults.Problem(statusCode: StatusCodes.Status403Forbidden, title: "Forbidden",
            detail: "The cooperative's central level takes part in no campaign; its member shops do (name one with X-Tenant to act in it)."),
        _ => null,
    };

    private static ProblemHttpResult NoCooperative() => TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "No cooperative",
        detail: "Your shop is not a member of a cooperative: there are no central campaigns for it.");

    private static ProblemHttpResult NotFound(Guid id) =>
        TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "Campaign not found", detail: $"Your cooperative has no campaign {id} for you.");

    private static ProblemHttpResult Conflict(string detail) => TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, title: "Conflict", detail: detail);
}
