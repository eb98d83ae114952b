using System.Buffers.Text;
using System.Globalization;
using System.Text;
using MachCommerce.Hosting.Http;

namespace MachCommerce.Profiles.Cooperative;

/// <summary>
/// <c>GET /cooperative/contacts</c>: the cooperative's staff read the contacts its members' customers shared with it
/// (purpose <see cref="CooperativeContacts.Purpose"/>), and only those: nothing of a customer who did not consent,
/// nothing of another cooperative's members (row-level security on the cooperative's central tenant).
/// </summary>
public static class CooperativeContactsApi
{
    private const int MaxLimit = 200;

    public static IEndpointRouteBuilder MapCooperativeContactsApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/cooperative/contacts", List).WithTags("Cooperative").RequireScope(Scopes.ProfilesRead).WithQueryParameters(
            new QueryParameter("memberShop", "string", "Only the customers of this member shop."),
            new QueryParameter("limit", "integer", $"Items per page, 1 to {MaxLimit} (default 50)."),
            new QueryParameter("cursor", "string", "The nextCursor of the previous page."));
        return app;
    }

    internal static async Task<Results<Ok<CooperativeContactPage>, ValidationProblem, ProblemHttpResult>> List(HttpContext http, RequestIdentity identity, ProfilesDatabase database,
        CancellationToken cancellationToken)
    {
        if (!CooperativeTenants.IsCentral(identity.TenantId))
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status403Forbidden, title: "Only for a cooperative",
                detail: "The contacts customers shared with a cooperative are read by the cooperative's staff, at its central level; a shop reads its own customers at /profiles.");
        }

        var query = http.Request.Query;
        var errors = new FieldErrors();
        var limit = 50;
        if (query["limit"].ToString() is { Length: > 0 } limitText && (!int.TryParse(limitText, CultureInfo.InvariantCulture, out limit) || limit is < 1 or > MaxLimit))
        {
            errors["limit"] = [$"must be from 1 to {MaxLimit}."];
        }

        (string Tenant, Guid Profile)? after = null;
        if (query["cursor"].ToString() is { Length: > 0 } cursorText)
        {
            after = Decode(cursorText);
            if (after is null)
            {
                errors["cursor"] = ["is not a cursor of this listing."];
            }
        }

        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors);
        }

        var member = query["memberShop"].ToString();
        await using var db = await database.BeginAsync(identity, cancellationToken);
        // Row-level security lets the central tenant see its members' rows; the cooperative filter says the same in SQL.
        await using var command = db.Command("""
            SELECT tenant_id, profile_id, email, first_name, last_name, company_name, locale, policy_version, consented_at
              FROM cooperative_contacts
             WHERE cooperative_id = $1 AND ($2 = '' OR tenant_id = $2) AND ($3::text IS NULL OR (tenant_id, profile_id) > ($3, $4))
             ORDER BY tenant_id, profile_id
             LIMIT $5
            """);
        command.Parameters.Add(new() { Value = identity.TenantId[CooperativeTenants.CentralPrefix.Length..] });
        command.Parameters.Add(new() { Value = member });
        command.Parameters.Add(new() { Value = (object?)after?.Tenant ?? DBNull.Value, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Text });
        command.Parameters.Add(new() { Value = after?.Profile ?? Guid.Empty });
        command.Parameters.Add(new() { Value = limit + 1 });
        var contacts = new List<CooperativeContactView>();
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                string? Text(int i) => reader.IsDBNull(i) ? null : reader.GetString(i);
                contacts.Add(new CooperativeContactView(reader.GetString(0), reader.GetGuid(1), Text(2), Text(3), Text(4), Text(5), Text(6), reader.GetString(7),
                    reader.GetFieldValue<DateTimeOffset>(8)));
            }
        }

        var next = contacts.Count > limit ? Encode(contacts[limit - 1]) : null;
        return TypedResults.Ok(new CooperativeContactPage([.. contacts.Take(limit)], next));
    }

    private static string Encode(CooperativeContactView last) => Base64Url.EncodeToString(Encoding.UTF8.GetBytes($"{last.MemberShop}\u001f{last.ProfileId}"));

    private static (string, Guid)? Decode(string cursor)
    {
        try
        {
            var parts = Encoding.UTF8.GetString(Base64Url.DecodeFromChars(cursor)).Split('\u001f');
            return parts.Length == 2 && Guid.TryParse(parts[1], out var profile) ? (parts[0], profile) : null;
        }
        catch (FormatException)
        {
            return null;
        }
    }
}
