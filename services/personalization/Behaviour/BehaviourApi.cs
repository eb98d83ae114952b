namespace MachCommerce.Personalization.Behaviour;

/// <summary>Behaviour ingest: batches of up to 500 events from storefronts, apps and B2B partners.</summary>
internal static class BehaviourApi
{
    public static void MapBehaviourApi(this IEndpointRouteBuilder app)
    {
        app.MapPost("/events", Ingest).WithTags("Behaviour").RequireScope(Scopes.PersonalizationTrack).WithName("IngestEvents");
    }

    /// <summary>
    /// 202 once every event is durable. The whole batch is rejected (400, each problem by its JSON path) if any
    /// event is invalid, so a client never has to work out which half was kept; resending a batch is safe, since
    /// events are recognised by their id.
    /// </summary>
    private static async Task<Results<Accepted<IngestResult>, ValidationProblem>> Ingest(EventBatchInput batch, RequestIdentity identity, BehaviourIngest ingest, IOptions<PersonalizationOptions> options, TimeProvider time,
        CancellationToken cancellationToken)
    {
        var errors = new FieldErrors();
        var events = BehaviourEventValidator.Validate(batch, time.GetUtcNow(), options.Value, identity.VisitorId, errors);
        if (errors.Any)
        {
            return TypedResults.ValidationProblem(errors);
        }

        return TypedResults.Accepted((string?)null, await ingest.IngestAsync(identity.TenantId, events, cancellationToken));
    }
}
