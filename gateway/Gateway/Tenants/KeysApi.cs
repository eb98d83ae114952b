using MachCommerce.Gateway.Callers;
using MachCommerce.Gateway.Identity;
using MachCommerce.Hosting.Http;

namespace MachCommerce.Gateway.Tenants;

/// <summary>
/// A tenant's keys, managed with its admin key: create (the key is in the answer once, never again), list, read,
/// revoke. Keys of other tenants do not exist for the caller (404).
/// </summary>
public static class KeysApi
{
    public const int MaxPage = 100;
    private const int MaxOrigins = 20;

    public static void MapKeysApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/admin/keys").WithTags("Keys").RequireKeyKind(KeyKind.Admin);
        group.MapGet("/", List);
        group.MapPost("/", (KeyInput input, HttpContext http, KeyStore store, TimeProvider time, CancellationToken cancellationToken) =>
            Create(http.Caller()!.TenantId, input, http.Caller()!.Subject, store, time, cancellationToken));
        group.MapGet("/{id:guid}", Get);
        group.MapDelete("/{id:guid}", Revoke);
    }

    private static async Task<Results<Ok<AdminPage<KeyView>>, ValidationProblem>> List(HttpContext http, KeyStore store, TimeProvider time, CancellationToken cancellationToken,
        string? cursor = null, int limit = 50)
    {
        if (!IdPages.TryRead(cursor, limit, MaxPage, out var after, out var errors))
        {
            return TypedResults.ValidationProblem(errors);
        }

        var keys = await store.ListKeysAsync(http.Caller()!.TenantId, after, limit + 1, cancellationToken);
        var next = keys.Count > limit ? keys[limit - 1].Id.ToString() : null;
        var now = time.GetUtcNow();
        return TypedResults.Ok(new AdminPage<KeyView>([.. keys.Take(limit).Select(k => k.View(now))], next));
    }

    private static async Task<Results<Ok<KeyView>, NotFound>> Get(Guid id, HttpContext http, KeyStore store, TimeProvider time, CancellationToken cancellationToken) =>
        await store.GetKeyAsync(http.Caller()!.TenantId, id, cancellationToken) is { } key ? TypedResults.Ok(key.View(time.GetUtcNow())) : TypedResults.NotFound();

    private static async Task<Results<NoContent, NotFound>> Revoke(Guid id, HttpContext http, KeyStore store, CancellationToken cancellationToken) =>
        await store.RevokeKeyAsync(http.Caller()!.TenantId, id, cancellationToken) is null ? TypedResults.NotFound() : TypedResults.NoContent();

    /// <summary>Creates a key in <paramref name="tenantId"/> (an admin in its own tenant, or the platform bootstrapping one).</summary>
    internal static async Task<Results<Created<CreatedKey>, ValidationProblem>> Create(string tenantId, KeyInput input, string createdBy, KeyStore store, TimeProvider time,
        CancellationToken cancellationToken)
    {
        var errors = new FieldErrors();
        var kind = ApiKeyKinds.Parse(input.Kind);
        if (kind is null)
        {
            errors["kind"] = ["must be storefront, partner or admin."];
        }

        if (string.IsNullOrWhiteSpace(input.Name) || input.Name.Length > 200)
        {
            errors["name"] = ["must be 1 to 200 characters."];
        }

        if (kind == KeyKind.Partner)
        {
            if (input.Scopes is not { Count: > 0 })
            {
                errors["scopes"] = [$"a partner key needs at least one of: {string.Join(", ", Scopes.All)}."];
            }
            else if (input.Scopes.FirstOrDefault(s => !Scopes.All.Contains(s)) is { } unknown)
            {
                errors["scopes"] = [$"\"{unknown}\" is not a scope; the scopes are {string.Join(", ", Scopes.All)}."];
            }
        }
        else if (input.Scopes is { Count: > 0 })
        {
            errors["scopes"] = ["are chosen only for partner keys; storefront and admin keys have fixed scopes."];
        }

        if (kind == KeyKind.Storefront)
        {
            if (input.AllowedOrigins is { Count: > MaxOrigins })
            {
                errors["allowedOrigins"] = [$"at most {MaxOrigins} origins."];
            }
            else if (input.AllowedOrigins?.FirstOrDefault(o => !IsOrigin(o)) is { } bad)
            {
                errors["allowedOrigins"] = [$"\"{bad}\" is not an origin like https://shop.example (scheme, host and optional port, nothing else)."];
            }
        }
        else if (input.AllowedOrigins is { Count: > 0 })
        {
            errors["allowedOrigins"] = ["bind storefront keys only (a partner or admin key must never be used in a browser)."];
        }

        var plan = ApiKeyKinds.DefaultPlan(kind ?? KeyKind.Partner);
        var rate = input.RatePerSecond ?? plan.PerSecond;
        var burst = input.Burst ?? Math.Max(plan.Burst, rate);
        if (rate < 1 || rate > RatePlan.Max.PerSecond)
        {
            errors["ratePerSecond"] = [$"must be from 1 to {RatePlan.Max.PerSecond}."];
        }

        if (burst < rate || burst > RatePlan.Max.Burst)
        {
            errors["burst"] = [$"must be at least ratePerSecond and at most {RatePlan.Max.Burst}."];
        }

        var now = time.GetUtcNow();
        if (input.ExpiresAt is { } expires && expires <= now)
        {
            errors["expiresAt"] = ["must be in the future."];
        }

        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors);
        }

        var (key, prefix, hash) = ApiKeySecrets.New(kind!.Value);
        var origins = (input.AllowedOrigins ?? []).Select(o => o.TrimEnd('/').ToLowerInvariant()).Distinct().ToList();
        var created = await store.CreateKeyAsync(tenantId, kind.Value, input.Name!.Trim(), hash, prefix, ApiKeyKinds.ScopesOf(kind.Value, input.Scopes?.Distinct().ToList()),
            origins, new RatePlan(rate, burst), createdBy, input.ExpiresAt, cancellationToken);
        return TypedResults.Created($"/api/admin/keys/{created.Id}", new CreatedKey(key, created.View(now)));
    }

    private static bool IsOrigin(string value) =>
        Uri.TryCreate(value, UriKind.Absolute, out var uri) && uri.Scheme is "https" or "http" && uri.AbsolutePath == "/" && string.IsNullOrEmpty(uri.Query)
        && string.IsNullOrEmpty(uri.Fragment) && string.IsNullOrEmpty(uri.UserInfo) && !value.TrimEnd('/').EndsWith('/') && value.TrimEnd('/').Count(c => c == '/') == 2;
}
