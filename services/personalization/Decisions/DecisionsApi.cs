namespace MachCommerce.Personalization.Decisions;

/// <summary>The decision API: which offers and products one visitor sees in one placement, and why.</summary>
internal static class DecisionsApi
{
    public const int MaxOffers = 10, MaxCart = 100;

    public static void MapDecisionsApi(this IEndpointRouteBuilder app)
    {
        app.MapPost("/decisions", Decide).WithTags("Decisions").RequireScope(Scopes.PersonalizationDecide).WithName("Decide");
    }

    private static async Task<Results<Ok<Decision>, ValidationProblem>> Decide(DecisionRequest request, RequestIdentity identity, DecisionEngine engine, CancellationToken cancellationToken)
    {
        var errors = new FieldErrors();
        if (Validate(request, identity, errors) is not { } query)
        {
            return TypedResults.ValidationProblem(errors);
        }

        return TypedResults.Ok(await engine.DecideAsync(identity.TenantId, query, cancellationToken));
    }

    internal static DecisionQuery? Validate(DecisionRequest request, RequestIdentity identity, FieldErrors errors)
    {
        var (visitorId, profileId) = Shopper.Resolve(request.VisitorId, request.ProfileId, identity, errors);
        if (request.Placement is null || !Placements.Known.Contains(request.Placement))
        {
            errors.Add("placement", $"must be one of {Placements.List}.");
        }

        var language = Shopper.Language(request.Locale, errors);
        if (request.MaxOffers is < 1 or > MaxOffers)
        {
            errors.Add("maxOffers", $"must be between 1 and {MaxOffers}.");
        }

        if (request.Context?.CartProductIds is { Count: > MaxCart })
        {
            errors.Add("context.cartProductIds", $"at most {MaxCart} products.");
        }

        return errors.Any ? null : new DecisionQuery(visitorId!, profileId, identity.CustomerGroup, request.Placement!, request.Context?.ProductId, request.Context?.CategoryId,
            request.Context?.CartProductIds ?? [], language, request.MaxOffers ?? 3, request.Preview ?? false);
    }
}

/// <summary>Who a decision or recommendation is for: the signed assertion wins over the request where it names the shopper.</summary>
internal static class Shopper
{
    public static (string? VisitorId, Guid? ProfileId) Resolve(string? visitorId, Guid? profileId, RequestIdentity identity, FieldErrors errors)
    {
        if (identity.VisitorId is { } signedVisitor)
        {
            if (visitorId is not null && visitorId != signedVisitor)
            {
                errors.Add("visitorId", "must be the visitor this request is signed for (or left out).");
            }

            visitorId = signedVisitor;
        }

        if (identity.ProfileId is { } signedProfile && Guid.TryParse(signedProfile, out var signed))
        {
            if (profileId is not null && profileId != signed)
            {
                errors.Add("profileId", "must be the customer this request is signed for (or left out).");
            }

            profileId = signed;
        }

        if (string.IsNullOrWhiteSpace(visitorId))
        {
            errors.Add("visitorId", "is required: the anonymous id the front end keeps for this browser or device.");
        }
        else if (!VisitorIds.IsValid(visitorId))
        {
            errors.Add("visitorId", VisitorIds.Rule);
        }

        return (visitorId, profileId);
    }

    public static string Language(string? locale, FieldErrors errors)
    {
        var language = string.IsNullOrEmpty(locale) ? "de" : locale.Length >= 2 ? locale[..2].ToLowerInvariant() : locale;
        if (language is not ("de" or "en"))
        {
            errors.Add("locale", "must be de or en (or a locale of them, such as de-AT).");
        }

        return language;
    }
}
