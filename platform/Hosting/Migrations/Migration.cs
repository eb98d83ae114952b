using System.Text;
using System.Text.RegularExpressions;

namespace MachCommerce.Hosting.Migrations;

/// <summary>One versioned SQL script, e.g. <c>0003_add_price_lists.sql</c> embedded under a service's Migrations folder.</summary>
public sealed partial record Migration(int Version, string Name, string Sql)
{
    /// <summary>SHA-256 of the script with line endings normalised, so a checkout on Windows does not count as a change.</summary>
    public string Checksum { get; } = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(Sql.ReplaceLineEndings("\n"))));

    /// <summary>
    /// Scripts whose first line is <c>-- migrate: no-transaction</c> run outside a transaction, for statements
    /// PostgreSQL refuses inside one (CREATE INDEX CONCURRENTLY); such a script holds that one statement only,
    /// since PostgreSQL also refuses it inside a multi-statement batch.
    /// </summary>
    public bool RunsInTransaction { get; } = !Sql.TrimStart().StartsWith("-- migrate: no-transaction", StringComparison.OrdinalIgnoreCase);

    /// <summary>
    /// What an applied script may be edited into without stopping the service: lines <c>-- earlier checksum: …</c> name
    /// the checksums it had before, and the runner takes it as the same script (recording the new checksum). Only for an
    /// edit that changes nothing in a database the script already ran in, such as a block moved into the runner.
    /// </summary>
    public IReadOnlyList<string> EarlierChecksums { get; } = [.. EarlierChecksum().Matches(Sql).Select(m => m.Groups["checksum"].Value.ToLowerInvariant())];

    /// <summary>Reads every embedded resource named <c>*.Migrations.NNNN_name.sql</c> from the assembly, in version order.</summary>
    public static IReadOnlyList<Migration> FromAssembly(Assembly assembly)
    {
        var migrations = new List<Migration>();
        foreach (var resource in assembly.GetManifestResourceNames())
        {
            var match = ResourceName().Match(resource);
            if (!match.Success)
            {
                continue;
            }

            using var stream = assembly.GetManifestResourceStream(resource)!;
            using var reader = new StreamReader(stream, Encoding.UTF8);
            migrations.Add(new Migration(int.Parse(match.Groups["version"].Value, System.Globalization.CultureInfo.InvariantCulture), match.Groups["name"].Value, reader.ReadToEnd()));
        }

        return Ordered(migrations);
    }

    /// <summary>Sorts by version and refuses two scripts with one version, which would make the order a guess.</summary>
    public static IReadOnlyList<Migration> Ordered(IEnumerable<Migration> migrations)
    {
        var ordered = migrations.OrderBy(m => m.Version).ToList();
        var clash = ordered.GroupBy(m => m.Version).FirstOrDefault(g => g.Count() > 1);
        if (clash is not null)
        {
            throw new MigrationException($"Migration version {clash.Key} is used by more than one script: {string.Join(", ", clash.Select(m => m.Name))}.");
        }

        return ordered;
    }

    [GeneratedRegex(@"^-- earlier checksum: (?<checksum>[0-9A-Fa-f]{64})\s*$", RegexOptions.Multiline)]
    private static partial Regex EarlierChecksum();

    [GeneratedRegex(@"\.Migrations\.(?<version>\d{1,9})_(?<name>[A-Za-z0-9_\-]+)\.sql$")]
    private static partial Regex ResourceName();
}

public sealed class MigrationException(string message, Exception? inner = null) : Exception(message, inner);
