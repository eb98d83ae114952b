using System.Text.Json.Nodes;
using MachCommerce.Gateway.Callers;
using MachCommerce.Gateway.Identity;

namespace MachCommerce.Gateway.Storefront;

/// <summary>
/// The signed-in customer (<c>me</c>) and what a customer changes about themselves. The gateway calls the
/// profiles service with read/write scopes for exactly the token's profile, which a storefront key could never
/// do on its own: a storefront key by itself reads no profile at all.
/// </summary>
internal static class ShopperFields
{
    public static void Wire(GraphWiring graph)
    {
        graph.Resolve("Query.me", context => Task.FromResult<object?>(StorefrontRequest.Of(context).Caller.ProfileId is null ? null : StorefrontRequest.Of(context)), cost: 2);
        graph.Resolve("Me.profile", async context => await ProfileAsync(context));
        graph.Resolve("Me.consents", async context =>
        {
            var request = StorefrontRequest.Of(context);
            var consents = await request.Services.GetAsync(request.Caller, "profiles", $"profiles/{request.Caller.ProfileId}/consents", context.CancellationToken, [Scopes.ProfilesRead]);
            return consents is { ValueKind: JsonValueKind.Array } list ? list.EnumerateArray() : (object)Array.Empty<JsonElement>();
        });
        graph.Resolve("Me.preferences", async context => Preferences(await ProfileAsync(context)));
        // The export is the profiles service's, gathered from every data holder; the gateway asks for exactly the token's profile.
        graph.Resolve("Me.export", async context =>
        {
            var request = StorefrontRequest.Of(context);
            return await request.Services.GetAsync(request.Caller, "profiles", $"profiles/{request.Caller.ProfileId}/export", context.CancellationToken, [Scopes.GdprExport])
                ?? throw new StorefrontArgumentException("The signed-in customer's profile no longer exists.");
        }, cost: 10);

        graph.Json("Profile.id");
        graph.Json("Profile.kind");
        graph.Json("Profile.email");
        graph.Json("Profile.firstName");
        graph.Json("Profile.lastName");
        graph.Json("Profile.companyName");
        graph.Json("Profile.customerGroup");
        graph.Json("Profile.locale");

        graph.Json("Consent.purpose");
        graph.Json("Consent.granted");
        graph.Json("Consent.source");
        graph.Json("Consent.policyVersion");
        // The profiles service reports a purpose never asked about with the smallest date: no record, so null here.
        graph.Read<JsonElement>("Consent.recordedAt", consent => consent.Prop("recordedAt")?.GetDateTimeOffset() is { Year: > 1 } at ? at : null);

        graph.Read<JsonElement>("Preferences.categories", preferences => Strings(preferences, "categories"));
        graph.Read<JsonElement>("Preferences.brands", preferences => Strings(preferences, "brands"));
        graph.Read<JsonElement>("Preferences.channels", preferences => Strings(preferences, "channels"));

        graph.Resolve("Mutation.setConsent", SetConsentAsync, cost: 5);
        graph.Resolve("Mutation.updateMyPreferences", UpdatePreferencesAsync, cost: 5);
        graph.Resolve("Mutation.identifyVisitor", IdentifyVisitorAsync, cost: 5);
        graph.Resolve("Mutation.eraseMe", EraseMeAsync, cost: 10);
        graph.Read<JsonElement>("ErasureRequest.id", erasure => erasure.Str("erasureId"));
        graph.Read<JsonElement>("ErasureRequest.status", erasure => erasure.Str("status"));
    }

    private static Caller SignedIn(ResolveContext context) =>
        StorefrontRequest.Of(context).Caller is { ProfileId: not null } caller
            ? caller
            : throw new StorefrontArgumentException($"Only a signed-in customer can do this: send the customer's token in {CustomerTokens.HeaderName}.");

    private static async Task<JsonElement> ProfileAsync(ResolveContext context) =>
        await StorefrontRequest.Of(context).ProfileAsync(context.CancellationToken)
        ?? throw new StorefrontArgumentException("The signed-in customer's profile no longer exists.");

    private static JsonElement Preferences(JsonElement profile) => profile.Prop("preferences") ?? default;

    private static IEnumerable<JsonElement> Strings(JsonElement preferences, string name) =>
        preferences.ValueKind == JsonValueKind.Object ? preferences.Items(name) : [];

    private static async Task<object?> SetConsentAsync(ResolveContext context)
    {
        var caller = SignedIn(context);
        var request = StorefrontRequest.Of(context);
        var purpose = (string)context.Arguments["purpose"]!;
        var input = new { granted = (bool)context.Arguments["granted"]!, source = "storefront", policyVersion = (string)context.Arguments["policyVersion"]! };
        await request.Services.SendJsonAsync(caller, "profiles", HttpMethod.Put, $"profiles/{caller.ProfileId}/consents/{purpose}", input, context.CancellationToken,
            scopes: [Scopes.ProfilesWrite]);
        var consents = await request.Services.GetAsync(caller, "profiles", $"profiles/{caller.ProfileId}/consents", context.CancellationToken, [Scopes.ProfilesRead]);
        return consents?.EnumerateArray().FirstOrDefault(c => c.Str("purpose") == purpose);
    }

    /// <summary>Read, change the preferences, write back with If-Match: a concurrent change elsewhere is never overwritten.</summary>
    private static async Task<object?> UpdatePreferencesAsync(ResolveContext context)
    {
        var caller = SignedIn(context);
        var request = StorefrontRequest.Of(context);
        var profile = await request.Services.GetAsync(caller, "profiles", $"profiles/{caller.ProfileId}", context.CancellationToken, [Scopes.ProfilesRead])
            ?? throw new StorefrontArgumentException("The signed-in customer's profile no longer exists.");
        var input = JsonNode.Parse(profile.GetRawText())!.AsObject();
        foreach (var readOnly in new[] { "id", "version", "createdAt", "updatedAt" })
        {
            input.Remove(readOnly);
        }

        var given = (IReadOnlyDictionary<string, object?>)context.Arguments["preferences"]!;
        var preferences = new JsonObject();
        foreach (var name in new[] { "categories", "brands", "channels" })
        {
            var values = given.GetValueOrDefault(name) as List<object?> ?? [];
            preferences[name] = new JsonArray([.. values.Select(v => (JsonNode?)JsonValue.Create((string)v!))]);
        }

        input["preferences"] = preferences;
        var updated = await request.Services.SendJsonAsync(caller, "profiles", HttpMethod.Put, $"profiles/{caller.ProfileId}", input, context.CancellationToken,
            scopes: [Scopes.ProfilesWrite], ifMatch: $"\"v{profile.Prop("version")?.GetInt32()}\"");
        return updated is { } answer ? Preferences(answer) : preferences.Deserialize<JsonElement>();
    }

    private static async Task<object?> EraseMeAsync(ResolveContext context)
    {
        var caller = SignedIn(context);
        var request = StorefrontRequest.Of(context);
        return await request.Services.SendJsonAsync(caller, "profiles", HttpMethod.Post, $"profiles/{caller.ProfileId}/erasure", new { }, context.CancellationToken,
            scopes: [Scopes.GdprErase]) ?? throw new StorefrontArgumentException("The signed-in customer's profile no longer exists.");
    }

    private static async Task<object?> IdentifyVisitorAsync(ResolveContext context)
    {
        var caller = SignedIn(context);
        var visitorId = (string)context.Arguments["visitorId"]!;
        if (!VisitorIds.IsValid(visitorId))
        {
            throw new StorefrontArgumentException($"visitorId {VisitorIds.Rule}");
        }

        var request = StorefrontRequest.Of(context);
        await request.Services.SendJsonAsync(caller, "profiles", HttpMethod.Post, $"profiles/{caller.ProfileId}/visitors", new { visitorId }, context.CancellationToken,
            scopes: [Scopes.ProfilesWrite]);
        return true;
    }
}
