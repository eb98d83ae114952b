using System.Text.RegularExpressions;
using MachCommerce.Gateway.Callers;
using MachCommerce.Gateway.Identity;

namespace MachCommerce.Gateway.Tenants;

/// <summary>
/// The platform operator's side: tenants (member shops) and each tenant's first keys. Needs the platform key.
/// </summary>
public static partial class TenantsApi
{
    public static void MapTenantsApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/admin/tenants").WithTags("Tenants").RequireKeyKind(KeyKind.Platform);
        group.MapPost("/", Create);
        group.MapGet("/", List);
        group.MapGet("/{id}", Get);
        group.MapPut("/{id}", Update);
        group.MapPost("/{id}/keys", async (string id, KeyInput input, HttpContext http, KeyStore store, TimeProvider time, CancellationToken cancellationToken) =>
            await store.GetTenantAsync(id, cancellationToken) is null
                ? (IResult)TypedResults.NotFound()
                : await KeysApi.Create(id, input, http.Caller()!.Subject, store, time, cancellationToken));
    }

    private static async Task<Results<Created<TenantView>, ValidationProblem, Conflict<Microsoft.AspNetCore.Mvc.ProblemDetails>>> Create(TenantInput input, KeyStore store,
        CancellationToken cancellationToken)
    {
        var errors = Validate(input, creating: true);
        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors);
        }

        var tenant = await store.CreateTenantAsync(input.Id!, input.Name!.Trim(), input.DefaultLanguage ?? "de", cancellationToken);
        return tenant is null
            ? TypedResults.Conflict(new Microsoft.AspNetCore.Mvc.ProblemDetails { Status = 409, Title = "Conflict", Detail = $"A tenant \"{input.Id}\" exists already." })
            : TypedResults.Created($"/api/admin/tenants/{tenant.Id}", tenant.View());
    }

    private static async Task<Results<Ok<AdminPage<TenantView>>, ValidationProblem>> List(KeyStore store, CancellationToken cancellationToken, string? cursor = null, int limit = 50)
    {
        if (limit is < 1 or > KeysApi.MaxPage)
        {
            return FieldErrors.Problem("limit", $"must be from 1 to {KeysApi.MaxPage}.");
        }

        var tenants = await store.ListTenantsAsync(cursor, limit + 1, cancellationToken);
        var next = tenants.Count > limit ? tenants[limit - 1].Id : null;
        return TypedResults.Ok(new AdminPage<TenantView>([.. tenants.Take(limit).Select(t => t.View())], next));
    }

    private static async Task<Results<Ok<TenantView>, NotFound>> Get(string id, KeyStore store, CancellationToken cancellationToken) =>
        await store.GetTenantAsync(id, cancellationToken) is { } tenant ? TypedResults.Ok(tenant.View()) : TypedResults.NotFound();

    private static async Task<Results<Ok<TenantView>, NotFound, ValidationProblem>> Update(string id, TenantInput input, KeyStore store, CancellationToken cancellationToken)
    {
        var errors = Validate(input, creating: false);
        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors);
        }

        return await store.UpdateTenantAsync(id, input.Name!.Trim(), input.Status ?? "active", cancellationToken) is { } tenant
            ? TypedResults.Ok(tenant.View())
            : TypedResults.NotFound();
    }

    private static FieldErrors Validate(TenantInput input, bool creating)
    {
        var errors = new FieldErrors();
        if (creating && !IsValidId(input.Id))
        {
            errors["id"] = [IdRule];
        }

        if (string.IsNullOrWhiteSpace(input.Name) || input.Name.Length > 200)
        {
            errors["name"] = ["must be 1 to 200 characters."];
        }

        if (input.DefaultLanguage is not (null or "de" or "en"))
        {
            errors["defaultLanguage"] = ["must be de or en."];
        }

        if (!creating && input.Status is not (null or "active" or "suspended"))
        {
            errors["status"] = ["must be active or suspended."];
        }

        return errors;
    }

    /// <summary>The form of a tenant's (and a cooperative's) id, as the tables' checks have it.</summary>
    internal const string IdRule = "must be 2 to 63 lowercase letters, digits or hyphens, starting with a letter or digit (it is part of every key and log line).";

    internal static bool IsValidId(string? id) => id is not null && TenantId().IsMatch(id);

    [GeneratedRegex("^[a-z0-9][a-z0-9-]{1,62}$")]
    private static partial Regex TenantId();
}
