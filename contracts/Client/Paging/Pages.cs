using System.Runtime.CompilerServices;

namespace MachCommerce.Client;

/// <summary>Walks a cursor-paged listing page by page, as one sequence.</summary>
public static class Pages
{
    /// <param name="fetch">Fetches the page after the cursor (null: the first page).</param>
    public static async IAsyncEnumerable<TItem> ReadAllAsync<TPage, TItem>(Func<string?, CancellationToken, Task<TPage>> fetch, Func<TPage, IReadOnlyList<TItem>> items,
        Func<TPage, string?> nextCursor, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        string? cursor = null;
        do
        {
            var page = await fetch(cursor, cancellationToken);
            foreach (var item in items(page))
            {
                yield return item;
            }

            cursor = nextCursor(page);
        }
        while (cursor is not null);
    }
}
