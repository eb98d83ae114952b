using MachCommerce.Personalization.Decisions;
using MachCommerce.Personalization.Definitions;
using MachCommerce.Personalization.Segments;

namespace MachCommerce.Personalization.Offers;

/// <summary>Offers: what a merchant wants to show whom, where, with which products and incentive, for how long.</summary>
internal static class OffersApi
{
    private static readonly DefinitionApi<OfferInput> Definitions = new(OfferModel.Table, "Offer", ValidateAsync, keptElsewhere: OfferModel.KeptByCooperative);

    public static void MapOffersApi(this IEndpointRouteBuilder app)
    {
        var group = Definitions.Map(app, "/offers", Scopes.PersonalizationManage);
        group.MapPost("/", (OfferInput input, [AsParameters] DefinitionWrite write) => Definitions.Create(input, write)).WithName("CreateOffer");
        group.MapPut("/{id:guid}", (Guid id, OfferInput input, [AsParameters] DefinitionWrite write) => Definitions.Replace(id, input, write)).WithName("ReplaceOffer");
        group.MapGet("/{id:guid}/stats", Stats).WithName("GetOfferStats");
    }

    internal static async Task<ValidDefinition?> ValidateAsync(OfferInput input, DefinitionContext context)
    {
        var errors = context.Errors;
        var name = input.Name?.Trim();
        if (string.IsNullOrEmpty(name) || name.Length > 200)
        {
            errors.Add("name", "is required, at most 200 characters.");
        }

        var status = input.Status ?? "draft";
        if (status is not ("draft" or "active" or "paused" or "archived"))
        {
            errors.Add("status", "must be draft, active, paused or archived.");
        }

        if (input.Placements is not { Count: > 0 } placements)
        {
            errors.Add("placements", $"at least one placement is required ({Placements.List}).");
        }
        else
        {
            for (var i = 0; i < placements.Count; i++)
            {
                if (placements[i] is null || !Placements.Known.Contains(placements[i]))
                {
                    errors.Add($"placements[{i}]", $"'{placements[i]}' is not a placement; use one of {Placements.List}.");
                }
            }
        }

        await ValidateTargetingAsync(input.Targeting, context);
        ValidateContent(input.Content, errors);
        ValidateSelection(input.Selection, errors);
        ValidateIncentive(input.Incentive, errors);

        if (input.ValidFrom is { } from && input.ValidUntil is { } until && until <= from)
        {
            errors.Add("validUntil", "must be after validFrom.");
        }

        if (input.Priority is < 0 or > 1000)
        {
            errors.Add("priority", "must be between 0 and 1000.");
        }

        if (input.FrequencyCap is { } cap)
        {
            if (cap.Max is not (>= 1 and <= 1000))
            {
                errors.Add("frequencyCap.max", "must be between 1 and 1000.");
            }

            if (cap.PerHours is not (>= 1 and <= 8760))
            {
                errors.Add("frequencyCap.perHours", "must be between 1 and 8760 (a year).");
            }
        }

        if (errors.Any)
        {
            return null;
        }

        var normalised = input with
        {
            Name = null,
            Status = null,
            Placements = [.. input.Placements!.Distinct()],
            Priority = input.Priority ?? 0,
            Selection = input.Selection is { } s ? s with { MaxProducts = s.MaxProducts ?? OfferModel.DefaultProducts } : null,
        };
        return new ValidDefinition(name!, status, DefinitionStore.ToJsonObject(normalised));
    }

    private static async Task ValidateTargetingAsync(OfferTargeting? targeting, DefinitionContext context)
    {
        if (targeting is null)
        {
            return;
        }

        if (targeting.Conditions is { ValueKind: not JsonValueKind.Null } conditions)
        {
            Condition.Parse(conditions, "targeting.conditions", context.Errors);
        }

        if (targeting.SegmentIds is not { Count: > 0 } segmentIds)
        {
            return;
        }

        if (segmentIds.Count > 20)
        {
            context.Errors.Add("targeting.segmentIds", "at most 20 segments.");
            return;
        }

        await using var command = new NpgsqlCommand("SELECT id FROM segments WHERE tenant_id = $1 AND id = ANY($2) AND status = 'active'",
            context.Transaction.Connection, context.Transaction);
        command.Parameters.Add(new() { Value = context.TenantId });
        command.Parameters.Add(new() { Value = segmentIds.ToArray() });
        var found = new HashSet<Guid>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            found.Add(reader.GetGuid(0));
        }

        for (var i = 0; i < segmentIds.Count; i++)
        {
            if (!found.Contains(segmentIds[i]))
            {
                context.Errors.Add($"targeting.segmentIds[{i}]", $"there is no active segment {segmentIds[i]}.");
            }
        }
    }

    private static void ValidateContent(Dictionary<string, OfferContent>? content, FieldErrors errors)
    {
        if (content is not { Count: > 0 })
        {
            errors.Add("content", "is required: the texts per language, e.g. {\"de\": {\"headline\": \"…\"}}.");
            return;
        }

        foreach (var (language, text) in content)
        {
            var path = $"content.{language}";
            if (language is not ("de" or "en"))
            {
                errors.Add(path, "languages are de and en.");
                continue;
            }

            if (text is null || string.IsNullOrWhiteSpace(text.Headline) || text.Headline.Length > 120)
            {
                errors.Add($"{path}.headline", "is required, at most 120 characters.");
            }

            if (text?.Text is { Length: > 1000 })
            {
                errors.Add($"{path}.text", "must be at most 1000 characters.");
            }

            if (text?.CallToAction is { Length: > 40 })
            {
                errors.Add($"{path}.callToAction", "must be at most 40 characters.");
            }

            foreach (var (field, url) in new[] { ("imageUrl", text?.ImageUrl), ("url", text?.Url) })
            {
                if (url is not null && (url.Length > 2000 || !Uri.TryCreate(url, UriKind.RelativeOrAbsolute, out var parsed)
                    || parsed.IsAbsoluteUri && parsed.Scheme is not ("https" or "http")))
                {
                    errors.Add($"{path}.{field}", "must be an http(s) or site-relative URL of at most 2000 characters.");
                }
            }
        }
    }

    private static void ValidateSelection(OfferSelection? selection, FieldErrors errors)
    {
        if (selection is null)
        {
            return;
        }

        if ((selection.CategoryIds?.Count ?? 0) + (selection.Brands?.Count ?? 0) + (selection.Skus?.Count ?? 0) > 200)
        {
            errors.Add("selection", "at most 200 categories, brands and SKUs together.");
        }

        if (selection.Brands?.Any(b => string.IsNullOrWhiteSpace(b) || b.Length > 100) == true)
        {
            errors.Add("selection.brands", "brands must be 1 to 100 characters.");
        }

        if (selection.Skus?.Any(s => string.IsNullOrWhiteSpace(s) || s.Length > 100) == true)
        {
            errors.Add("selection.skus", "SKUs must be 1 to 100 characters.");
        }

        if (selection.MaxProducts is < 0 or > OfferModel.MaxProducts)
        {
            errors.Add("selection.maxProducts", $"must be between 0 and {OfferModel.MaxProducts}.");
        }
    }

    private static void ValidateIncentive(OfferIncentive? incentive, FieldErrors errors)
    {
        if (incentive is null)
        {
            return;
        }

        switch (incentive.Type)
        {
            case "percent" when incentive.Value is not (> 0 and <= 100):
                errors.Add("incentive.value", "a percentage must be more than 0 and at most 100.");
                break;
            case "amount" when incentive.Value is not (> 0 and <= 10_000):
                errors.Add("incentive.value", "an amount off must be more than 0 and at most 10000 EUR.");
                break;
            case "free_shipping" when incentive.Value is not null:
                errors.Add("incentive.value", "free_shipping takes no value.");
                break;
            case "percent" or "amount" or "free_shipping":
                break;
            default:
                errors.Add("incentive.type", "must be percent, amount or free_shipping.");
                break;
        }

        if (incentive.Code is { Length: > 40 })
        {
            errors.Add("incentive.code", "must be at most 40 characters.");
        }
    }

    /// <summary>Impressions, clicks and redemptions per day, from everybody (anonymous counters), newest first.</summary>
    private static async Task<Results<Ok<OfferStats>, ValidationProblem, ProblemHttpResult>> Stats(Guid id, RequestIdentity identity, PersonalizationDatabase database, CancellationToken cancellationToken, int days = 30)
    {
        if (days is < 1 or > 366)
        {
            return FieldErrors.Problem("days", "must be between 1 and 366.");
        }

        await using var db = await database.BeginAsync(identity.TenantId, cancellationToken);
        if (await DefinitionStore.FindAsync(db.Transaction, OfferModel.Table, identity.TenantId, id, cancellationToken) is null)
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "Offer not found", detail: $"There is no offer {id}.");
        }

        await using var command = new NpgsqlCommand("""
            SELECT day, impressions, clicks, redemptions FROM offer_stats
            WHERE tenant_id = $1 AND offer_id = $2 AND day > current_date - $3 ORDER BY day DESC
            """, db.Connection, db.Transaction);
        command.Parameters.Add(new() { Value = identity.TenantId });
        command.Parameters.Add(new() { Value = id });
        command.Parameters.Add(new() { Value = days });
        var rows = new List<OfferDay>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            rows.Add(new OfferDay(reader.GetFieldValue<DateOnly>(0), reader.GetInt64(1), reader.GetInt64(2), reader.GetInt64(3)));
        }

        return TypedResults.Ok(new OfferStats(id, rows));
    }
}
