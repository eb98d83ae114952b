using MachCommerce.Hosting.Http;
using MachCommerce.Webhooks.Dispatch;
using MachCommerce.Webhooks.Events;

namespace MachCommerce.Webhooks.Subscriptions;

/// <summary>
/// A tenant's webhook subscriptions (<c>/api/webhooks/subscriptions</c> at the gateway), for an owner or a partner
/// holding webhooks:manage: create (the secret is in that answer only), list, read, replace, delete, rotate the secret.
/// </summary>
public static class SubscriptionsApi
{
    public const int MaxPage = 100;
    public const int MaxDescription = 500;

    public static void MapSubscriptionsApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/event-types", ListEventTypes).WithTags("Subscriptions").WithName("ListWebhookEventTypes").RequireScope(Scopes.WebhooksManage);
        var group = app.MapGroup("/subscriptions").WithTags("Subscriptions").RequireScope(Scopes.WebhooksManage);
        group.MapPost("/", Create).WithName("CreateWebhookSubscription");
        group.MapGet("/", List).WithName("ListWebhookSubscriptions");
        group.MapGet("/{id:guid}", Get).WithName("GetWebhookSubscription");
        group.MapPut("/{id:guid}", Replace).WithName("ReplaceWebhookSubscription");
        group.MapDelete("/{id:guid}", Delete).WithName("DeleteWebhookSubscription");
        group.MapPost("/{id:guid}/secret", RotateSecret).WithName("RotateWebhookSecret");
    }

    private static Ok<EventTypeView[]> ListEventTypes() => TypedResults.Ok(EventTypes.All.Select(t => new EventTypeView(t.Name, t.Description, t.RequiredScope)).ToArray());

    private static async Task<Results<Created<SubscriptionWithSecret>, ValidationProblem>> Create(SubscriptionInput input, RequestIdentity identity, TargetPolicy targets,
        SubscriptionStore store, HttpContext http, CancellationToken cancellationToken)
    {
        var errors = await ValidateAsync(input, identity, targets, cancellationToken);
        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors);
        }

        var created = await store.CreateAsync(identity, input.Url!, [.. input.EventTypes!.Distinct()], input.Description?.Trim() ?? "", input.Active ?? true, cancellationToken);
        http.Response.Headers.ETag = Preconditions.ETag(created.Subscription.Version);
        return TypedResults.Created($"/subscriptions/{created.Subscription.Id}", created);
    }

    private static async Task<Results<Ok<SubscriptionPage>, ValidationProblem>> List(RequestIdentity identity, SubscriptionStore store, CancellationToken cancellationToken,
        string? cursor = null, int limit = 50)
    {
        if (!IdPages.TryRead(cursor, limit, MaxPage, out var after, out var errors))
        {
            return TypedResults.ValidationProblem(errors);
        }

        var (page, next) = await store.ListAsync(identity, after, limit, cancellationToken);
        return TypedResults.Ok(new SubscriptionPage(page, next));
    }

    private static async Task<Results<Ok<SubscriptionView>, NotFound>> Get(Guid id, RequestIdentity identity, SubscriptionStore store, HttpContext http,
        CancellationToken cancellationToken)
    {
        if (await store.GetAsync(identity, id, cancellationToken) is not { } view)
        {
            return TypedResults.NotFound();
        }

        http.Response.Headers.ETag = Preconditions.ETag(view.Version);
        return TypedResults.Ok(view);
    }

    private static async Task<Results<Ok<SubscriptionView>, NotFound, ValidationProblem, ProblemHttpResult>> Replace(Guid id, SubscriptionInput input,
        RequestIdentity identity, TargetPolicy targets, SubscriptionStore store, HttpContext http, CancellationToken cancellationToken)
    {
        if (!Preconditions.TryReadIfMatch(http, out var version, out var problem, required: false))
        {
            return problem!;
        }

        var errors = await ValidateAsync(input, identity, targets, cancellationToken);
        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors);
        }

        var (outcome, view) = await store.ReplaceAsync(identity, id, version, input.Url!, [.. input.EventTypes!.Distinct()], input.Description?.Trim() ?? "",
            input.Active ?? true, cancellationToken);
        switch (outcome)
        {
            case SubscriptionStore.ReplaceOutcome.NotFound:
                return TypedResults.NotFound();
            case SubscriptionStore.ReplaceOutcome.Stale:
                return Preconditions.Stale("The subscription");
            default:
                http.Response.Headers.ETag = Preconditions.ETag(view!.Version);
                return TypedResults.Ok(view);
        }
    }

    private static async Task<Results<NoContent, NotFound>> Delete(Guid id, RequestIdentity identity, SubscriptionStore store, CancellationToken cancellationToken) =>
        await store.DeleteAsync(identity, id, cancellationToken) ? TypedResults.NoContent() : TypedResults.NotFound();

    private static async Task<Results<Ok<SubscriptionWithSecret>, NotFound, ValidationProblem>> RotateSecret(Guid id, SecretRotationInput? input, RequestIdentity identity,
        SubscriptionStore store, IOptions<WebhooksOptions> options, CancellationToken cancellationToken)
    {
        var overlap = options.Value.DefaultSecretOverlap;
        if (input?.OverlapHours is { } hours)
        {
            if (!double.IsFinite(hours) || hours < 0 || hours > 168)
            {
                return FieldErrors.Problem("overlapHours", "must be from 0 to 168 (one week).");
            }

            overlap = TimeSpan.FromHours(hours);
        }

        return await store.RotateSecretAsync(identity, id, overlap, cancellationToken) is { } rotated ? TypedResults.Ok(rotated) : TypedResults.NotFound();
    }

    private static async Task<FieldErrors> ValidateAsync(SubscriptionInput input, RequestIdentity identity, TargetPolicy targets,
        CancellationToken cancellationToken)
    {
        var errors = new FieldErrors();
        if (await targets.ProblemWithAsync(input.Url, cancellationToken) is { } urlProblem)
        {
            errors["url"] = [urlProblem];
        }

        if (input.EventTypes is not { Count: > 0 })
        {
            errors["eventTypes"] = [$"needs at least one of: {string.Join(", ", EventTypes.All.Select(t => t.Name))}."];
        }
        else
        {
            for (var i = 0; i < input.EventTypes.Count; i++)
            {
                var name = input.EventTypes[i];
                if (EventTypes.Find(name) is not { } type)
                {
                    errors[$"eventTypes[{i}]"] = [$"\"{name}\" is not an event type; they are {string.Join(", ", EventTypes.All.Select(t => t.Name))}."];
                }
                else if (!identity.Assertion.HasScope(type.RequiredScope))
                {
                    // Subscribing is reading: whoever may not read profiles may not have them sent either.
                    errors[$"eventTypes[{i}]"] = [$"needs the scope {type.RequiredScope}, which this caller does not have."];
                }
            }
        }

        if (input.Description is { Length: > MaxDescription })
        {
            errors["description"] = [$"must be at most {MaxDescription} characters."];
        }

        return errors;
    }
}
