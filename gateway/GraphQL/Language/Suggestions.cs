namespace MachCommerce.GraphQL.Language;

/// <summary>
/// "Did you mean …?" hints as graphql-js makes them, so a developer who mistypes a field, argument, type, enum value
/// or input field gets the same hint from us: candidates within a Damerau–Levenshtein distance of 40 % of the typed
/// name (case differences count 1), closest first, ties in natural order, at most five, joined with "or".
/// </summary>
public static class Suggestions
{
    private const int MaxSuggestions = 5;

    /// <summary>The options close enough to <paramref name="input"/>, best first.</summary>
    public static List<string> For(string input, IEnumerable<string> options)
    {
        var threshold = input.Length * 2 / 5 + 1;
        var lowerInput = input.ToLowerInvariant();
        var scored = new List<(string Option, int Distance)>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var option in options)
        {
            if (seen.Add(option) && Distance(input, lowerInput, option, threshold) is { } distance)
            {
                scored.Add((option, distance));
            }
        }

        scored.Sort((a, b) => a.Distance != b.Distance ? a.Distance.CompareTo(b.Distance) : NaturalCompare(a.Option, b.Option));
        return scored.ConvertAll(s => s.Option);
    }

    /// <summary>" Did you mean "a", "b", or "c"?" (with an optional sub-message such as "the enum value"), or "" without suggestions.</summary>
    public static string DidYouMean(IReadOnlyList<string> suggestions, string? subMessage = null)
    {
        if (suggestions.Count == 0)
        {
            return "";
        }

        var quoted = suggestions.Take(MaxSuggestions).Select(s => $"\"{s}\"").ToList();
        var list = quoted.Count switch
        {
            1 => quoted[0],
            2 => $"{quoted[0]} or {quoted[1]}",
            _ => string.Join(", ", quoted.Take(quoted.Count - 1)) + ", or " + quoted[^1],
        };
        return subMessage is null ? $" Did you mean {list}?" : $" Did you mean {subMessage} {list}?";
    }

    /// <summary>Compares names with runs of digits as numbers ("Item2" before "Item10"), as graphql-js orders suggestions.</summary>
    public static int NaturalCompare(string a, string b)
    {
        int i = 0, j = 0;
        while (i < a.Length && j < b.Length)
        {
            if (char.IsAsciiDigit(a[i]) && char.IsAsciiDigit(b[j]))
            {
                // Like graphql-js, a leading zero ends the number, so "0" and "01" compare digit by digit.
                long first = 0, second = 0;
                do
                {
                    first = first * 10 + (a[i++] - '0');
                }
                while (i < a.Length && char.IsAsciiDigit(a[i]) && first > 0);

                do
                {
                    second = second * 10 + (b[j++] - '0');
                }
                while (j < b.Length && char.IsAsciiDigit(b[j]) && second > 0);

                if (first != second)
                {
                    return first < second ? -1 : 1;
                }
            }
            else
            {
                if (a[i] != b[j])
                {
                    return a[i] < b[j] ? -1 : 1;
                }

                i++;
                j++;
            }
        }

        return a.Length.CompareTo(b.Length);
    }

    /// <summary>Optimal string alignment distance (adjacent transpositions count 1), or null once it exceeds the threshold.</summary>
    private static int? Distance(string input, string lowerInput, string option, int threshold)
    {
        if (input == option)
        {
            return 0;
        }

        var lowerOption = option.ToLowerInvariant();
        if (lowerInput == lowerOption)
        {
            return 1;
        }

        var (a, b) = lowerOption.Length < lowerInput.Length ? (lowerInput, lowerOption) : (lowerOption, lowerInput);
        if (a.Length - b.Length > threshold)
        {
            return null;
        }

        var rows = new int[3][];
        for (var r = 0; r < 3; r++)
        {
            rows[r] = new int[b.Length + 1];
        }

        for (var j = 0; j <= b.Length; j++)
        {
            rows[0][j] = j;
        }

        for (var i = 1; i <= a.Length; i++)
        {
            var up = rows[(i - 1) % 3];
            var current = rows[i % 3];
            var smallest = current[0] = i;
            for (var j = 1; j <= b.Length; j++)
            {
                var cost = a[i - 1] == b[j - 1] ? 0 : 1;
                var cell = Math.Min(Math.Min(up[j] + 1, current[j - 1] + 1), up[j - 1] + cost);
                if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1])
                {
                    cell = Math.Min(cell, rows[(i - 2) % 3][j - 2] + 1);
                }

                smallest = Math.Min(smallest, cell);
                current[j] = cell;
            }

            if (smallest > threshold)
            {
                return null;
            }
        }

        var distance = rows[a.Length % 3][b.Length];
        return distance <= threshold ? distance : null;
    }
}
