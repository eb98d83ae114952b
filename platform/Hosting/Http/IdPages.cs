using MachCommerce.Hosting.Problems;

namespace MachCommerce.Hosting.Http;

/// <summary>
/// A listing paged by id: rows ordered by their UUIDv7 id (the order of creation), the cursor the last id of the
/// previous page. Reads <c>cursor</c> and <c>limit</c> as one such listing takes them, or says what is wrong with each.
/// </summary>
public static class IdPages
{
    public static bool TryRead(string? cursor, int limit, int maxPage, out Guid? after, out FieldErrors errors)
    {
        errors = [];
        after = null;
        if (cursor is not null)
        {
            if (Guid.TryParse(cursor, out var parsed))
            {
                after = parsed;
            }
            else
            {
                errors["cursor"] = ["is not a cursor of this listing."];
            }
        }

        if (limit < 1 || limit > maxPage)
        {
            errors["limit"] = [$"must be from 1 to {maxPage}."];
        }

        return errors.Count == 0;
    }
}
