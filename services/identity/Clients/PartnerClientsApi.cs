using MachCommerce.Hosting.Identity;

namespace MachCommerce.Identity.Clients;

/// <summary>
/// A shop owner's partner clients (<c>/api/identity/clients</c> at the gateway): create one with the scopes the
/// partner needs (the secret is in that answer only), list, read, rotate the secret, delete.
/// </summary>
public static class PartnerClientsApi
{
    public const int MaxPage = 100;

    public static void MapPartnerClientsApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/clients").WithTags("Partner clients").RequireScope(Scopes.ClientsManage);
        group.MapPost("/", Create).WithName("CreatePartnerClient");
        group.MapGet("/", List).WithName("ListPartnerClients");
        group.MapGet("/{clientId}", Get).WithName("GetPartnerClient");
        group.MapPost("/{clientId}/secret", RotateSecret).WithName("RotatePartnerClientSecret");
        group.MapPut("/{clientId}/keys", ReplaceKeys).WithName("ReplacePartnerClientKeys");
        group.MapDelete("/{clientId}", Delete).WithName("DeletePartnerClient");
    }

    private static async Task<Results<Created<PartnerClientSecret>, ValidationProblem>> Create(PartnerClientInput input, RequestIdentity identity, PartnerClients clients,
        CancellationToken cancellationToken)
    {
        var errors = new FieldErrors();
        if (string.IsNullOrWhiteSpace(input.Name) || input.Name.Trim().Length > 200)
        {
            errors["name"] = ["must be 1 to 200 characters."];
        }

        if (input.Scopes is not { Count: > 0 })
        {
            errors["scopes"] = [$"a partner client needs at least one of: {string.Join(", ", PartnerClients.Grantable)}."];
        }
        else
        {
            for (var i = 0; i < input.Scopes.Count; i++)
            {
                if (!PartnerClients.Grantable.Contains(input.Scopes[i]))
                {
                    errors[$"scopes[{i}]"] = [$"\"{input.Scopes[i]}\" is not a scope a partner may have; they are {string.Join(", ", PartnerClients.Grantable)}."];
                }
            }
        }

        var keys = input.Jwks is { ValueKind: not System.Text.Json.JsonValueKind.Null } jwks ? PartnerKeys.Read(jwks, errors) : null;
        var rate = input.RatePerSecond ?? RatePlan.Default.PerSecond;
        var burst = input.Burst ?? Math.Max(RatePlan.Default.Burst, rate);
        if (rate < 1 || rate > RatePlan.Max.PerSecond)
        {
            errors["ratePerSecond"] = [$"must be from 1 to {RatePlan.Max.PerSecond}."];
        }

        if (burst < rate || burst > RatePlan.Max.Burst)
        {
            errors["burst"] = [$"must be at least ratePerSecond and at most {RatePlan.Max.Burst}."];
        }

        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors);
        }

        var created = await clients.CreateAsync(identity.TenantId, input.Name!.Trim(), [.. input.Scopes!.Distinct()], new RatePlan(rate, burst), keys, identity.Assertion.Subject,
            cancellationToken);
        return TypedResults.Created($"/clients/{created.ClientId}", created);
    }

    private static async Task<Results<Ok<PartnerClientPage>, ValidationProblem>> List(RequestIdentity identity, PartnerClients clients, CancellationToken cancellationToken,
        string? cursor = null, int limit = 50)
    {
        if (!IdPages.TryRead(cursor, limit, MaxPage, out var after, out var errors))
        {
            return TypedResults.ValidationProblem(errors);
        }

        var (page, next) = await clients.ListAsync(identity.TenantId, after, limit, cancellationToken);
        return TypedResults.Ok(new PartnerClientPage(page, next));
    }

    private static async Task<Results<Ok<PartnerClientView>, NotFound>> Get(string clientId, RequestIdentity identity, PartnerClients clients, CancellationToken cancellationToken) =>
        await clients.GetAsync(identity.TenantId, clientId, cancellationToken) is { } client ? TypedResults.Ok(client) : TypedResults.NotFound();

    private static async Task<Results<Ok<PartnerClientSecret>, NotFound, Conflict<ProblemDetails>>> RotateSecret(string clientId, RequestIdentity identity, PartnerClients clients,
        CancellationToken cancellationToken) =>
        await clients.RotateSecretAsync(identity.TenantId, clientId, identity.Assertion.Subject, cancellationToken) switch
        {
            null => TypedResults.NotFound(),
            { ClientSecret: null } => TypedResults.Conflict(new ProblemDetails
            {
                Title = "The client has no secret", Status = StatusCodes.Status409Conflict,
                Detail = "This client proves itself with its own key (private_key_jwt): replace its public keys with PUT /clients/{clientId}/keys.",
            }),
            var rotated => TypedResults.Ok(rotated),
        };

    private static async Task<Results<Ok<PartnerClientView>, NotFound, ValidationProblem, Conflict<ProblemDetails>>> ReplaceKeys(string clientId, PartnerKeysInput input,
        RequestIdentity identity, PartnerClients clients, CancellationToken cancellationToken)
    {
        var errors = new FieldErrors();
        var keys = input.Jwks is { ValueKind: not System.Text.Json.JsonValueKind.Null } jwks ? PartnerKeys.Read(jwks, errors) : null;
        if (keys is null)
        {
            errors.TryAdd("jwks", ["is required: the partner's public keys as a JSON Web Key Set."]);
            return TypedResults.ValidationProblem(errors);
        }

        return await clients.ReplaceKeysAsync(identity.TenantId, clientId, keys, identity.Assertion.Subject, cancellationToken) switch
        {
            (null, _) => TypedResults.NotFound(),
            (_, true) => TypedResults.Conflict(new ProblemDetails
            {
                Title = "The client has a secret", Status = StatusCodes.Status409Conflict,
                Detail = "This client proves itself with a secret: rotate it with POST /clients/{clientId}/secret, or make a new client with the partner's keys.",
            }),
            (var client, _) => TypedResults.Ok(client!),
        };
    }

    private static async Task<Results<NoContent, NotFound>> Delete(string clientId, RequestIdentity identity, PartnerClients clients, CancellationToken cancellationToken) =>
        await clients.DeleteAsync(identity.TenantId, clientId, identity.Assertion.Subject, cancellationToken) ? TypedResults.NoContent() : TypedResults.NotFound();
}
