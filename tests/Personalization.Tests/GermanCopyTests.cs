using System.Text.RegularExpressions;
using MachCommerce.LocalInfrastructure;

namespace MachCommerce.Personalization.Tests;

/// <summary>
/// German copy speaks to the shopper in one form of address, "du", as German shops usually do: the reasons the
/// decision engine writes and the demo shops' offers alike (a "Sie" offer beside a "du" reason reads as two voices).
/// </summary>
public sealed partial class GermanCopyTests
{
    [Fact]
    public void The_reasons_and_the_demo_offers_say_du_never_Sie()
    {
        var root = RepositoryPaths.FindRoot();
        var copy = new[] { "services/personalization/Decisions/Reasons.cs", "mach-commerce/Seeding/PersonalizationSeedStep.cs" }
            .SelectMany(file => GermanText().Matches(File.ReadAllText(Path.Combine(root, file))).Select(m => m.Groups["text"].Value))
            .ToList();

        Assert.NotEmpty(copy);
        Assert.Contains(copy, text => Informal().IsMatch(text));
        Assert.DoesNotContain(copy, text => Formal().IsMatch(text));
    }

    /// <summary>German strings: the first branch of a "german ?" choice, and the texts of a "de = new { ... }" block.</summary>
    [GeneratedRegex("""(?:german \? \$?"(?<text>[^"]*)")|(?:de = new \{[^}]*?(?:headline|text|callToAction) = \$?"(?<text>[^"]*)")""")]
    private static partial Regex GermanText();

    [GeneratedRegex(@"\b(du|dich|dir|dein|deine|deiner|deinen)\b")]
    private static partial Regex Informal();

    [GeneratedRegex(@"\b(Sie|Ihnen|Ihr|Ihre|Ihrem|Ihren|Ihrer)\b")]
    private static partial Regex Formal();
}
