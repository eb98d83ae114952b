using System.Globalization;

namespace MachCommerce.Webhooks.Deliveries;

/// <summary>
/// A subscription's delivery log (<c>/api/webhooks/subscriptions/{id}/deliveries</c>): each delivery with its
/// attempts (status, response time, the start of the answer), and redelivery of one or of a time range.
/// </summary>
public static class DeliveriesApi
{
    public const int MaxPage = 200;
    private static readonly string[] Statuses = ["pending", "delivered", "failed"];

    public static void MapDeliveriesApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/subscriptions/{subscriptionId:guid}").WithTags("Deliveries").RequireScope(Scopes.WebhooksManage);
        group.MapGet("/deliveries", List).WithName("ListWebhookDeliveries");
        group.MapGet("/deliveries/{deliveryId:guid}", Get).WithName("GetWebhookDelivery");
        group.MapPost("/deliveries/{deliveryId:guid}/redeliver", Redeliver).WithName("RedeliverWebhook");
        group.MapPost("/redeliver", RedeliverRange).WithName("RedeliverWebhookRange");
    }

    private static async Task<Results<Ok<DeliveryPage>, NotFound, ValidationProblem>> List(Guid subscriptionId, RequestIdentity identity, DeliveryStore store,
        CancellationToken cancellationToken, string? status = null, string? cursor = null, int limit = 50)
    {
        var errors = new FieldErrors();
        long? before = null;
        if (status is not null && !Statuses.Contains(status))
        {
            errors["status"] = [$"must be one of {string.Join(", ", Statuses)}."];
        }

        if (cursor is not null)
        {
            if (long.TryParse(cursor, NumberStyles.None, CultureInfo.InvariantCulture, out var position))
            {
                before = position;
            }
            else
            {
                errors["cursor"] = ["is not a cursor of this listing."];
            }
        }

        if (limit < 1 || limit > MaxPage)
        {
            errors["limit"] = [$"must be from 1 to {MaxPage}."];
        }

        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors);
        }

        return await store.ListAsync(identity, subscriptionId, status, before, limit, cancellationToken) is { } page
            ? TypedResults.Ok(new DeliveryPage(page.Page, page.Next))
            : TypedResults.NotFound();
    }

    private static async Task<Results<Ok<DeliveryDetail>, NotFound>> Get(Guid subscriptionId, Guid deliveryId, RequestIdentity identity, DeliveryStore store,
        CancellationToken cancellationToken) =>
        await store.GetAsync(identity, subscriptionId, deliveryId, cancellationToken) is { } detail ? TypedResults.Ok(detail) : TypedResults.NotFound();

    private static async Task<Results<Accepted, NotFound>> Redeliver(Guid subscriptionId, Guid deliveryId, RequestIdentity identity, DeliveryStore store,
        CancellationToken cancellationToken) =>
        await store.RedeliverAsync(identity, subscriptionId, deliveryId, cancellationToken)
            ? TypedResults.Accepted($"/subscriptions/{subscriptionId}/deliveries/{deliveryId}")
            : TypedResults.NotFound();

    private static async Task<Results<Accepted<RedeliveryAccepted>, NotFound, ValidationProblem>> RedeliverRange(Guid subscriptionId, RedeliveryInput input,
        RequestIdentity identity, DeliveryStore store, IOptions<WebhooksOptions> options, CancellationToken cancellationToken)
    {
        var now = DateTimeOffset.UtcNow;
        var until = input.Until ?? now;
        var errors = new FieldErrors();
        if (input.Since is not { } since)
        {
            errors["since"] = ["is required: the time from which received events are sent again."];
            since = now;
        }
        else if (since < now - options.Value.Retention)
        {
            errors["since"] = [$"must be within the last {options.Value.Retention.TotalDays:0.#} days; older events are no longer kept."];
        }

        if (until <= since && !errors.ContainsKey("since"))
        {
            errors["until"] = ["must be after since."];
        }

        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors);
        }

        return await store.RedeliverRangeAsync(identity, subscriptionId, since, until, input.OnlyFailed ?? true, cancellationToken) is { } count
            ? TypedResults.Accepted($"/subscriptions/{subscriptionId}/deliveries", new RedeliveryAccepted(count))
            : TypedResults.NotFound();
    }
}
