using System.Reflection;
using MachCommerce.Identity.Data;
using Microsoft.EntityFrameworkCore;

namespace MachCommerce.Identity.Tests;

/// <summary>
/// The identity schema is made by versioned SQL scripts like every service's; the EF Core model that OpenIddict and
/// the service query through must describe exactly the tables those scripts make.
/// </summary>
public sealed class MigrationTests
{
    [Fact]
    public void The_migration_scripts_make_the_tables_the_model_describes()
    {
        using var db = new IdentityDb(new DbContextOptionsBuilder<IdentityDb>().UseNpgsql("Host=unused").Options);
        var expected = db.Database.GenerateCreateScript();
        var assembly = typeof(IdentityDb).Assembly;
        var scripts = string.Concat(assembly.GetManifestResourceNames()
            .Where(n => n.StartsWith("MachCommerce.Identity.Migrations.", StringComparison.Ordinal) && n.EndsWith(".sql", StringComparison.Ordinal))
            .Order(StringComparer.Ordinal)
            .Select(n => Read(assembly, n)));
        var written = Path.Combine(AppContext.BaseDirectory, "identity-model.sql");
        File.WriteAllText(written, expected);
        // As sets of statements: a later script's new table stands at its end, while EF writes the tables in its own order.
        var missing = Statements(expected).Except(Statements(scripts)).ToList();
        var extra = Statements(scripts).Except(Statements(expected)).ToList();
        Assert.True(missing.Count == 0 && extra.Count == 0,
            $"The model and Migrations/*.sql differ: add a migration that brings the database to the model (the model's full script is in {written}).\n"
            + $"In the model only:\n{string.Join("\n", missing)}\nIn the scripts only:\n{string.Join("\n", extra)}");
    }

    private static List<string> Statements(string sql) => [.. Normalize(sql).Split(";\n").Select(s => s.TrimEnd(';'))];

    private static string Read(Assembly assembly, string name)
    {
        using var reader = new StreamReader(assembly.GetManifestResourceStream(name)!);
        return reader.ReadToEnd();
    }

    /// <summary>Statements without comments, blank lines or the schema creation (the migration runner makes the schema).</summary>
    private static string Normalize(string sql) => string.Join('\n', Regex.Replace(sql, "--[^\n]*", "")
        .Split('\n').Select(l => l.Trim()).Where(l => l.Length > 0));
}
