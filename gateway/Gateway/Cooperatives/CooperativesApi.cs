using MachCommerce.Gateway.Callers;
using MachCommerce.Gateway.Identity;
using MachCommerce.Gateway.Services;
using MachCommerce.Gateway.Tenants;

namespace MachCommerce.Gateway.Cooperatives;

/// <summary>An invitation into a cooperative's staff: the person's address and their role there.</summary>
public sealed record StaffInput(string? Email, string? Role);

/// <summary>
/// The platform operator's side of cooperatives (Verbundgruppen): create and rename them, attach and detach
/// member shops. A member stays its own tenant with its own data, keys and staff. Needs the platform key.
/// </summary>
public static class CooperativesApi
{
    public static void MapCooperativesApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/admin/cooperatives").WithTags("Cooperatives").RequireKeyKind(KeyKind.Platform);
        group.MapPost("/", Create);
        group.MapGet("/", List);
        group.MapGet("/{id}", Get);
        group.MapPut("/{id}", Rename);
        group.MapPut("/{id}/members/{tenantId}", Attach);
        group.MapDelete("/{id}/members/{tenantId}", Detach);
        group.MapPost("/{id}/staff", (string id, StaffInput input, HttpContext http, CooperativeStore store, ServiceCalls services, CancellationToken cancellationToken) =>
            ToStaffAsync(id, http, store, services, HttpMethod.Post, "cooperative-staff", input, cancellationToken));
        group.MapGet("/{id}/staff", (string id, HttpContext http, CooperativeStore store, ServiceCalls services, CancellationToken cancellationToken) =>
            ToStaffAsync(id, http, store, services, HttpMethod.Get, "cooperative-staff", null, cancellationToken));
        group.MapDelete("/{id}/staff/{userId:guid}", (string id, Guid userId, HttpContext http, CooperativeStore store, ServiceCalls services, CancellationToken cancellationToken) =>
            ToStaffAsync(id, http, store, services, HttpMethod.Delete, $"cooperative-staff/{userId}", null, cancellationToken));

        group.MapPost("/{id}/keys", CreateKey);
        group.MapGet("/{id}/keys", ListKeys);
        group.MapDelete("/{id}/keys/{keyId:guid}", RevokeKey);

        // A cooperative's staff member: their cooperative and its member shops (the shops they may name in X-Tenant).
        app.MapGet("/api/cooperative", Own).WithTags("Cooperatives");
    }

    /// <summary>
    /// The cooperative's staff live in the identity service; the gateway checks the cooperative exists and passes the
    /// request on with an assertion that names the cooperative and the one scope for this, which nothing else grants.
    /// </summary>
    private static async Task<IResult> ToStaffAsync(string id, HttpContext http, CooperativeStore store, ServiceCalls services, HttpMethod method, string path,
        StaffInput? input, CancellationToken cancellationToken)
    {
        if (await store.GetAsync(id, cancellationToken) is null)
        {
            return NoSuchCooperative(id);
        }

        var operatorCaller = http.Caller()! with { TenantId = id };
        return await services.ForwardAsync(operatorCaller, "identity", method, path, input, [Scopes.CooperativesManage], cancellationToken);
    }

    private static async Task<Results<Ok<CooperativeView>, ProblemHttpResult, NotFound<ProblemDetails>>> Own(HttpContext http, CooperativeStore store, CancellationToken cancellationToken)
    {
        if (http.Caller() is not { Cooperative: { } cooperative })
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status403Forbidden, title: "Forbidden",
                detail: "Only a cooperative's staff have a cooperative here; the platform operator reads cooperatives at /api/admin/cooperatives.");
        }

        return await store.GetAsync(cooperative, cancellationToken) is { } view ? TypedResults.Ok(view) : NoSuchCooperative(cooperative);
    }

    private static async Task<Results<Created<CooperativeView>, ValidationProblem, Conflict<ProblemDetails>>> Create(CooperativeInput input, CooperativeStore store,
        CancellationToken cancellationToken)
    {
        var errors = Validate(input, creating: true);
        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors);
        }

        return await store.CreateAsync(input.Id!, input.Name!.Trim(), cancellationToken) is { } cooperative
            ? TypedResults.Created($"/api/admin/cooperatives/{cooperative.Id}", cooperative)
            : TypedResults.Conflict(Problem(409, "Conflict", $"A cooperative \"{input.Id}\" exists already."));
    }

    private static async Task<Results<Ok<AdminPage<CooperativeView>>, ValidationProblem>> List(CooperativeStore store, CancellationToken cancellationToken,
        string? cursor = null, int limit = 50)
    {
        if (limit is < 1 or > KeysApi.MaxPage)
        {
            return FieldErrors.Problem("limit", $"must be from 1 to {KeysApi.MaxPage}.");
        }

        var cooperatives = await store.ListAsync(cursor, limit + 1, cancellationToken);
        var next = cooperatives.Count > limit ? cooperatives[limit - 1].Id : null;
        return TypedResults.Ok(new AdminPage<CooperativeView>([.. cooperatives.Take(limit)], next));
    }

    private static async Task<Results<Ok<CooperativeView>, NotFound<ProblemDetails>>> Get(string id, CooperativeStore store, CancellationToken cancellationToken) =>
        await store.GetAsync(id, cancellationToken) is { } cooperative ? TypedResults.Ok(cooperative) : NoSuchCooperative(id);

    private static async Task<Results<Ok<CooperativeView>, NotFound<ProblemDetails>, ValidationProblem>> Rename(string id, CooperativeInput input, CooperativeStore store,
        CancellationToken cancellationToken)
    {
        var errors = Validate(input, creating: false);
        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors);
        }

        return await store.RenameAsync(id, input.Name!.Trim(), cancellationToken) is { } cooperative ? TypedResults.Ok(cooperative) : NoSuchCooperative(id);
    }

    /// <summary>
    /// Makes the shop a member (again is a no-op), and with a body says where it is (its address and product pages,
    /// for joint search); a location sent again replaces the one before. A shop belongs to one cooperative at most:
    /// detach it from the other first.
    /// </summary>
    private static async Task<Results<Ok<CooperativeView>, NotFound<ProblemDetails>, Conflict<ProblemDetails>, ValidationProblem>> Attach(string id, string tenantId,
        [FromBody(EmptyBodyBehavior = Microsoft.AspNetCore.Mvc.ModelBinding.EmptyBodyBehavior.Allow)] MemberLocation? location, CooperativeStore store,
        CancellationToken cancellationToken)
    {
        MemberLocation? located = null;
        if (location is not null && !TryLocate(location, out located, out var errors))
        {
            return TypedResults.ValidationProblem(errors);
        }

        var (outcome, other) = await store.AttachAsync(id, tenantId, cancellationToken);
        switch (outcome)
        {
            case Attachment.NoSuchCooperative:
                return NoSuchCooperative(id);
            case Attachment.NoSuchTenant:
                return TypedResults.NotFound(Problem(404, "Not Found", $"There is no shop (tenant) \"{tenantId}\" to attach."));
            case Attachment.MemberElsewhere:
                return TypedResults.Conflict(Problem(409, "Conflict",
                    $"The shop \"{tenantId}\" is a member of the cooperative \"{other}\"; a shop belongs to one cooperative at most, so detach it there first."));
        }

        if (located is not null)
        {
            await store.SetLocationAsync(id, tenantId, located, cancellationToken);
        }

        return TypedResults.Ok((await store.GetAsync(id, cancellationToken))!);
    }

    /// <summary>Checks a member's location and places it: its own coordinates, or its postcode region's main town.</summary>
    private static bool TryLocate(MemberLocation location, out MemberLocation? located, out FieldErrors errors)
    {
        errors = [];
        located = null;
        if (!PostcodeRegions.IsWellFormed(location.Postcode))
        {
            errors["postcode"] = ["is required: the five digits of a German postcode."];
        }
        else if (location is { Latitude: null, Longitude: null } && !PostcodeRegions.TryLocate(location.Postcode, out _, out _))
        {
            errors["postcode"] = ["lies in no German postcode region (05, 11, 43 and 62 are not used); give latitude and longitude."];
        }

        if (string.IsNullOrWhiteSpace(location.City) || location.City.Trim().Length > 100)
        {
            errors["city"] = ["is required: 1 to 100 characters."];
        }

        if (location.Street is { Length: > 200 })
        {
            errors["street"] = ["must be at most 200 characters."];
        }

        if ((location.Latitude is null) != (location.Longitude is null))
        {
            errors[location.Latitude is null ? "latitude" : "longitude"] = ["give latitude and longitude together, or neither (then the postcode places the shop)."];
        }
        else if (location.Latitude is { } latitude && location.Longitude is { } longitude && (latitude is < 47.2 or > 55.1 || longitude is < 5.8 or > 15.1))
        {
            errors[latitude is < 47.2 or > 55.1 ? "latitude" : "longitude"] = ["must lie in Germany (latitude 47.2 to 55.1, longitude 5.8 to 15.1)."];
        }

        if (location.ProductUrl is { } url && (url.Length > 500 || !url.Contains("{slug}", StringComparison.Ordinal)
            || !Uri.TryCreate(url.Replace("{slug}", "x", StringComparison.Ordinal), UriKind.Absolute, out var page) || page.Scheme is not ("https" or "http")))
        {
            errors["productUrl"] = ["must be an http(s) address of at most 500 characters with {slug} where the product's slug goes."];
        }

        if (errors.Count > 0)
        {
            return false;
        }

        var (lat, lon) = location.Latitude is { } given ? (given, location.Longitude!.Value) : Region(location.Postcode!);
        located = location with { Street = location.Street?.Trim(), City = location.City!.Trim(), Latitude = lat, Longitude = lon };
        return true;

        static (double, double) Region(string postcode) => PostcodeRegions.TryLocate(postcode, out var lat, out var lon) ? (lat, lon) : (0, 0);
    }

    /// <summary>
    /// The shop leaves the cooperative and stays a tenant with all its own data; not while it takes products of the
    /// central assortment (they would stay, cut off from their source), which the shop cancels first.
    /// </summary>
    private static async Task<Results<NoContent, NotFound<ProblemDetails>, Conflict<ProblemDetails>>> Detach(string id, string tenantId, HttpContext http,
        CooperativeStore store, ServiceCalls services, CancellationToken cancellationToken)
    {
        if (await store.CooperativeOfAsync(tenantId, cancellationToken) == id
            && await services.GetAsync(http.Caller()! with { TenantId = tenantId, TenantCooperative = id }, "catalog", "central", cancellationToken, [Scopes.CatalogWrite])
                is { } central && central.TryGetProperty("subscriptions", out var subscriptions) && subscriptions.GetArrayLength() is > 0 and var count)
        {
            return TypedResults.Conflict(Problem(409, "Conflict",
                $"The shop \"{tenantId}\" takes {count} subscription(s) of the cooperative's central assortment; it cancels them first " +
                "(DELETE /api/catalog/central/subscriptions/{kind}/{id}), so no product is left cut off from its source."));
        }

        // Nor a campaign of the cooperative that would go on changing an offer of a shop that left.
        if (await store.CooperativeOfAsync(tenantId, cancellationToken) == id
            && await services.GetAsync(http.Caller()! with { TenantId = tenantId, TenantCooperative = id }, "personalization", "central/campaigns", cancellationToken,
                [Scopes.PersonalizationManage]) is { } campaigns
            && campaigns.GetProperty("items").EnumerateArray().Count(c => c.TryGetProperty("participation", out var part) && part.ValueKind == JsonValueKind.Object) is > 0 and var taking)
        {
            return TypedResults.Conflict(Problem(409, "Conflict",
                $"The shop \"{tenantId}\" takes part in {taking} of the cooperative's central campaign(s); it leaves them first " +
                "(DELETE /api/personalization/central/campaigns/{id}/participation), or the cooperative withdraws them."));
        }

        if (await store.DetachAsync(id, tenantId, cancellationToken))
        {
            return TypedResults.NoContent();
        }

        return await store.GetAsync(id, cancellationToken) is null
            ? NoSuchCooperative(id)
            : TypedResults.NotFound(Problem(404, "Not Found", $"The shop \"{tenantId}\" is not a member of the cooperative \"{id}\"."));
    }

    private static FieldErrors Validate(CooperativeInput input, bool creating)
    {
        var errors = new FieldErrors();
        if (creating && !TenantsApi.IsValidId(input.Id))
        {
            errors["id"] = [TenantsApi.IdRule];
        }

        if (string.IsNullOrWhiteSpace(input.Name) || input.Name.Trim().Length > 200)
        {
            errors["name"] = ["must be 1 to 200 characters."];
        }

        return errors;
    }

    /// <summary>
    /// The cooperative's own storefront key, for its joint storefront: it acts in the cooperative's central level (the
    /// central assortment; <c>jointSearch</c> and <c>memberShops</c> over its members). Storefront keys only: the
    /// cooperative's staff sign in as people, and no key of the cooperative reaches into a member shop.
    /// </summary>
    private static async Task<Results<Created<CreatedKey>, ValidationProblem, NotFound<ProblemDetails>>> CreateKey(string id, KeyInput input, HttpContext http,
        CooperativeStore store, KeyStore keys, TimeProvider time, CancellationToken cancellationToken)
    {
        if (await store.GetAsync(id, cancellationToken) is null)
        {
            return NoSuchCooperative(id);
        }

        if (input.Kind != "storefront")
        {
            return TypedResults.ValidationProblem(new FieldErrors
            {
                ["kind"] = ["a cooperative's key is a storefront key (for its joint storefront); its staff sign in as people, and a member shop's keys are the shop's."],
            });
        }

        return (await KeysApi.Create(CooperativeTenants.CentralTenant(id), input, http.Caller()!.Subject, keys, time, cancellationToken)).Result switch
        {
            Created<CreatedKey> created => created,
            var refusal => (ValidationProblem)refusal,
        };
    }

    private static async Task<Results<Ok<AdminPage<KeyView>>, NotFound<ProblemDetails>>> ListKeys(string id, CooperativeStore store, KeyStore keys, TimeProvider time,
        CancellationToken cancellationToken) =>
        await store.GetAsync(id, cancellationToken) is null
            ? NoSuchCooperative(id)
            : TypedResults.Ok(new AdminPage<KeyView>([.. (await keys.ListKeysAsync(CooperativeTenants.CentralTenant(id), null, KeysApi.MaxPage, cancellationToken))
                .Select(k => k.View(time.GetUtcNow()))], null));

    private static async Task<Results<NoContent, NotFound<ProblemDetails>>> RevokeKey(string id, Guid keyId, KeyStore keys, CancellationToken cancellationToken) =>
        await keys.RevokeKeyAsync(CooperativeTenants.CentralTenant(id), keyId, cancellationToken) is null
            ? TypedResults.NotFound(Problem(404, "Not Found", $"The cooperative \"{id}\" has no key {keyId}."))
            : TypedResults.NoContent();

    private static NotFound<ProblemDetails> NoSuchCooperative(string id) => TypedResults.NotFound(Problem(404, "Not Found", $"There is no cooperative \"{id}\"."));

    private static ProblemDetails Problem(int status, string title, string detail) => new() { Status = status, Title = title, Detail = detail };
}
